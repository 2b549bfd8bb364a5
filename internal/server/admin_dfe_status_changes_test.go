package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

// statusChangesOf puts, on the test app, approved withdrawals of the fixture's two enrolments
// with DfE ids, and status changes from them: the first participant's due, the second's
// refused by DfE. It returns the refused one's id.
func statusChangesOf(t *testing.T, a *testApp, f *programmeFixture) (failed int64) {
	t.Helper()
	ctx := context.Background()
	for i, e := range []int64{f.enrolment, f.enrolment2} {
		var req int64
		if err := a.pool.QueryRow(ctx, `INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, source, state, decided_by, decided_at, effective_on, refund)
			SELECT e.id, 'withdrawal', 'personal-reason-moving-school', $2, 'email', 'approved', e.user_id, $3, $2, 'none' FROM enrolments e WHERE e.id = $1
			RETURNING id`, e, a.today().AddDate(0, 0, -i-1), a.now()).Scan(&req); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := a.pool.QueryRow(ctx, `INSERT INTO dfe_status_changes (enrolment_id, request_id, action, reason, effective_on, state, error, attempts, last_attempt_at)
			VALUES ($1, $2, 'withdraw', 'personal-reason-moving-school', $3, CASE WHEN $4 THEN 'failed' ELSE 'due' END,
				CASE WHEN $4 THEN 'The participant cannot be withdrawn as no started declaration has been submitted' ELSE '' END,
				CASE WHEN $4 THEN 1 ELSE 0 END, CASE WHEN $4 THEN $5::timestamptz END) RETURNING id`,
			e, req, a.today().AddDate(0, 0, -i-1), i == 1, a.now()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		failed = id
	}
	return failed
}

func TestDfEStatusChangesList(t *testing.T) {
	d := newDfEApp(t)
	statusChangesOf(t, d.testApp, d.f)
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	n, res := d.queriesFor(admin, "/admin/dfe/status-changes")
	if res.StatusCode != http.StatusOK || n > 5 {
		t.Fatalf("list: %d, %d queries\n%s", res.StatusCode, n, res.Body)
	}
	rows := res.Doc.Find(`[data-testid="status-change-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), d.f.participant.Name) || res.text(`[data-testid="action"]`) != "Withdraw" {
		t.Fatalf("due: %q", rows.Text())
	}
	if got := res.text(`[data-testid="reason"]`); !strings.Contains(got, "Moving school") || !strings.Contains(got, "personal-reason-moving-school") {
		t.Errorf("reason %q", got)
	}
	if href, _ := rows.Find("a").Attr("href"); href != "/admin/enrolments/"+itoa(d.f.enrolment) {
		t.Errorf("participant link %q", href)
	}
	if res.Doc.Find(`[data-testid="dfe-off"]`).Length() != 0 || res.Doc.Find(`[data-testid="resend"]`).Length() != 0 {
		t.Error("says the integration is off, or offers to send a due change again")
	}
	res = admin.get("/admin/dfe/status-changes?state=failed")
	if !strings.Contains(res.text(`[data-testid="dfe-error"]`), "no started declaration") || res.Doc.Find(`[data-testid="resend"]`).Length() != 1 {
		t.Errorf("failed: %q", res.text("main"))
	}
	if res := admin.get("/admin/dfe/status-changes?state=sent"); res.text(`[data-testid="no-status-changes"]`) == "" {
		t.Error("sent is not empty")
	}
	if res := admin.get("/admin/dfe/status-changes?state=due&q=" + url.QueryEscape(d.f.other.Email)); res.Doc.Find(`[data-testid="status-change-row"]`).Length() != 0 {
		t.Error("search kept another participant")
	}
	if res := admin.get("/admin/dfe/status-changes?state=due&q=" + url.QueryEscape(d.f.participant.Email)); res.Doc.Find(`[data-testid="status-change-row"]`).Length() != 1 {
		t.Error("search did not find the participant")
	}
	for _, bad := range []string{"?state=voided", "?state=lost", "?after=nonsense", "?after=" + url.QueryEscape(`["x","1"]`)} {
		if res := admin.get("/admin/dfe/status-changes" + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.StatusCode)
		}
	}
	// Keyset paging: twelve more sent changes (reinstatements) in pages of ten.
	for i := range 12 {
		if _, err := d.pool.Exec(context.Background(), `WITH h AS (INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason)
				VALUES ($1, 'active', $2, 'Reinstated') RETURNING id)
			INSERT INTO dfe_status_changes (enrolment_id, status_history_id, action, effective_on, state, dfe_training_status, attempts, sent_at)
			SELECT $1, h.id, 'resume', $2, 'sent', 'active', 1, $3 FROM h`, d.f.enrolment, d.today().AddDate(0, 0, -30+i), d.now()); err != nil {
			t.Fatal(err)
		}
	}
	n, res = d.queriesFor(admin, "/admin/dfe/status-changes?state=sent&size=10")
	if got := res.Doc.Find(`[data-testid="status-change-row"]`).Length(); res.StatusCode != http.StatusOK || n > 5 || got != 10 {
		t.Fatalf("sent: %d, %d queries, %d rows", res.StatusCode, n, got)
	}
	next, ok := res.Doc.Find(`a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page")
	}
	if res := admin.get(next); res.Doc.Find(`[data-testid="status-change-row"]`).Length() != 2 {
		t.Errorf("next page: %d rows", res.Doc.Find(`[data-testid="status-change-row"]`).Length())
	}
}

func TestDfEStatusChangesAreAdminsOnly(t *testing.T) {
	d := newDfEApp(t)
	failed := statusChangesOf(t, d.testApp, d.f)
	partner, _ := d.signedIn(auth.RolePartnerStaff)
	for _, c := range []*testClient{partner, d.as(d.f.participant)} {
		if res := c.get("/admin/dfe/status-changes"); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("list: %d", res.StatusCode)
		}
		if res := c.post("/admin/dfe/status-changes/"+itoa(failed)+"/resend", url.Values{}); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("send again: %d", res.StatusCode)
		}
	}
	if n := d.count(`SELECT count(*) FROM dfe_status_changes WHERE state = 'failed'`); n != 1 {
		t.Error("a refused change was made due")
	}
}

func TestSendARefusedDfEStatusChangeAgain(t *testing.T) {
	d := newDfEApp(t)
	failed := statusChangesOf(t, d.testApp, d.f)
	admin, user := d.signedIn(auth.RoleProviderAdmin)
	for _, bad := range []string{"/admin/dfe/status-changes/999999/resend", "/admin/dfe/status-changes/x/resend"} {
		if res := admin.post(bad, url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	path := "/admin/dfe/status-changes/" + itoa(failed) + "/resend"
	res := admin.post(path, url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/dfe/status-changes?state=due" {
		t.Fatalf("send again: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if n := d.count(`SELECT count(*) FROM dfe_status_changes WHERE id = $1 AND state = 'due' AND error = ''`, failed); n != 1 {
		t.Fatal("not due again")
	}
	if n := d.count(`SELECT count(*) FROM audit_log WHERE action = 'dfe.status_change_resent' AND actor_id = $1`, user.ID); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	if res := admin.get("/admin/dfe/status-changes"); res.Doc.Find(`[data-testid="status-change-row"]`).Length() != 2 {
		t.Errorf("due list: %q", res.text("main"))
	}
	// Again: told only a refused one can be sent again, on the refused list.
	res = admin.post(path, url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/dfe/status-changes?state=failed" {
		t.Fatalf("second send again: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if n := d.count(`SELECT count(*) FROM audit_log WHERE action = 'dfe.status_change_resent'`); n != 1 {
		t.Fatalf("%d audit entries after a second send again", n)
	}
}

func TestDfEStatusChangesWithTheIntegrationOff(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	failed := statusChangesOf(t, a, f)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.get("/admin/dfe/status-changes?state=failed")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.text(`[data-testid="dfe-off"]`), "DFE_API_TOKEN") || res.Doc.Find(`[data-testid="resend"]`).Length() != 0 {
		t.Fatalf("%d: %s", res.StatusCode, res.text("main"))
	}
	res = admin.post("/admin/dfe/status-changes/"+itoa(failed)+"/resend", url.Values{})
	if res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM dfe_status_changes WHERE state = 'failed'`) != 1 {
		t.Fatalf("send again with the integration off: %d", res.StatusCode)
	}
}

// The enrolment page's DfE section lists its status changes, with DfE's reason for a refusal.
func TestEnrolmentPageShowsItsDfEStatusChanges(t *testing.T) {
	d := newDfEApp(t)
	statusChangesOf(t, d.testApp, d.f)
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	got := admin.get("/admin/enrolments/" + itoa(d.f.enrolment2)).text(`[data-testid="enrolment-status-changes"]`)
	if !strings.Contains(got, "Withdraw") || !strings.Contains(got, "Refused by DfE") || !strings.Contains(got, "no started declaration has been submitted") {
		t.Errorf("status changes on the enrolment page: %q", got)
	}
}
