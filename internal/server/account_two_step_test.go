package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/twostep"
)

func TestAccountTwoStepSetUp(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	page := c.get("/account/two-step")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("set-up page: %d", page.StatusCode)
	}
	if src, _ := page.Doc.Find(`[data-testid="two-step-qr"]`).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR code src %.40q", src)
	}
	if cc := page.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q", cc)
	}
	shown := page.text(`[data-testid="two-step-secret"]`)
	secret := strings.ReplaceAll(shown, " ", "")
	if len(secret) < 16 || shown != twostep.Grouped(secret) {
		t.Fatalf("secret shown as %q", shown)
	}
	if again := c.get("/account/two-step").text(`[data-testid="two-step-secret"]`); again != shown {
		t.Errorf("the secret changed on reload: %q, then %q", shown, again)
	}

	right, _ := twostep.Code(secret, a.now())
	old, _ := twostep.Code(secret, a.now().Add(-2*time.Minute))
	for _, tt := range []struct{ code, want string }{
		{"", "Enter the 6-digit code from your authenticator app"},
		{"12345", "The code must be 6 digits"},
		{"abcdef", "The code must be 6 digits"},
		{old, "The code is not right"},
	} {
		res := c.post("/account/two-step", url.Values{"code": {tt.code}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("code %q: status %d", tt.code, res.StatusCode)
		}
		if got := strings.Join(res.errorSummary(), "|"); !strings.HasPrefix(got, tt.want) {
			t.Errorf("code %q: errors %q, want %q", tt.code, got, tt.want)
		}
		if res.text(`[data-testid="two-step-secret"]`) != shown {
			t.Errorf("code %q: the form lost its secret", tt.code)
		}
	}
	if n := a.count(`SELECT count(*) FROM two_step WHERE user_id = $1`, u.ID); n != 0 {
		t.Fatalf("set up by a wrong code: %d", n)
	}

	res := c.post("/account/two-step", url.Values{"code": {right[:3] + " " + right[3:]}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("right code: %d %v", res.StatusCode, res.errorSummary())
	}
	codes := res.Doc.Find(`[data-testid="recovery-codes"] li`)
	if codes.Length() != twostep.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown", codes.Length())
	}
	first := strings.TrimSpace(codes.First().Text())
	if n := a.count(`SELECT count(*) FROM two_step_recovery_codes WHERE user_id = $1 AND code_hash = $2`, u.ID, twostep.HashRecoveryCode(first)); n != 1 {
		t.Errorf("recovery code stored %d times by its hash", n)
	}
	if n := a.count(`SELECT count(*) FROM two_step_recovery_codes WHERE code_hash = $1`, first); n != 0 {
		t.Error("a recovery code stored as it is")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'two_step.set_up' AND actor_id = $1`, u.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// Posting again (a double submit) changes nothing: the secret has left the session.
	if again := c.post("/account/two-step", url.Values{"code": {right}}); again.StatusCode != http.StatusSeeOther {
		t.Errorf("second post: %d", again.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM two_step_recovery_codes WHERE user_id = $1 AND code_hash = $2`, u.ID, twostep.HashRecoveryCode(first)); n != 1 {
		t.Error("a second post replaced the recovery codes")
	}

	acc := c.get("/account")
	if got := acc.text(`[data-testid="two-step-status"]`); !strings.HasPrefix(got, "On") {
		t.Errorf("My account says %q", got)
	}
	on := c.get("/account/two-step")
	if !strings.Contains(on.text(`[data-testid="two-step-on"]`), "10 unused recovery codes") {
		t.Errorf("status page: %q", on.text(`[data-testid="two-step-on"]`))
	}
	if c.get("/account/two-step?new=1").Doc.Find(`.govuk-warning-text`).Length() != 1 {
		t.Error("setting up again does not warn that the old app stops working")
	}
}

func TestAccountTwoStepNeedsSignIn(t *testing.T) {
	a := newTestApp(t)
	if res := a.client().get("/account/two-step"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.StatusCode)
	}
}
