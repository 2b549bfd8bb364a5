package milestones

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/frameworks"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/testdb"
)

// world is two delivery partners, each with a cohort on DfE's published 2024
// npq-leadership-autumn schedule (started deadline 25 November 2024).
type world struct {
	pool     *pgxpool.Pool
	queries  *testdb.QueryCounter
	partners [2]int64
	cohorts  [2]int64
	item     int64
	n        int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool, queries := testdb.NewCounted(t)
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
		t.Fatal(err)
	}
	w := &world{pool: pool, queries: queries}
	p := programme.Store{DB: pool}
	course, err := p.CreateCourse(ctx, programme.Course{QualificationCode: "NPQH", Name: "NPQ in Headship", StudyMonths: 18, AssessmentMonths: 3})
	if err != nil {
		t.Fatal(err)
	}
	block, err := p.AddBlock(ctx, course, "Leading improvement", "")
	if err != nil {
		t.Fatal(err)
	}
	if w.item, err = p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Self-study", ExpectedMinutes: 60, Required: true}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"Riverside Hub", "Hilltop Alliance"} {
		if w.partners[i], err = p.SavePartner(ctx, programme.Partner{Name: name, ContactEmail: fmt.Sprintf("hub%d@partner.test", i)}); err != nil {
			t.Fatal(err)
		}
		if w.cohorts[i], err = p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: w.partners[i], Name: name + " NPQH 2024",
			ScheduleIdentifier: "npq-leadership-autumn", StartsOn: start, StudyEndsOn: start.AddDate(1, 6, 0), AssessmentOpensOn: start.AddDate(1, 6, 0),
			AssessmentClosesOn: start.AddDate(1, 9, 0), BlockOpens: map[int64]time.Time{block: start}}); err != nil {
			t.Fatal(err)
		}
		w.exec(t, `UPDATE delivery_partners SET dfe_id = gen_random_uuid() WHERE id = $1`, w.partners[i])
	}
	return w
}

func (w *world) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := w.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// enrol adds a participant with DfE ids to partner i's cohort.
func (w *world) enrol(t *testing.T, i int, name string) int64 {
	t.Helper()
	w.n++
	id, err := programme.Store{DB: w.pool}.Enrol(context.Background(), programme.NewEnrolment{Email: fmt.Sprintf("p%d@school.test", w.n), Name: name,
		CohortID: w.cohorts[i], FundingRoute: programme.FundingScholarship}, 0, "http://localhost")
	if err != nil {
		t.Fatal(err)
	}
	w.exec(t, `UPDATE users SET dfe_participant_id = gen_random_uuid() FROM enrolments e WHERE e.id = $1 AND users.id = e.user_id`, id)
	w.exec(t, `UPDATE enrolments SET dfe_application_id = gen_random_uuid(), dfe_course_identifier = 'npq-headship', dfe_cohort = '2024',
		dfe_schedule_identifier = 'npq-leadership-autumn', dfe_funded_place = true WHERE id = $1`, id)
	return id
}

func (w *world) recompute(t *testing.T, now time.Time) RecomputeResult {
	t.Helper()
	res, err := Recompute(context.Background(), w.pool, now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRecomputeWritesTheNextMilestoneAndThePageIsScopedByPartner(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	now := time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC) // three weeks before the started deadline
	amara := w.enrol(t, 0, "Amara Okafor")
	tom := w.enrol(t, 0, "Tom Birch")
	deferred := w.enrol(t, 0, "Priya Shah")
	other := w.enrol(t, 1, "Owen Price")
	w.exec(t, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'participant', $3)`,
		tom, w.item, time.Date(2024, 10, 14, 10, 0, 0, 0, time.UTC))
	w.exec(t, `UPDATE enrolments SET status = 'deferred' WHERE id = $1`, deferred)
	res := w.recompute(t, now)
	if res.Enrolments != 4 || res.AtRisk != 2 || res.OnTrack != 1 || res.Missed != 0 {
		t.Fatalf("recompute: %+v", res)
	}
	type stored struct {
		partner int64
		typ     string
		state   string
		missing string
	}
	got := map[int64]stored{}
	rows, err := w.pool.Query(ctx, `SELECT enrolment_id, delivery_partner_id, declaration_type, state, missing FROM dfe_milestones_at_risk`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var s stored
		if err := rows.Scan(&id, &s.partner, &s.typ, &s.state, &s.missing); err != nil {
			t.Fatal(err)
		}
		got[id] = s
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	want := map[int64]stored{
		amara: {w.partners[0], "started", "at_risk", "No session attended or activity completed yet"},
		tom:   {w.partners[0], "retained-1", "on_track", "No session attended or activity completed since 26 November 2024"},
		other: {w.partners[1], "started", "at_risk", "No session attended or activity completed yet"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows %v, want %v", got, want)
	}

	req, _ := listing.Read(nil)
	p, err := Store{DB: w.pool}.List(ctx, scope.Partner(w.partners[0]), Filter{}, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 1 || p.Rows[0].EnrolmentID != amara || p.ComputedAt == nil || !p.ComputedAt.Equal(now) || len(p.Cohorts) != 1 || p.Cohorts[0].ID != w.cohorts[0] {
		t.Errorf("partner 0's page: %+v", p)
	}
	if p, _ := (Store{DB: w.pool}).List(ctx, scope.Partner(w.partners[1]), Filter{}, req); len(p.Rows) != 1 || p.Rows[0].EnrolmentID != other {
		t.Errorf("partner 1's page: %+v", p.Rows)
	}
	if p, _ := (Store{DB: w.pool}).List(ctx, scope.Partner(w.partners[0]), Filter{CohortID: w.cohorts[1]}, req); len(p.Rows) != 0 {
		t.Errorf("another partner's cohort as a filter: %+v", p.Rows)
	}
	if p, _ := (Store{DB: w.pool}).List(ctx, scope.Participant(1), Filter{}, req); len(p.Rows) != 0 || len(p.Cohorts) != 0 {
		t.Errorf("a participant's scope: %+v", p)
	}

	// A month later the started deadline has passed: both are missed, and the table is replaced.
	later := now.AddDate(0, 1, 0)
	if res := w.recompute(t, later); res.Missed != 2 || res.AtRisk != 0 {
		t.Fatalf("a month later: %+v", res)
	}
	if p, _ := (Store{DB: w.pool}).List(ctx, scope.Partner(w.partners[0]), Filter{State: Missed}, req); len(p.Rows) != 1 || p.Rows[0].State != Missed || !p.ComputedAt.Equal(later) {
		t.Errorf("missed: %+v", p)
	}
}

func TestRecomputeQueriesDoNotGrowWithEnrolments(t *testing.T) {
	w := newWorld(t)
	now := time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC)
	count := func() int {
		w.queries.Reset()
		w.recompute(t, now)
		n, _ := w.queries.Count()
		return n
	}
	w.enrol(t, 0, "First Person")
	w.recompute(t, now) // warm the statement cache
	one := count()
	for i := range 12 {
		w.enrol(t, i%2, fmt.Sprintf("Person %d", i))
	}
	if many := count(); many != one {
		t.Errorf("%d queries for one enrolment, %d for thirteen", one, many)
	}
	var rows int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM dfe_milestones_at_risk`).Scan(&rows); err != nil || rows != 13 {
		t.Errorf("%d rows, %v", rows, err)
	}
}

func TestListPagesByKeyset(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	for i := range 23 {
		w.enrol(t, 0, fmt.Sprintf("Person %02d", i))
	}
	w.recompute(t, time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC))
	seen := map[int64]bool{}
	req, _ := listing.Read(map[string][]string{"size": {"10"}})
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		rows, err := Store{DB: w.pool}.List(ctx, scope.Partner(w.partners[0]), Filter{Query: "person"}, req)
		if err != nil {
			t.Fatal(err)
		}
		page := listing.Cut(rows.Rows, req, Key)
		for _, r := range page.Rows {
			if seen[r.EnrolmentID] {
				t.Fatalf("enrolment %d twice", r.EnrolmentID)
			}
			seen[r.EnrolmentID] = true
		}
		if page.Next == nil {
			break
		}
		if req, err = listing.Read(map[string][]string{"size": {"10"}, "after": {page.Next.String()}}); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) != 23 {
		t.Errorf("saw %d of 23", len(seen))
	}
}

func TestListCountsTheScopesParticipantsWithNoPublishedDeadline(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.enrol(t, 0, "Published Person")
	later := w.enrol(t, 1, "Later Person")
	w.exec(t, `UPDATE enrolments SET dfe_cohort = '2027' WHERE id = $1`, later) // DfE has published no 2027 dates
	w.recompute(t, time.Date(2027, 11, 4, 9, 0, 0, 0, time.UTC))
	req, _ := listing.Read(nil)
	for i, want := range []int{0, 1} {
		p, err := Store{DB: w.pool}.List(ctx, scope.Partner(w.partners[i]), Filter{}, req)
		if err != nil || p.NoDeadline != want {
			t.Errorf("partner %d: %d without a deadline, want %d (%v)", i, p.NoDeadline, want, err)
		}
	}
}
