package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/programme"
)

// candidates lists the candidate numbers a submissions page shows, in order.
func candidates(t *testing.T, res *testResponse) []string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", res.Request.URL, res.StatusCode, res.text("main"))
	}
	var out []string
	res.Doc.Find(`[data-testid="submission-row"] th`).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// The submissions list is searched, filtered by course, cohort, partner, stage and waiting
// time, sorted longest waiting first and paged.
func TestSubmissionsListFiltersAndPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := context.Background()
	s := programme.Store{DB: a.pool}
	submission := func(email string, cohort int64, stage string, daysAgo int) {
		t.Helper()
		id, err := s.Enrol(ctx, enrolIn(email, cohort), 0, a.ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		var submitted any = a.now().AddDate(0, 0, -daysAgo)
		if stage == "draft" {
			submitted = nil
		}
		if _, err := a.pool.Exec(ctx, `INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at, created_at, released_at)
			VALUES ($1, 1, $2, upper(split_part($3, '@', 1)), $4, $5, CASE WHEN $2 = 'released' THEN now() END)`,
			id, stage, email, submitted, a.now().AddDate(0, 0, -daysAgo)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 12 {
		submission(fmt.Sprintf("r%02d@school.test", i), f.cohortID, "submitted", 40-i)
	}
	submission("h01@school.test", f.cohort2, "submitted", 3)
	submission("h02@school.test", f.cohort2, "ready", 20)
	submission("h03@school.test", f.cohort2, "released", 60)
	submission("h04@school.test", f.cohort2, "draft", 2)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for q, want := range map[string]string{
		"q=h01":             "H01",
		"q=participant+h02": "H02",
		"stage=ready":       "H02",
		"stage=released":    "H03",
		"stage=draft":       "H04",
		"stage=all&partner=" + fmt.Sprint(f.partner2):   "H03 H02 H01 H04",
		"cohort=" + fmt.Sprint(f.cohort2):               "H02 H01",
		"partner=" + fmt.Sprint(f.partner2) + "&age=14": "H02",
		"course=" + fmt.Sprint(f.courseID) + "&q=r1":    "R10 R11",
		"age=28&size=10": "R00 R01 R02 R03 R04 R05 R06 R07 R08 R09",
	} {
		if got := strings.Join(candidates(t, admin.get("/admin/assessment?"+q)), " "); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	first := admin.get("/admin/assessment?size=10")
	if got := candidates(t, first); len(got) != 10 || got[0] != "R00" {
		t.Errorf("first page %v", got)
	}
	row := first.Doc.Find(`[data-testid="submission-course"]`).First().Text()
	if !strings.Contains(row, "NPQH") || !strings.Contains(row, "NPQH Riverside") || !strings.Contains(row, "Riverside Hub") {
		t.Errorf("row does not name course, cohort and partner: %q", row)
	}
	if got := first.Doc.Find(`th[aria-sort]`).AttrOr("aria-sort", ""); got != "ascending" || !strings.Contains(first.text(`[data-testid="sorted-by"]`), "longest waiting first") {
		t.Errorf("sort %q", got)
	}
	second := admin.get(first.Doc.Find(`a[rel="next"]`).AttrOr("href", ""))
	if got := strings.Join(candidates(t, second), " "); got != "R10 R11 H02 H01" {
		t.Errorf("second page %q", got)
	}
	for _, q := range []string{"stage=nonsense", "age=3", "age=x", "course=x", "size=2", "after=" + strings.Repeat("A", 600)} {
		if res := admin.get("/admin/assessment?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: %d", q, res.StatusCode)
		}
	}
	if n, _ := a.queriesFor(admin, "/admin/assessment?stage=all&q=school"); n > 5 {
		t.Errorf("submissions list ran %d queries", n)
	}
	if res := admin.get("/admin/assessment/reports"); !strings.Contains(res.text(`[data-testid="stage-counts"]`), "Ready for release: 1") {
		t.Errorf("reports: %q", res.text(`[data-testid="stage-counts"]`))
	}
}
