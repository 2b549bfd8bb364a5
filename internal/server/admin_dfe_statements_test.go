package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/statements"
	"npq/internal/timefmt"
)

// The statement calendar read from DfE: each cohort's next cut-off first, then every
// statement from last month on, with paid ones marked; only admins see it.
func TestDfEStatementsCalendar(t *testing.T) {
	d := newDfEApp(t)
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	if res := admin.get("/admin/dfe/statements"); res.StatusCode != http.StatusOK || res.text(`[data-testid="no-statements"]`) == "" ||
		!strings.Contains(res.text(`[data-testid="synced"]`), "Not read from DfE yet") {
		t.Fatalf("before a sync: %d %q", res.StatusCode, res.text(`[data-testid="synced"]`))
	}

	today := d.today()
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	for i := -2; i <= 2; i++ {
		m := month.AddDate(0, i, 0)
		cut := m.AddDate(0, 1, -1)
		for _, cohort := range []string{"2025", "2026"} {
			d.fake.AddStatement(dfefake.Statement{Cohort: cohort, Month: m.Format("January"), Year: m.Format("2006"),
				CutOff: cut, PaymentDate: cut.AddDate(0, 0, 25), Paid: cut.AddDate(0, 0, 25).Before(today)})
		}
	}
	if _, err := statements.Sync(context.Background(), d.pool, d.srv.dfe, d.now()); err != nil {
		t.Fatal(err)
	}
	n, res := d.queriesFor(admin, "/admin/dfe/statements")
	if res.StatusCode != http.StatusOK || n > 5 {
		t.Fatalf("calendar: %d, %d queries", res.StatusCode, n)
	}
	next := res.text(`[data-testid="next-cut-off"]`)
	thisMonth := month.AddDate(0, 1, -1)
	if !strings.Contains(next, "2025 cohort") || !strings.Contains(next, "2026 cohort") ||
		!strings.Contains(next, "Declare by "+timefmt.Date(thisMonth)) || !strings.Contains(next, month.Format("January 2006")+" statement") {
		t.Errorf("next cut-off: %q", next)
	}
	// Those paid from a month ago on, soonest cut-off first.
	want, first := 0, ""
	for i := -2; i <= 2; i++ {
		m := month.AddDate(0, i, 0)
		if !m.AddDate(0, 1, 24).Before(today.AddDate(0, -1, 0)) {
			want += 2
			if first == "" {
				first = m.Format("January 2006")
			}
		}
	}
	rows := res.Doc.Find(`[data-testid="statements"] tbody tr`)
	if rows.Length() != want || !strings.Contains(rows.First().Text(), first) {
		t.Errorf("%d statements listed, want %d from %s: %q", rows.Length(), want, first, rows.First().Text())
	}
	if strings.Count(rows.Text(), "Next cut-off") != 2 || strings.Count(rows.Text(), "Upcoming") != 4 {
		t.Errorf("standings: %q", rows.Text())
	}
	if res.Doc.Find(`[data-testid="dfe-off"]`).Length() != 0 || !strings.Contains(res.text(`[data-testid="synced"]`), "Read from DfE at") {
		t.Errorf("sync line: %q", res.text(`[data-testid="synced"]`))
	}

	staff := d.as(d.user("sam@riverside.test", auth.RolePartnerStaff, &d.f.partnerID))
	if res := staff.get("/admin/dfe/statements"); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Errorf("partner staff: %d", res.StatusCode)
	}
}

// Without DfE settings the page says the integration is off and shows what is held.
func TestDfEStatementsWithTheIntegrationOff(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.get("/admin/dfe/statements")
	if res.StatusCode != http.StatusOK || res.Doc.Find(`[data-testid="dfe-off"]`).Length() != 1 {
		t.Fatalf("%d, off note %d", res.StatusCode, res.Doc.Find(`[data-testid="dfe-off"]`).Length())
	}
}
