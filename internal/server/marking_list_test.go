package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// A marker's page lists all the work still to mark, and pages through the rest latest first,
// so a marker with years of work behind them gets a page of the same size.
func TestMarkingListPagesEarlierWork(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	m := a.marker("long-serving@markers.test", 0)
	ctx := context.Background()
	start := a.now().AddDate(0, -13, 0)
	for i := 1; i <= 13; i++ {
		stage, completed := "released", true
		if i == 13 {
			stage, completed = "in_marking", false
		}
		var id int64
		if err := a.pool.QueryRow(ctx, `INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at, released_at, passed)
			VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'released' THEN $5::timestamptz + interval '30 days' END, CASE WHEN $3 = 'released' THEN true END)
			RETURNING id`, f.enrolment, i, stage, fmt.Sprintf("C%08d", i), start.AddDate(0, i-1, 0)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		at := start.AddDate(0, i-1, 1)
		if _, err := a.pool.Exec(ctx, `INSERT INTO allocations (submission_id, role, marker_id, allocated_at) VALUES ($1, 'first', $2, $3)`, id, m.ID, at); err != nil {
			t.Fatal(err)
		}
		if completed {
			if _, err := a.pool.Exec(ctx, `INSERT INTO mark_sheets (submission_id, role, marker_id, completed_at) VALUES ($1, 'first', $2, $3)`,
				id, m.ID, at.Add(24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := a.as(m)
	n, first := a.queriesFor(c, "/marking?size=10")
	if n > 4 {
		t.Errorf("%d queries", n)
	}
	toMark := first.Doc.Find(`[data-testid="allocation"]`)
	if toMark.Length() != 1 || !strings.Contains(toMark.Text(), "C00000013") {
		t.Errorf("to mark: %q", toMark.Text())
	}
	earlier := first.Doc.Find(`[data-testid="earlier-allocation"] th`).Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if len(earlier) != 10 || earlier[0] != "C00000012" || earlier[9] != "C00000003" {
		t.Errorf("earlier, page 1: %q", earlier)
	}
	next, ok := first.Doc.Find(`a[rel="next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page")
	}
	second := c.get(next)
	rest := second.Doc.Find(`[data-testid="earlier-allocation"] th`).Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if len(rest) != 2 || rest[0] != "C00000002" || rest[1] != "C00000001" {
		t.Errorf("earlier, page 2: %q", rest)
	}
	if second.Doc.Find(`[data-testid="allocation"]`).Length() != 1 {
		t.Error("the work to mark is not on every page")
	}
	if res := c.get("/marking?after=x"); res.StatusCode != 400 {
		t.Errorf("made-up cursor: %d", res.StatusCode)
	}
	// Another marker sees none of it.
	if res := a.as(a.marker("new@markers.test", 0)).get("/marking"); res.Doc.Find(`[data-testid="nothing"]`).Length() != 1 {
		t.Errorf("a new marker's list: %q", res.text("main"))
	}
}
