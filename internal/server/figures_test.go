package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
)

// The assessment reports are worked out at most every 5 minutes and say when they were.
func TestAssessmentReportsAreKeptForFiveMinutes(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	first := admin.get("/admin/assessment/reports")
	before := first.text(`[data-testid="stage-counts"]`)
	asOf := first.text(`[data-testid="as-of"]`)
	if !strings.Contains(asOf, "Figures as of") {
		t.Fatalf("as of: %q", asOf)
	}
	if _, err := a.pool.Exec(context.Background(), `INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at)
		VALUES ($1, 1, 'submitted', 'C00000001', $2)`, f.enrolment, a.now()); err != nil {
		t.Fatal(err)
	}
	a.clock.Set(a.now().Add(4 * time.Minute))
	if again := admin.get("/admin/assessment/reports"); again.text(`[data-testid="stage-counts"]`) != before || again.text(`[data-testid="as-of"]`) != asOf {
		t.Errorf("within 5 minutes the figures changed: %q, %q", again.text(`[data-testid="stage-counts"]`), again.text(`[data-testid="as-of"]`))
	}
	a.clock.Set(a.now().Add(2 * time.Minute))
	later := admin.get("/admin/assessment/reports")
	if later.text(`[data-testid="stage-counts"]`) == before || later.text(`[data-testid="as-of"]`) == asOf {
		t.Errorf("after 6 minutes the figures are the same: %q, %q", later.text(`[data-testid="stage-counts"]`), later.text(`[data-testid="as-of"]`))
	}
}

// The overview's counts are kept for a minute, except that an admin's own change drops them.
func TestAdminOverviewCountsAreKeptForAMinute(t *testing.T) {
	a := newTestApp(t)
	a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	partners := func(res *testResponse) string {
		return res.text(`.govuk-summary-list__row:nth-child(5) .govuk-summary-list__value`)
	}
	first := admin.get("/admin")
	before := partners(first)
	if !strings.Contains(first.text(`[data-testid="as-of"]`), "Counted at") {
		t.Fatalf("as of: %q", first.text(`[data-testid="as-of"]`))
	}
	a.partner("Added behind the admin's back")
	if n, res := a.queriesFor(admin, "/admin"); partners(res) != before || n > 3 {
		t.Errorf("within the minute: %q (was %q), %d queries", partners(res), before, n)
	}
	a.clock.Set(a.now().Add(61 * time.Second))
	counted := partners(admin.get("/admin"))
	if counted == before {
		t.Errorf("after a minute, still %q", counted)
	}
	if res := admin.post("/admin/partners", url.Values{"name": {"Seaside Teaching School Hub"}, "region": {"South West"},
		"contact_email": {"npq@seaside.test"}}); res.StatusCode != 303 {
		t.Fatalf("adding a partner: %d", res.StatusCode)
	}
	if got := partners(admin.get("/admin")); got == counted {
		t.Errorf("the admin's own change is not counted: %q", got)
	}
}
