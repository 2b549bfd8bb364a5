package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/twostep"
)

// setUpTwoStep sets up two-step sign-in for c's account through the pages and returns the
// secret and the recovery codes.
func setUpTwoStep(t *testing.T, a *testApp, c *testClient) (string, []string) {
	t.Helper()
	page := c.get("/account/two-step?new=1")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("set-up page: %d", page.StatusCode)
	}
	secret := strings.ReplaceAll(page.text(`[data-testid="two-step-secret"]`), " ", "")
	code, err := twostep.Code(secret, a.now())
	if err != nil {
		t.Fatal(err)
	}
	res := c.post("/account/two-step", url.Values{"code": {code}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("confirm set-up: %d %v", res.StatusCode, res.errorSummary())
	}
	var codes []string
	res.Doc.Find(`[data-testid="recovery-codes"] li`).Each(func(_ int, s *goquery.Selection) {
		codes = append(codes, strings.TrimSpace(s.Text()))
	})
	return secret, codes
}

// passwordStep signs out c and gives u's password, expecting to be asked for a code.
func passwordStep(t *testing.T, c *testClient, u auth.User) {
	t.Helper()
	c.post("/sign-out", nil)
	res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/sign-in/two-step" {
		t.Fatalf("password step: %d to %q", res.StatusCode, loc)
	}
}

func TestSignInTwoStep(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	secret, _ := setUpTwoStep(t, a, c)
	passwordStep(t, c, u)
	if res := c.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed in by the password alone: %d", res.StatusCode)
	}
	page := c.get("/sign-in/two-step")
	if page.StatusCode != http.StatusOK || page.Doc.Find(`input[name="code"][autocomplete="one-time-code"]`).Length() != 1 {
		t.Fatalf("code page: %d", page.StatusCode)
	}
	now, _ := twostep.Code(secret, a.now())
	for _, tt := range []struct{ code, want string }{
		{" ", "Enter the code from your authenticator app, or a recovery code"},
		{"000000", "The code is not right"},
		{"abcd", "The code is not right"},
		{now, "That code has already been used"}, // set-up accepted this step already
	} {
		res := c.post("/sign-in/two-step", url.Values{"code": {tt.code}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("code %q: %d", tt.code, res.StatusCode)
		}
		if got := strings.Join(res.errorSummary(), "|"); !strings.HasPrefix(got, tt.want) {
			t.Errorf("code %q: %q, want %q", tt.code, got, tt.want)
		}
	}
	a.clock.Set(a.now().Add(twostep.Period))
	next, _ := twostep.Code(secret, a.now())
	res := c.post("/sign-in/two-step", url.Values{"code": {next}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != u.Role.HomePath() {
		t.Fatalf("right code: %d to %q %v", res.StatusCode, loc, res.errorSummary())
	}
	if res := c.get("/account"); res.StatusCode != http.StatusOK {
		t.Errorf("not signed in after the code: %d", res.StatusCode)
	}
	// The same code again, from another sign-in within its 30 seconds, is refused.
	passwordStep(t, c, u)
	if res := c.post("/sign-in/two-step", url.Values{"code": {next}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reused code: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'sign_in.code_failed' AND subject = $1`, "user:"+strconv.FormatInt(u.ID, 10)); n != 4 {
		t.Errorf("%d failed codes audited, want 4", n)
	}
}

func TestSignInTwoStepRecoveryCodes(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	_, codes := setUpTwoStep(t, a, c)
	if len(codes) != twostep.RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	passwordStep(t, c, u)
	res := c.post("/sign-in/two-step", url.Values{"code": {strings.ToUpper(codes[3])}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM two_step_recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL`, u.ID); n != 1 {
		t.Errorf("%d codes used", n)
	}
	passwordStep(t, c, u)
	res = c.post("/sign-in/two-step", url.Values{"code": {codes[3]}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(strings.Join(res.errorSummary(), ""), "The code is not right") {
		t.Errorf("recovery code used twice: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := c.post("/sign-in/two-step", url.Values{"code": {codes[4]}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another recovery code: %d", res.StatusCode)
	}
}

func TestSignInTwoStepRateLimit(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	secret, _ := setUpTwoStep(t, a, c)
	passwordStep(t, c, u)
	for i := 0; i < twostep.MaxFailures; i++ {
		if res := c.post("/sign-in/two-step", url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d", i, res.StatusCode)
		}
	}
	a.clock.Set(a.now().Add(time.Minute))
	right, _ := twostep.Code(secret, a.now())
	passwordStep(t, c, u)
	res := c.post("/sign-in/two-step", url.Values{"code": {right}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "too many wrong codes") {
		t.Errorf("after %d wrong codes: %d", twostep.MaxFailures, res.StatusCode)
	}
	a.clock.Set(a.now().Add(twostep.FailureWindow))
	right, _ = twostep.Code(secret, a.now())
	passwordStep(t, c, u)
	if res := c.post("/sign-in/two-step", url.Values{"code": {right}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: %d %v", res.StatusCode, res.errorSummary())
	}
}

func TestSignInTwoStepExpires(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	secret, _ := setUpTwoStep(t, a, c)
	passwordStep(t, c, u)
	a.clock.Set(a.now().Add(PendingSignInLifetime + time.Second))
	right, _ := twostep.Code(secret, a.now())
	res := c.post("/sign-in/two-step", url.Values{"code": {right}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/sign-in" {
		t.Errorf("after 5 minutes: %d to %q", res.StatusCode, loc)
	}
	if res := c.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed in by an expired step: %d", res.StatusCode)
	}
	if res := a.client().get("/sign-in/two-step"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("code page with no password given: %d", res.StatusCode)
	}
}

// A forgotten-password link proves the email address, not the phone: after setting a new
// password, an account with two-step sign-in still gives a code.
func TestResetPasswordStillAsksForTheCode(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	secret, _ := setUpTwoStep(t, a, c)
	c.post("/sign-out", nil)
	c.post("/forgotten-password", url.Values{"email": {u.Email}})
	link := a.linkFromOutbox(u.Email, "/reset-password/")
	res := c.post(link, url.Values{"password": {"biscuits before the bell"}, "confirm": {"biscuits before the bell"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/sign-in/two-step" {
		t.Fatalf("after the new password: %d to %q", res.StatusCode, loc)
	}
	if res := c.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed in without a code: %d", res.StatusCode)
	}
	a.clock.Set(a.now().Add(twostep.Period))
	code, _ := twostep.Code(secret, a.now())
	if res := c.post("/sign-in/two-step", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("code: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := c.get("/account"); res.StatusCode != http.StatusOK {
		t.Errorf("not signed in after the code: %d", res.StatusCode)
	}
}
