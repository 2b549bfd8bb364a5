package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
	"npq/internal/programme"
	"npq/internal/timefmt"
)

// submitForDueTest drafts, documents and submits a complete assessment for an enrolment.
func (a *testApp) submitForDueTest(spec assessment.Spec, enrolment int64) int64 {
	a.t.Helper()
	ctx := context.Background()
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider}
	id, err := st.StartAttempt(ctx, enrolment, a.now())
	if err != nil {
		a.t.Fatal(err)
	}
	texts := map[string]string{}
	for k, v := range draftForm(spec) {
		texts[strings.TrimPrefix(k, "text-")] = v[0]
	}
	if err := st.SaveDraft(ctx, id, texts); err != nil {
		a.t.Fatal(err)
	}
	for _, sl := range spec.DocumentSlots() {
		if err := st.AddFile(ctx, id, sl.Key(), "d.pdf", "application/pdf", testPDF); err != nil {
			a.t.Fatal(err)
		}
	}
	if err := st.Submit(ctx, id, a.now()); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// An assessor's list shows each allocation's due date (15 working days after allocation),
// sorted by it, with overdue work first and marked as overdue.
func TestMarkingListShowsDueDatesOverdueFirst(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	ctx := context.Background()
	m := a.marker("marker@markers.test", 0)
	recent := a.submitForDueTest(spec, f.enrolment)
	s := programme.Store{DB: a.pool}
	other, err := s.Enrol(ctx, enrolIn("late@school.test", f.cohort2), 0, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	old := a.submitForDueTest(spec, other)
	for _, id := range []int64{recent, old} {
		if _, err := a.pool.Exec(ctx, `INSERT INTO allocations (submission_id, role, marker_id) VALUES ($1, 'first', $2)`, id, m.ID); err != nil {
			t.Fatal(err)
		}
		a.pool.Exec(ctx, `UPDATE submissions SET stage = 'in_marking' WHERE id = $1`, id) //nolint:errcheck
	}
	oldAt := a.now().AddDate(0, 0, -30)
	a.pool.Exec(ctx, `UPDATE allocations SET allocated_at = $2 WHERE submission_id = $1`, old, oldAt)      //nolint:errcheck
	a.pool.Exec(ctx, `UPDATE allocations SET allocated_at = $2 WHERE submission_id = $1`, recent, a.now()) //nolint:errcheck

	res := a.as(m).get("/marking")
	rows := res.Doc.Find(`[data-testid="allocation"]`)
	if rows.Length() != 2 {
		t.Fatalf("%d rows", rows.Length())
	}
	first, second := rows.Eq(0), rows.Eq(1)
	if !strings.Contains(first.Find("th a").AttrOr("href", ""), fmt.Sprint(old)) {
		t.Errorf("the overdue allocation is not first: %q", first.Text())
	}
	if got, want := strings.TrimSpace(first.Find(`[data-testid="due"]`).Text()), timefmt.Date(assessment.MarkingDue(oldAt)); got != want {
		t.Errorf("due %q, want %q", got, want)
	}
	if first.Find(`[data-testid="overdue"]`).Length() != 1 || second.Find(`[data-testid="overdue"]`).Length() != 0 {
		t.Errorf("overdue marks: %q / %q", first.Text(), second.Text())
	}
	if got, want := strings.TrimSpace(second.Find(`[data-testid="due"]`).Text()), timefmt.Date(assessment.MarkingDue(a.now())); got != want {
		t.Errorf("due %q, want %q", got, want)
	}
	if res.Doc.Find(`th[aria-sort="ascending"]`).Text() != "Due" {
		t.Error("the sort is not shown")
	}
}
