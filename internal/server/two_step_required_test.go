package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/twostep"
)

// A provider admin or assessor cannot sign in with a password alone: one who has not set up
// two-step sign-in is emailed a code, and with it can only set it up (or sign out); once it
// is set up they carry on to where they were going. Participants and partner staff are not
// asked unless the setting says so.
func TestTwoStepRequiredForAdminsAndAssessors(t *testing.T) {
	a := newTestApp(t)
	for _, tt := range []struct {
		role auth.Role
		next string
	}{
		{auth.RoleProviderAdmin, "/admin/users?q=x"},
		{auth.RoleAssessor, "/marking"},
	} {
		u := a.newcomer("new-"+string(tt.role)+"@provider.test", tt.role, nil)
		c := a.client()
		res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {tt.next}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/sign-in/two-step" {
			t.Fatalf("%s: after the password %d to %q, want the code page", tt.role, res.StatusCode, loc)
		}
		for _, path := range []string{twoStepSetUpPath, tt.next} {
			if res := c.get(path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
				t.Errorf("%s: %s with the password alone: %d to %q", tt.role, path, res.StatusCode, res.Header.Get("Location"))
			}
		}
		page := c.get("/sign-in/two-step")
		if page.Doc.Find(`[data-testid="email-code"]`).Length() != 1 {
			t.Errorf("%s: the code page does not say the code was emailed", tt.role)
		}
		code := a.emailedCode(u.Email)
		if len(code) != 6 {
			t.Fatalf("%s: emailed code %q", tt.role, code)
		}
		res = c.post("/sign-in/two-step", url.Values{"code": {code}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != twoStepSetUpPath {
			t.Fatalf("%s: after the emailed code %d to %q, want the set-up %v", tt.role, res.StatusCode, loc, res.errorSummary())
		}
		for _, path := range []string{tt.next, u.Role.HomePath(), "/account", "/account/password"} {
			if res := c.get(path); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != twoStepSetUpPath {
				t.Errorf("%s: %s before set-up: %d to %q", tt.role, path, res.StatusCode, res.Header.Get("Location"))
			}
		}
		if res := c.post("/account/name", url.Values{"name": {"Changed"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != twoStepSetUpPath {
			t.Errorf("%s: a change before set-up: %d to %q", tt.role, res.StatusCode, res.Header.Get("Location"))
		}
		if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND name = 'Changed'`, u.ID); n != 0 {
			t.Errorf("%s: changed their name before setting up two-step sign-in", tt.role)
		}
		page = c.get(twoStepSetUpPath)
		if page.StatusCode != http.StatusOK || page.Doc.Find(`[data-testid="two-step-required"]`).Length() != 1 {
			t.Fatalf("%s: set-up page: %d", tt.role, page.StatusCode)
		}
		if page.Doc.Find(`.govuk-service-navigation`).Length() != 0 || page.Doc.Find(`.govuk-back-link`).Length() != 0 {
			t.Errorf("%s: the set-up page links to pages that are not open", tt.role)
		}
		_, codes := setUpTwoStep(t, a, c)
		if len(codes) == 0 {
			t.Fatalf("%s: no recovery codes", tt.role)
		}
		done := c.get(twoStepSetUpPath)
		if done.Doc.Find(`[data-testid="two-step-on"]`).Length() != 1 {
			t.Errorf("%s: set-up page after setting up", tt.role)
		}
		if res := c.get(tt.next); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %s after set-up: %d", tt.role, tt.next, res.StatusCode)
		}
	}
}

// The recovery codes page sends someone who set up on the way in to where they were going.
func TestTwoStepSetUpOnTheWayInContinuesToNext(t *testing.T) {
	a := newTestApp(t)
	u := a.newcomer("new-admin@provider.test", auth.RoleProviderAdmin, nil)
	c := a.client()
	c.signInWith(url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/admin/outbox"}})
	page := c.get(twoStepSetUpPath + "?new=1")
	secret := page.text(`[data-testid="two-step-secret"]`)
	res := c.post(twoStepSetUpPath, url.Values{"code": {codeFor(t, secret, a.now())}})
	if got := res.Doc.Find(`[data-testid="continue"]`).AttrOr("href", ""); got != "/admin/outbox" {
		t.Errorf("continue goes to %q, want /admin/outbox", got)
	}

	// Set up from My account, the same page goes back there.
	p, _ := a.signedIn(auth.RoleParticipant)
	_ = p.get(twoStepSetUpPath)
	page = p.get(twoStepSetUpPath)
	res = p.post(twoStepSetUpPath, url.Values{"code": {codeFor(t, page.text(`[data-testid="two-step-secret"]`), a.now())}})
	if got := res.Doc.Find(`[data-testid="continue"]`).AttrOr("href", ""); got != "/account" {
		t.Errorf("participant's continue goes to %q, want /account", got)
	}
}

// Partner staff and participants sign in with a password alone by default; the setting
// TWO_STEP_PARTNER_STAFF requires it of partner staff too.
func TestTwoStepForPartnerStaffFollowsTheSetting(t *testing.T) {
	a := newTestApp(t)
	for _, role := range []auth.Role{auth.RoleParticipant, auth.RolePartnerStaff} {
		c, u := a.signedIn(role)
		if res := c.get(u.Role.HomePath()); res.StatusCode != http.StatusOK {
			t.Errorf("%s without two-step: %d", role, res.StatusCode)
		}
	}

	strict := newTestApp(t, func(c *config.Config) { c.TwoStepPartnerStaff = true })
	partner := strict.partner("Northern Hub")
	staff := strict.newcomer("staff@northern.test", auth.RolePartnerStaff, &partner)
	c := strict.client()
	if res := c.signIn(staff.Email, testPassword); res.Header.Get("Location") != twoStepSetUpPath {
		t.Errorf("partner staff with the setting on: to %q", res.Header.Get("Location"))
	}
	if res := c.get("/partner"); res.Header.Get("Location") != twoStepSetUpPath {
		t.Errorf("partner staff page before set-up: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	participant, _ := strict.signedIn(auth.RoleParticipant)
	if res := participant.get("/home"); res.StatusCode != http.StatusOK {
		t.Errorf("participant with the setting on: %d", res.StatusCode)
	}
}

// When an admin resets an assessor's two-step set-up (a lost phone), the assessor's next
// request, and their next sign-in, lead to setting it up again.
func TestTwoStepResetLeadsBackToSetUp(t *testing.T) {
	a := newTestApp(t)
	assessor, u := a.signedIn(auth.RoleAssessor)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if res := admin.post(fmt.Sprintf("/admin/users/%d/two-step", u.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := assessor.get("/marking"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != twoStepSetUpPath {
		t.Errorf("the assessor's next request: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	fresh := a.client()
	if res := fresh.signIn(u.Email, testPassword); res.Header.Get("Location") != twoStepSetUpPath {
		t.Errorf("signing in again: to %q", res.Header.Get("Location"))
	}
}

// The emailed code works once, for its own account and sign-in, and five wrong codes send
// the person back to their password.
func TestTwoStepEmailedCodeIsLimited(t *testing.T) {
	a := newTestApp(t)
	u := a.newcomer("new-admin@provider.test", auth.RoleProviderAdmin, nil)
	other := a.newcomer("other-admin@provider.test", auth.RoleProviderAdmin, nil)
	c := a.client()
	c.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}})
	o := a.client()
	o.post("/sign-in", url.Values{"email": {other.Email}, "password": {testPassword}})
	if res := o.post("/sign-in/two-step", url.Values{"code": {a.emailedCode(u.Email)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("another account's code: %d", res.StatusCode)
	}
	if res := c.post("/sign-in/two-step", url.Values{"code": {""}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!slices.Contains(res.errorSummary(), "Enter the code we emailed to you") {
		t.Errorf("no code: %d %v", res.StatusCode, res.errorSummary())
	}
	right := a.emailedCode(u.Email)
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, right)+1)%1_000_000)
	for i := 1; i < twostep.EmailCodeTries; i++ {
		if res := c.post("/sign-in/two-step", url.Values{"code": {wrong}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d", i, res.StatusCode)
		}
	}
	res := c.post("/sign-in/two-step", url.Values{"code": {wrong}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("fifth wrong code: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.post("/sign-in/two-step", url.Values{"code": {right}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Errorf("the right code after five wrong ones: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	// Too late: the code works for 15 minutes.
	late := a.client()
	late.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}})
	a.clock.Set(a.now().Add(twostep.EmailCodeLifetime + time.Minute))
	if res := late.post("/sign-in/two-step", url.Values{"code": {a.emailedCode(u.Email)}}); res.Header.Get("Location") != "/sign-in" {
		t.Errorf("a code after 16 minutes: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'sign_in.email_code_sent' AND actor_id = $1`, u.ID); n != 2 {
		t.Errorf("%d codes sent recorded, want 2", n)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// codeFor is the code an authenticator app with the key shown (in groups) gives at now.
func codeFor(t *testing.T, grouped string, now time.Time) string {
	t.Helper()
	code, err := twostep.Code(strings.ReplaceAll(grouped, " ", ""), now)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// A participant may turn their own two-step sign-in off, with their password; they are
// emailed and the audit trail says so. An admin cannot: their role requires it.
func TestTwoStepTurnedOffByItsHolder(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	setUpTwoStep(t, a, c)
	on := c.get(twoStepSetUpPath)
	if on.Doc.Find(`[data-testid="two-step-off"]`).AttrOr("href", "") != "/account/two-step/off" {
		t.Fatal("no way to turn it off")
	}
	if res := c.get("/account/two-step/off"); res.StatusCode != http.StatusOK || res.Doc.Find(`#current[type=password]`).Length() != 1 {
		t.Fatalf("confirmation page: %d", res.StatusCode)
	}
	for _, tt := range []struct{ password, want string }{
		{"", "Enter your current password"},
		{"not-the-password", "Your current password is not right"},
	} {
		res := c.post("/account/two-step/off", url.Values{"current": {tt.password}})
		if res.StatusCode != http.StatusUnprocessableEntity || !slices.ContainsFunc(res.errorSummary(), func(m string) bool { return strings.Contains(m, tt.want) }) {
			t.Errorf("password %q: %d %v", tt.password, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM two_step WHERE user_id = $1`, u.ID); n != 1 {
		t.Fatal("turned off without the password")
	}
	res := c.post("/account/two-step/off", url.Values{"current": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("turn off: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT (SELECT count(*) FROM two_step WHERE user_id = $1) + (SELECT count(*) FROM two_step_recovery_codes WHERE user_id = $1)`, u.ID); n != 0 {
		t.Errorf("%d set-up rows left", n)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject = 'Two-step sign-in is off for your NPQ platform account'`, u.Email); n != 1 {
		t.Errorf("%d notices", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'two_step.turned_off' AND actor_id = $1`, u.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// Signing in again takes the password alone.
	fresh := a.client()
	if res := fresh.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}}); res.Header.Get("Location") != u.Role.HomePath() {
		t.Errorf("signing in after turning off: to %q", res.Header.Get("Location"))
	}
	// Twice is harmless.
	if res := c.post("/account/two-step/off", url.Values{"current": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("again: %d", res.StatusCode)
	}

	admin, me := a.signedIn(auth.RoleProviderAdmin)
	page := admin.get(twoStepSetUpPath)
	if page.Doc.Find(`[data-testid="two-step-off"]`).Length() != 0 || page.Doc.Find(`[data-testid="two-step-required"]`).Length() != 1 {
		t.Error("an admin is offered turning two-step sign-in off")
	}
	if res := admin.post("/account/two-step/off", url.Values{"current": {testPassword}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != twoStepSetUpPath {
		t.Errorf("admin turning off: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM two_step WHERE user_id = $1`, me.ID); n != 1 {
		t.Error("an admin turned two-step sign-in off")
	}
}

// With TWO_STEP_KEY set, the secret is stored encrypted (and held encrypted in the session
// while it is being set up), and signing in with a code works as before.
func TestTwoStepSecretsEncryptedWithTheConfiguredKey(t *testing.T) {
	key := bytes.Repeat([]byte{0x5a}, twostep.KeySize)
	a := newTestApp(t, func(c *config.Config) { c.TwoStepKey = key })
	u := a.newcomer("new-assessor@provider.test", auth.RoleAssessor, nil)
	c := a.client()
	c.signIn(u.Email, testPassword)
	page := c.get(twoStepSetUpPath)
	secret := strings.ReplaceAll(page.text(`[data-testid="two-step-secret"]`), " ", "")
	if len(secret) < 16 {
		t.Fatalf("set-up page without a key: %d", page.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM sessions WHERE position(convert_to($1, 'UTF8') in data) > 0`, secret); n != 0 {
		t.Error("the secret being set up is in the session as it is")
	}
	if res := c.post(twoStepSetUpPath, url.Values{"code": {codeFor(t, secret, a.now())}}); res.StatusCode != http.StatusOK {
		t.Fatalf("set up: %d %v", res.StatusCode, res.errorSummary())
	}
	var stored string
	if err := a.pool.QueryRow(context.Background(), `SELECT secret FROM two_step WHERE user_id = $1`, u.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
		t.Errorf("stored secret %q", stored)
	}
	a.clock.Set(a.now().Add(twostep.Period))
	fresh := a.client()
	fresh.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}})
	if res := fresh.post("/sign-in/two-step", url.Values{"code": {codeFor(t, secret, a.now())}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/marking" {
		t.Errorf("signing in with a code: %d to %q %v", res.StatusCode, res.Header.Get("Location"), res.errorSummary())
	}
}

// An invited assessor, whose invitation link proved their email address, sets up two-step
// sign-in straight after choosing a password.
func TestInvitedAssessorSetsUpTwoStepFirst(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if res := admin.post("/admin/invitations", url.Values{"name": {"Ines Assessor"}, "email": {"ines@assessors.test"}, "role": {"assessor"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d %v", res.StatusCode, res.errorSummary())
	}
	invitee := a.client()
	path := invitationLink.FindString(latestInvitationEmail(t, a, "ines@assessors.test"))
	res := invitee.post(path, url.Values{"password": {"marking by the window"}, "confirm": {"marking by the window"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %v", res.StatusCode, res.errorSummary())
	}
	res = invitee.get(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != twoStepSetUpPath {
		t.Errorf("after accepting: %d to %q, want the two-step set-up", res.StatusCode, res.Header.Get("Location"))
	}
	if page := invitee.get(twoStepSetUpPath); page.Doc.Find(`[data-testid="two-step-required"]`).Length() != 1 {
		t.Errorf("set-up page: %d", page.StatusCode)
	}
}
