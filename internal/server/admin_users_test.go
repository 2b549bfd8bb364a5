package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/listing"
)

func TestAccountPagesAreForAdminsOnly(t *testing.T) {
	a := newTestApp(t)
	target := a.userFor(auth.RoleAssessor)
	paths := []string{fmt.Sprintf("/admin/users/%d", target.ID), fmt.Sprintf("/admin/users/%d/deactivate", target.ID),
		fmt.Sprintf("/admin/users/%d/role", target.ID)}
	for _, role := range []auth.Role{auth.RolePartnerStaff, auth.RoleParticipant} {
		c, _ := a.signedIn(role)
		for _, p := range paths {
			if res := c.get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: GET %s = %d, want 403", role, p, res.StatusCode)
			}
		}
		if res := c.post(paths[1], nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: POST deactivate = %d, want 403", role, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL`); n != 0 {
		t.Errorf("%d accounts deactivated by people who may not", n)
	}
	if res := a.client().get(paths[0]); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: status %d, want a redirect to sign in", res.StatusCode)
	}
}

func TestAccountPageRefusesUnknownAddresses(t *testing.T) {
	a := newTestApp(t)
	c, _ := a.signedIn(auth.RoleProviderAdmin)
	for _, p := range []string{"/admin/users/abc", "/admin/users/0", "/admin/users/999999", "/admin/users/99999999999999999999",
		"/admin/users/999999/deactivate", "/admin/users/-1/role"} {
		if res := c.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
	if res := c.post("/admin/users/999999/deactivate", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST deactivate of an unknown account = %d, want 404", res.StatusCode)
	}
}

func TestDeactivatedPartnerStaffIsSignedOutAtTheirNextRequest(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staffUser := a.userFor(auth.RolePartnerStaff)
	staff := a.client()
	staff.signIn(staffUser.Email, testPassword)
	if res := staff.get("/partner"); res.StatusCode != http.StatusOK {
		t.Fatalf("staff home before: %d", res.StatusCode)
	}
	// A waiting invitation for the address is cancelled with the account.
	if _, err := a.pool.Exec(context.Background(), `INSERT INTO invitations (token_hash, email, name, role, delivery_partner_id, expires_at)
		VALUES ('\x01', $1, 'x', 'partner_staff', $2, now() + interval '1 day')`, staffUser.Email, *staffUser.DeliveryPartnerID); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/admin/users/%d", staffUser.ID)
	res := admin.get(page)
	if res.StatusCode != http.StatusOK || res.text(`[data-testid="status"]`) != "Active" {
		t.Fatalf("account page: %d, status %q", res.StatusCode, res.text(`[data-testid="status"]`))
	}
	confirm := admin.get(page + "/deactivate")
	if confirm.StatusCode != http.StatusOK || confirm.Doc.Find(`form[action="`+page+`/deactivate"] [data-testid="confirm"]`).Length() != 1 {
		t.Fatalf("confirmation page: %d", confirm.StatusCode)
	}
	if a.count(`SELECT count(*) FROM users WHERE id = $1 AND deactivated_at IS NOT NULL`, staffUser.ID) != 0 {
		t.Fatal("the confirmation page deactivated the account")
	}
	if res := admin.post(page+"/deactivate", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page {
		t.Fatalf("deactivate: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := admin.get(page).text(`[data-testid="status"]`); !strings.HasPrefix(got, "Deactivated") {
		t.Errorf("status after = %q", got)
	}

	res = staff.get("/partner")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Fatalf("staff's next request: %d to %q, want a redirect to sign in", res.StatusCode, res.Header.Get("Location"))
	}
	res = staff.post("/sign-in", url.Values{"email": {staffUser.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "deactivated") {
		t.Errorf("sign-in with the right password: %d %v, want 422 saying the account is deactivated", res.StatusCode, res.errorSummary())
	}
	res = staff.post("/sign-in", url.Values{"email": {staffUser.Email}, "password": {"a wrong password"}})
	if got := strings.Join(res.errorSummary(), " "); res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(got, "deactivated") {
		t.Errorf("sign-in with a wrong password: %d %q, want the usual answer", res.StatusCode, got)
	}
	if n := a.count(`SELECT count(*) FROM invitations WHERE email = $1 AND expires_at > now()`, staffUser.Email); n != 0 {
		t.Errorf("%d invitations still waiting", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'user.deactivated' AND subject_user_id = $1 AND ip <> ''`, staffUser.ID); n != 1 {
		t.Errorf("%d deactivation entries, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'sign_in.refused' AND subject_user_id = $1 AND detail->>'reason' = 'deactivated'`, staffUser.ID); n != 1 {
		t.Errorf("%d refused sign-ins recorded, want 1", n)
	}

	if res := admin.get(page + "/role"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("role form of a deactivated account: %d, want a redirect back", res.StatusCode)
	}
	if res := admin.post(page+"/role", url.Values{"role": {"assessor"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("changing a deactivated account's role: %d, want 422", res.StatusCode)
	}
	if res := admin.post(page+"/reactivate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reactivate: %d", res.StatusCode)
	}
	staff.signIn(staffUser.Email, testPassword)
	if res := staff.get("/partner"); res.StatusCode != http.StatusOK {
		t.Errorf("staff home after reactivation: %d", res.StatusCode)
	}
}

func TestAdminCannotDeactivateOrDemoteThemselves(t *testing.T) {
	a := newTestApp(t)
	c, me := a.signedIn(auth.RoleProviderAdmin)
	page := fmt.Sprintf("/admin/users/%d", me.ID)
	res := c.get(page)
	if res.Doc.Find(`[data-testid="deactivate"], [data-testid="change-role"]`).Length() != 0 || res.Doc.Find(`[data-testid="self"]`).Length() != 1 {
		t.Error("your own account's page offers to deactivate or demote it")
	}
	if res := c.get(page + "/deactivate"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("confirmation page for yourself: %d, want a redirect back", res.StatusCode)
	}
	if res := c.post(page+"/deactivate", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("deactivating yourself: %d", res.StatusCode)
	}
	if got := c.get(page).text(`[data-testid="problem"]`); !strings.Contains(got, "cannot deactivate your own account") {
		t.Errorf("problem shown = %q", got)
	}
	res = c.post(page+"/role", url.Values{"role": {"assessor"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "your own admin role") {
		t.Errorf("demoting yourself: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND role = 'provider_admin' AND deactivated_at IS NULL`, me.ID); n != 1 {
		t.Error("the admin changed their own account")
	}
	if res := c.get("/admin"); res.StatusCode != http.StatusOK {
		t.Errorf("the admin was signed out: %d", res.StatusCode)
	}
}

func TestAdminMovesPartnerStaffToAnotherPartner(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staffUser := a.userFor(auth.RolePartnerStaff)
	other := a.partner("Northern Hub")
	staff := a.client()
	staff.signIn(staffUser.Email, testPassword)
	page := fmt.Sprintf("/admin/users/%d", staffUser.ID)

	form := admin.get(page + "/role")
	if form.StatusCode != http.StatusOK || form.Doc.Find(`input[name="role"][value="partner_staff"][checked]`).Length() != 1 {
		t.Fatalf("role form: %d", form.StatusCode)
	}
	for _, bad := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Select a role"},
		{url.Values{"role": {"participant"}}, "Select one of the roles listed"},
		{url.Values{"role": {"superuser"}}, "Select one of the roles listed"},
		{url.Values{"role": {"partner_staff"}}, "Select the delivery partner"},
		{url.Values{"role": {"partner_staff"}, "partner": {"999999"}}, "Select one of the delivery partners listed"},
		{url.Values{"role": {"partner_staff"}, "partner": {"x"}}, "Select one of the delivery partners listed"},
		{url.Values{"role": {"assessor"}, "partner": {fmt.Sprint(other)}}, "Only delivery partner staff"},
		{url.Values{"role": {"partner_staff"}, "partner": {fmt.Sprint(*staffUser.DeliveryPartnerID)}}, "Choose a different role"},
	} {
		res := admin.post(page+"/role", bad.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), bad.want) {
			t.Errorf("%v: %d %v, want 422 with %q", bad.form, res.StatusCode, res.errorSummary(), bad.want)
		}
		if bad.form.Get("role") != "" && res.Doc.Find(`input[name="role"][value="`+bad.form.Get("role")+`"][checked]`).Length() != 1 &&
			bad.form.Get("role") != "participant" && bad.form.Get("role") != "superuser" {
			t.Errorf("%v: the chosen role was not kept", bad.form)
		}
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND delivery_partner_id = $2 AND session_version = 0`, staffUser.ID, *staffUser.DeliveryPartnerID); n != 1 {
		t.Fatal("a refused change changed the account")
	}
	if res := staff.get("/partner"); res.StatusCode != http.StatusOK {
		t.Fatalf("staff signed out by refused changes: %d", res.StatusCode)
	}

	res := admin.post(page+"/role", url.Values{"role": {"partner_staff"}, "partner": {fmt.Sprint(other)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND delivery_partner_id = $2`, staffUser.ID, other); n != 1 {
		t.Error("the staff member was not moved")
	}
	if res := staff.get("/partner"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the moved staff member's old session: %d, want a redirect to sign in", res.StatusCode)
	}
	staff.signIn(staffUser.Email, testPassword)
	if res := staff.get("/partner"); res.StatusCode != http.StatusOK {
		t.Errorf("signing in again after the move: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'user.partner_changed' AND subject_user_id = $1
		AND detail->>'to' = 'Delivery partner staff at Northern Hub'`, staffUser.ID); n != 1 {
		t.Errorf("%d partner changes audited, want 1", n)
	}

	res = admin.post(page+"/role", url.Values{"role": {"provider_admin"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("make admin: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := staff.get("/admin"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session kept working after a change of role: %d", res.StatusCode)
	}
}

func TestAdminResendsAnInvitationToAnAccountNotYetActivated(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	var id int64
	if err := a.pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash, role)
		VALUES ('new@school.test', 'New Teacher', '', 'participant') RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/admin/users/%d", id)
	if got := admin.get(page).text(`[data-testid="status"]`); got != "Not yet activated" {
		t.Errorf("status = %q", got)
	}
	if res := admin.post(page+"/invitation", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'new@school.test'`); n != 1 {
		t.Errorf("%d invitation emails, want 1", n)
	}
	staff := a.userFor(auth.RoleAssessor)
	admin.post(fmt.Sprintf("/admin/users/%d/invitation", staff.ID), nil)
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, staff.Email); n != 0 {
		t.Error("an activated account was sent an invitation")
	}
}

func TestAdminUsersListSearchesFiltersAndPages(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	north := a.partner("North Hub")
	south := a.partner("South Hub")
	ctx := context.Background()
	if _, err := a.pool.Exec(ctx, `INSERT INTO users (email, name, password_hash, role, delivery_partner_id, last_sign_in_at, deactivated_at)
		SELECT 'staff' || g || '@north.test', 'North Staff ' || lpad(g::text, 2, '0'), 'x', 'partner_staff', $1,
		       CASE WHEN g <= 5 THEN now() - interval '400 days' ELSE now() END,
		       CASE WHEN g = 1 THEN now() END
		FROM generate_series(1, 23) g`, north); err != nil {
		t.Fatal(err)
	}
	a.user("sam@south.test", auth.RolePartnerStaff, &south)
	if _, err := a.pool.Exec(ctx, `INSERT INTO users (email, name, password_hash, role) VALUES ('new@school.test', 'Nia 100% New', '', 'participant')`); err != nil {
		t.Fatal(err)
	}

	n, res := a.queriesFor(admin, "/admin/users")
	if res.StatusCode != http.StatusOK || n > 5 {
		t.Fatalf("users page: %d with %d queries", res.StatusCode, n)
	}
	names := func(res *testResponse) []string {
		var out []string
		res.Doc.Find(`[data-testid="user"] td:first-child a`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		return out
	}
	count := func(q string) int {
		t.Helper()
		res := admin.get("/admin/users?" + q)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d %v", q, res.StatusCode, res.errorSummary())
		}
		return len(names(res))
	}
	for _, c := range []struct {
		query string
		want  int
	}{
		{"q=south", 1},
		{"q=SAM%40SOUTH", 1},
		{"q=100%25", 1},
		{"q=__", 0},
		{fmt.Sprintf("partner=%d", south), 1},
		{fmt.Sprintf("partner=%d&size=50", north), 23},
		{"status=deactivated", 1},
		{"status=invited", 1},
		{"role=participant", 1},
		{fmt.Sprintf("partner=%d&signed-in-before=%s", north, a.now().AddDate(0, 0, -30).Format(time.DateOnly)), 5},
	} {
		if got := count(c.query); got != c.want {
			t.Errorf("%s: %d accounts, want %d", c.query, got, c.want)
		}
	}

	res = admin.get(fmt.Sprintf("/admin/users?partner=%d&size=10", north))
	var all []string
	for pages := 0; pages < 5; pages++ {
		all = append(all, names(res)...)
		next := res.Doc.Find(`a[rel="next"]`).AttrOr("href", "")
		if next == "" {
			break
		}
		res = admin.get(next)
	}
	if len(all) != 23 || all[0] != "North Staff 01" || all[22] != "North Staff 23" {
		t.Errorf("paged through %d accounts: %v", len(all), all)
	}
	if res.Doc.Find(`th[aria-sort="ascending"]`).Length() != 1 {
		t.Error("the sort is not shown")
	}

	for _, c := range []struct {
		query string
		want  string
	}{
		{"role=superuser", "Select one of the roles listed"},
		{"partner=999999", "Select one of the delivery partners listed"},
		{"status=gone", "Select one of the statuses listed"},
		{"signed-in-before=31/12/2025", "real date"},
	} {
		res := admin.get("/admin/users?" + c.query)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), c.want) {
			t.Errorf("%s: %d %v, want 422 with %q", c.query, res.StatusCode, res.errorSummary(), c.want)
		}
	}
	for _, q := range []string{"after=bad", "size=1000", "after=" + listing.Cursor{"x"}.String(), "before=" + listing.Cursor{"x", "y"}.String()} {
		if res := admin.get("/admin/users?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, res.StatusCode)
		}
	}
}

func TestAccountPageQueryCount(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staff := a.userFor(auth.RolePartnerStaff)
	for _, p := range []string{fmt.Sprintf("/admin/users/%d", staff.ID), fmt.Sprintf("/admin/users/%d/deactivate", staff.ID),
		fmt.Sprintf("/admin/users/%d/role", staff.ID)} {
		n, res := a.queriesFor(admin, p)
		if res.StatusCode != http.StatusOK || n > 5 {
			t.Errorf("%s: %d with %d queries, want 200 with at most 5", p, res.StatusCode, n)
		}
	}
}

func TestDeactivatedParticipantsCalendarFeedStops(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	p := a.userFor(auth.RoleParticipant)
	token, err := a.srv.events.NewFeedToken(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	feed := "/calendar/" + token + ".ics"
	if res := a.client().get(feed); res.StatusCode != http.StatusOK {
		t.Fatalf("feed before: %d", res.StatusCode)
	}
	admin.post(fmt.Sprintf("/admin/users/%d/deactivate", p.ID), nil)
	if res := a.client().get(feed); res.StatusCode != http.StatusNotFound {
		t.Errorf("feed of a deactivated account: %d, want 404", res.StatusCode)
	}
}

func TestAdminSendsAnExpiredInvitationAgain(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	partner := a.partner("Northern Hub")
	ctx := context.Background()
	var expired, accepted int64
	if err := a.pool.QueryRow(ctx, `INSERT INTO invitations (token_hash, email, name, role, delivery_partner_id, created_at, expires_at)
		VALUES ('\x01', 'sam@northern.test', 'Sam Staff', 'partner_staff', $1, now() - interval '10 days', now() - interval '3 days') RETURNING id`, partner).Scan(&expired); err != nil {
		t.Fatal(err)
	}
	if err := a.pool.QueryRow(ctx, `INSERT INTO invitations (token_hash, email, name, role, expires_at, accepted_at)
		VALUES ('\x02', 'done@school.test', 'Done', 'assessor', now() + interval '1 day', now()) RETURNING id`).Scan(&accepted); err != nil {
		t.Fatal(err)
	}
	page := admin.get("/admin/invitations")
	if page.Doc.Find(`form[action="/admin/invitations/`+fmt.Sprint(expired)+`/resend"]`).Length() != 1 ||
		page.Doc.Find(`form[action="/admin/invitations/`+fmt.Sprint(accepted)+`/resend"]`).Length() != 0 {
		t.Error("Send again is offered on the wrong invitations")
	}
	if res := admin.post(fmt.Sprintf("/admin/invitations/%d/resend", expired), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM invitations WHERE email = 'sam@northern.test' AND expires_at > now() AND delivery_partner_id = $1`, partner); n != 1 {
		t.Errorf("%d usable invitations for the partner's staff member, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'sam@northern.test'`); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}
	admin.post(fmt.Sprintf("/admin/invitations/%d/resend", accepted), nil)
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'done@school.test'`); n != 0 {
		t.Error("an accepted invitation was sent again")
	}
	for _, p := range []string{"/admin/invitations/999999/resend", "/admin/invitations/x/resend"} {
		if res := admin.post(p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", p, res.StatusCode)
		}
	}
}

func TestDeactivationEndsRecordedSessionsAndResetLinks(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staffUser := a.userFor(auth.RolePartnerStaff)
	staff := a.client()
	staff.signIn(staffUser.Email, testPassword)
	page := fmt.Sprintf("/admin/users/%d", staffUser.ID)
	if admin.get(page).Doc.Find(`[data-testid="password-reset"]`).Length() != 1 {
		t.Fatal("no password reset button for an active account")
	}
	if res := admin.post(page+"/password-reset", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("password reset: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM password_resets WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL`, staffUser.ID); n != 1 {
		t.Fatalf("%d open reset links, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, staffUser.Email); n != 1 {
		t.Errorf("%d emails, want the reset link", n)
	}
	admin.post(page+"/deactivate", nil)
	if n := a.count(`SELECT count(*) FROM password_resets WHERE user_id = $1 AND cancelled_at IS NULL`, staffUser.ID); n != 0 {
		t.Errorf("%d reset links still open after deactivation", n)
	}
	if n := a.count(`SELECT count(*) FROM account_sessions WHERE user_id = $1 AND ended_at IS NULL`, staffUser.ID); n != 0 {
		t.Errorf("%d recorded sessions still live after deactivation", n)
	}
	if res := admin.post(page+"/password-reset", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("password reset for a deactivated account: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM password_resets WHERE user_id = $1 AND cancelled_at IS NULL`, staffUser.ID); n != 0 {
		t.Error("a deactivated account was sent a reset link")
	}
}
