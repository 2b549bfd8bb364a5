package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

func TestAdminResetsTwoStep(t *testing.T) {
	a := newTestApp(t)
	pc, p := a.signedIn(auth.RoleParticipant)
	_, codes := setUpTwoStep(t, a, pc)
	admin, me := a.signedIn(auth.RoleProviderAdmin)
	page := fmt.Sprintf("/admin/users/%d", p.ID)

	if admin.get(page).Doc.Find(`[data-testid="reset-two-step"]`).Length() != 1 {
		t.Fatal("no reset button for an account with two-step sign-in")
	}
	confirm := admin.get(page + "/two-step")
	if confirm.StatusCode != http.StatusOK || confirm.Doc.Find(`[data-testid="confirm"]`).Length() != 1 {
		t.Fatalf("confirmation page: %d", confirm.StatusCode)
	}
	// Partner staff and participants cannot reset anyone.
	other, _ := a.signedIn(auth.RolePartnerStaff)
	if res := other.post(page+"/two-step", nil); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Errorf("partner staff reset: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM two_step WHERE user_id = $1`, p.ID); n != 1 {
		t.Fatal("reset by partner staff")
	}

	res := admin.post(page+"/two-step", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("reset: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM two_step WHERE user_id = $1`, p.ID) +
		a.count(`SELECT count(*) FROM two_step_recovery_codes WHERE user_id = $1`, p.ID); n != 0 {
		t.Errorf("%d rows left after the reset", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'two_step.reset' AND actor_id = $1 AND subject = $2`,
		me.ID, fmt.Sprintf("user:%d", p.ID)); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject LIKE '%two-step sign-in has been reset'`, p.Email); n != 1 {
		t.Errorf("%d emails", n)
	}
	// The password alone signs in again; old recovery codes are gone.
	pc.post("/sign-out", nil)
	if res := pc.post("/sign-in", url.Values{"email": {p.Email}, "password": {testPassword}}); res.Header.Get("Location") == "/sign-in/two-step" {
		t.Errorf("still asked for a code after the reset (recovery code %s)", codes[0])
	}
	// Twice: nothing to reset, said clearly, nothing emailed again.
	if res := admin.post(page+"/two-step", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("second reset: %d", res.StatusCode)
	}
	if !strings.Contains(admin.get(page).Body, "has not set up two-step sign-in") {
		t.Error("second reset not explained")
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, p.Email); n != 1 {
		t.Errorf("%d emails after two resets", n)
	}
	if res := admin.get(fmt.Sprintf("/admin/users/%d/two-step", me.ID)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("own reset page: %d", res.StatusCode)
	}
	if res := admin.get("/admin/users/999999/two-step"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown account: %d", res.StatusCode)
	}
}
