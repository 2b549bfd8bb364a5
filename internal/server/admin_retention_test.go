package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

// The retention policy reports before it changes anything; once an admin confirms, it
// deactivates a long-silent staff account and anonymises a participant whose course ended
// years ago, keeping their enrolment, and append-only records stay append-only otherwise.
func TestRetentionPolicyReportsThenApplies(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := t.Context()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staff := a.user("quiet@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	longAgo := a.today().AddDate(-8, 0, 0)
	// (Signing in sets the last sign-in, so the staff member looks first.)
	if res := a.as(staff).get("/admin/retention"); res.StatusCode == http.StatusOK {
		t.Fatal("partner staff reached the retention page")
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason) VALUES ($1, 'completed', $2, 'passed')`, []any{f.enrolment, longAgo}},
		{`UPDATE users SET last_sign_in_at = $2 WHERE id = $1`, []any{f.participant.ID, longAgo}},
		{`UPDATE users SET last_sign_in_at = $2, created_at = $2 WHERE id = $1`, []any{staff.ID, a.now().AddDate(0, 0, -400)}},
		{`INSERT INTO letters (enrolment_id, kind, subject, body) VALUES ($1, 'withdrawal', 'Your withdrawal', 'Dear Pam, ...')`, []any{f.enrolment}},
	} {
		if _, err := a.pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	if got := admin.get("/admin/retention").text(`[data-testid="retention-state"]`); !strings.Contains(got, "Report only") {
		t.Errorf("state: %q", got)
	}
	if res := admin.post("/admin/retention/report", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d", res.StatusCode)
	}
	page := admin.get("/admin/retention")
	report := page.text(`[data-testid="retention-report"]`)
	if !strings.Contains(report, f.participant.Name) || !strings.Contains(report, "Anonymise") || !strings.Contains(report, "quiet@riverside.test") ||
		!strings.Contains(report, "Deactivate") || !strings.Contains(page.text(`[data-testid="retention-counts"]`), "1 account to deactivate and 1 person to anonymise") {
		t.Fatalf("report: %q %q", report, page.text(`[data-testid="retention-counts"]`))
	}
	if n := a.count(`SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL OR anonymised_at IS NOT NULL`); n != 0 {
		t.Fatalf("a report changed %d accounts", n)
	}
	// Starting needs the confirmation.
	if res := admin.post("/admin/retention/apply", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/retention/apply" {
		t.Errorf("apply without confirming: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if got := admin.get("/admin/retention/apply").text("main"); !strings.Contains(got, "cannot be undone") {
		t.Errorf("confirmation: %q", got)
	}
	if n := a.count(`SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL`); n != 0 {
		t.Fatal("the confirmation page changed something")
	}
	if res := admin.post("/admin/retention/apply", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", res.StatusCode, a.logs.String())
	}
	var name, email, letter string
	a.pool.QueryRow(ctx, `SELECT name, email FROM users WHERE id = $1`, f.participant.ID).Scan(&name, &email) //nolint:errcheck
	a.pool.QueryRow(ctx, `SELECT body FROM letters WHERE enrolment_id = $1`, f.enrolment).Scan(&letter)       //nolint:errcheck
	if name != "Former participant" || !strings.HasSuffix(email, "@anonymised.invalid") || strings.Contains(letter, "Pam") {
		t.Errorf("anonymised: %q %q %q", name, email, letter)
	}
	if n := a.count(`SELECT count(*) FROM enrolments WHERE id = $1 AND status = 'completed'`, f.enrolment); n != 1 {
		t.Error("the enrolment DfE needs was not kept")
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND deactivated_at IS NOT NULL`, staff.ID); n != 1 {
		t.Error("the silent staff account was not deactivated")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action IN ('retention.anonymised', 'retention.deactivated', 'retention.started')`); n != 3 {
		t.Errorf("%d audit entries", n)
	}
	if got := admin.get("/admin/retention").text(`[data-testid="retention-state"]`); !strings.Contains(got, "Applied daily") {
		t.Errorf("state after applying: %q", got)
	}
	// Outside anonymising, letters are still append-only.
	if _, err := a.pool.Exec(ctx, `UPDATE letters SET body = 'changed' WHERE enrolment_id = $1`, f.enrolment); err == nil {
		t.Error("a letter was changed outside anonymising")
	}
	if _, err := a.pool.Exec(ctx, `UPDATE audit_log SET action = 'x'`); err == nil {
		t.Error("the audit trail was changed")
	}
	if res := admin.post("/admin/retention/stop", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("stop: %d", res.StatusCode)
	}
}
