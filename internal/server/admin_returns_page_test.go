package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"npq/internal/auth"
)

// The returns list is paged by return date: each page splits into those due back within 3
// months and later ones, and the headings count all of them, whatever the page.
func TestReturnsArePagedWithTotals(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, adminUser := a.signedIn(auth.RoleProviderAdmin)
	today := a.today()
	// 3 due within 3 months, 8 later.
	for i := range 11 {
		u := a.user(fmt.Sprintf("deferred%d@school.test", i), auth.RoleParticipant, nil)
		returnOn := today.AddDate(0, 0, 10+i)
		if i >= 3 {
			returnOn = today.AddDate(0, 6, i)
		}
		if _, err := a.pool.Exec(context.Background(), `WITH e AS (
				INSERT INTO enrolments (user_id, cohort_id, funding_route, starts_on, status) VALUES ($1, $2, 'scholarship', $3, 'deferred') RETURNING id)
			INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, planned_return_on, source, state, decided_by, decided_at, effective_on, return_on)
			SELECT e.id, 'deferral', 'parental-leave', $3, $4, 'participant', 'approved', $5, $6, $3, $4 FROM e`,
			u.ID, f.cohortID, today, returnOn, adminUser.ID, a.now()); err != nil {
			t.Fatal(err)
		}
	}
	n, first := a.queriesFor(admin, "/admin/returns?size=10")
	if n > 4 {
		t.Errorf("first page: %d queries", n)
	}
	heads := first.Doc.Find("h2.govuk-heading-m").Text()
	if !strings.Contains(heads, "Due back within 3 months (3)") || !strings.Contains(heads, "Later (8)") {
		t.Errorf("headings: %q", heads)
	}
	if got := first.Doc.Find(`[data-testid="returns-due"] tbody tr`).Length(); got != 3 {
		t.Errorf("due rows on page 1: %d", got)
	}
	if got := first.Doc.Find(`[data-testid="returns-later"] tbody tr`).Length(); got != 7 {
		t.Errorf("later rows on page 1: %d", got)
	}
	next, ok := first.Doc.Find(`a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page")
	}
	second := admin.get(next)
	if got := second.Doc.Find(`[data-testid="returns-later"] tbody tr`).Length(); got != 1 {
		t.Errorf("later rows on page 2: %d", got)
	}
	if heads := second.Doc.Find("h2.govuk-heading-m").Text(); !strings.Contains(heads, "Due back within 3 months (3)") || !strings.Contains(heads, "Later (8)") {
		t.Errorf("headings on page 2: %q", heads)
	}
	if !strings.Contains(second.text("main"), "On the previous pages.") {
		t.Error("page 2 does not say where the due ones are")
	}
	if _, ok := second.Doc.Find(`a[rel="prev"]`).Attr("href"); !ok {
		t.Error("no previous page")
	}
	if res := admin.get("/admin/returns?after=nonsense"); res.StatusCode != 400 {
		t.Errorf("made-up cursor: %d", res.StatusCode)
	}
}
