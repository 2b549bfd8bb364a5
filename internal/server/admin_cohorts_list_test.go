package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

// The cohorts list is paged by start, latest first, counts only its page's participants, and
// is searched by name.
func TestCohortsAreListedAPageAtATime(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for i := range 12 {
		if _, err := a.pool.Exec(context.Background(), `INSERT INTO cohorts (course_id, delivery_partner_id, name, schedule_identifier,
				starts_on, study_ends_on, assessment_opens_on, assessment_closes_on)
			VALUES ($1, $2, $3, 'npq-leadership-autumn', $4::date, $4::date + 500, $4::date + 500, $4::date + 600)`,
			f.courseID, f.partnerID, fmt.Sprintf("Paging cohort %02d", i), a.today().AddDate(1, i, 0)); err != nil {
			t.Fatal(err)
		}
	}
	n, first := a.queriesFor(admin, "/admin/cohorts?size=10")
	if n > 4 {
		t.Errorf("first page: %d queries", n)
	}
	names := first.Doc.Find(`[data-testid="cohorts"] tbody tr a`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if len(names) != 10 || names[0] != "Paging cohort 11" || names[9] != "Paging cohort 02" {
		t.Errorf("first page: %q", names)
	}
	if !strings.Contains(first.text(`[data-testid="sorted-by"]`), "latest first") {
		t.Errorf("sorted by: %q", first.text(`[data-testid="sorted-by"]`))
	}
	next, ok := first.Doc.Find(`a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page")
	}
	second := admin.get(next)
	rest := second.Doc.Find(`[data-testid="cohorts"] tbody tr a`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	// Two more paging cohorts, then the fixture's two.
	if len(rest) != 4 || rest[0] != "Paging cohort 01" || rest[1] != "Paging cohort 00" {
		t.Errorf("second page: %q", rest)
	}
	if got := second.text(`[data-testid="cohorts"] tbody tr:nth-child(3) td:last-child`); !strings.Contains(got, "of") {
		t.Errorf("participants: %q", got)
	}
	found := admin.get("/admin/cohorts?q=cohort+07")
	if got := found.Doc.Find(`[data-testid="cohorts"] tbody tr`).Length(); got != 1 {
		t.Errorf("search found %d", got)
	}
	if none := admin.get("/admin/cohorts?q=nothing-like-it"); none.Doc.Find(`[data-testid="no-results"]`).Length() != 1 {
		t.Error("an empty search says nothing")
	}
	if res := admin.get("/admin/cohorts?before=garbage"); res.StatusCode != 400 {
		t.Errorf("made-up cursor: %d", res.StatusCode)
	}
}
