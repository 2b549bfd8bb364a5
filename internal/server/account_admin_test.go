package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

// An admin sends someone a password reset link from their account page; the link reaches
// only the email, and deactivating the account ends its sessions, its links and its pending
// change of address, while a forgotten-password request for it answers the same and sends nothing.
func TestAdminPasswordResetAndDeactivationEndAccountAccess(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staff, u := a.signedIn(auth.RolePartnerStaff)
	page := admin.get(fmt.Sprintf("/admin/users/%d", u.ID))
	action, ok := page.Doc.Find(`[data-testid="password-reset"]`).Parent().Attr("action")
	if !ok {
		t.Fatalf("no reset button on %q", page.text("main"))
	}
	res := admin.post(action, url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send reset: %d", res.StatusCode)
	}
	link := a.linkFromOutbox(u.Email, "/reset-password/")
	if body := admin.get(fmt.Sprintf("/admin/users/%d", u.ID)).Body; strings.Contains(body, link) {
		t.Error("the admin can see the link")
	}
	staff.post("/account/email", url.Values{"email": {"moving@school.test"}, "password": {testPassword}})

	admin.post(fmt.Sprintf("/admin/users/%d/deactivate", u.ID), url.Values{})
	if n := a.count(`SELECT count(*) FROM account_sessions WHERE user_id = $1 AND ended_at IS NULL`, u.ID); n != 0 {
		t.Errorf("%d live sessions after deactivation", n)
	}
	if res := a.client().get(link); res.StatusCode != http.StatusGone {
		t.Errorf("reset link after deactivation: %d", res.StatusCode)
	}
	if res := a.client().get(a.linkFromOutbox("moving@school.test", "/account/email/")); res.StatusCode != http.StatusGone {
		t.Errorf("email link after deactivation: %d", res.StatusCode)
	}
	before := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, u.Email)
	if res := a.client().post("/forgotten-password", url.Values{"email": {u.Email}}); res.StatusCode != http.StatusOK {
		t.Errorf("forgotten password for a leaver: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, u.Email); n != before {
		t.Error("a deactivated account was sent a password link")
	}
}
