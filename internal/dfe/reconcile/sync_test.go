package reconcile

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"

	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/frameworks"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/internal/testdb"
)

// world is one participant accepted at the fake DfE and enrolled here with DfE's ids.
type world struct {
	pool        *pgxpool.Pool
	queries     *testdb.QueryCounter
	fake        *dfefake.Server
	client      *dfe.Client
	now         time.Time
	enrolment   int64
	participant string
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
	fake, url := dfetest.Start(t)
	w := &world{pool: pool, queries: queries, fake: fake, client: dfetest.Client(t, url), now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)}
	fake.SetClock(func() time.Time { return w.now })
	p := programme.Store{DB: pool}
	partner, err := p.SavePartner(ctx, programme.Partner{Name: "Riverside Hub", ContactEmail: "hub@riverside.test"})
	if err != nil {
		t.Fatal(err)
	}
	course, err := p.CreateCourse(ctx, programme.Course{QualificationCode: "NPQH", Name: "NPQ in Headship", StudyMonths: 18, AssessmentMonths: 3})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	cohort, err := p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: partner, Name: "NPQH 2026", ScheduleIdentifier: "npq-leadership-autumn",
		StartsOn: start, StudyEndsOn: start.AddDate(1, 6, 0), AssessmentOpensOn: start.AddDate(1, 6, 0), AssessmentClosesOn: start.AddDate(1, 9, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if w.enrolment, err = p.Enrol(ctx, programme.NewEnrolment{Email: "amara@school.example", Name: "Amara Okafor", CohortID: cohort,
		FundingRoute: programme.FundingScholarship}, 0, "http://localhost"); err != nil {
		t.Fatal(err)
	}
	w.participant = dfetest.Enrol(t, pool, fake, w.client, w.enrolment, partner, "2026").ParticipantID
	return w
}

func (w *world) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := w.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// sync runs a sync an hour after the last and returns the mismatches' kinds.
func (w *world) sync(t *testing.T) (SyncResult, []Row) {
	t.Helper()
	w.now = w.now.Add(time.Hour)
	res, err := Sync(context.Background(), w.pool, w.client, w.now)
	if err != nil {
		t.Fatal(err)
	}
	rows, checked, err := Store{DB: w.pool}.List(context.Background(), Filter{}, listing.Request{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	if checked.Count != len(rows) || !checked.At.Equal(w.now) {
		t.Errorf("checked = %+v, want %d at %v", checked, len(rows), w.now)
	}
	return res, rows
}

func rowKinds(rows []Row) []Kind {
	var out []Kind
	for _, r := range rows {
		out = append(out, r.Kind)
	}
	return out
}

// sent sends a started declaration to the fake and records it here as sent.
func (w *world) sent(t *testing.T, at time.Time) string {
	t.Helper()
	d, _, err := w.client.CreateDeclaration(context.Background(), dfe.NewDeclaration{ParticipantID: w.participant,
		DeclarationType: "started", CourseIdentifier: "npq-headship", DeclarationDate: at})
	if err != nil {
		t.Fatal(err)
	}
	w.exec(t, `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version, state, dfe_id, dfe_state, sent_at)
		VALUES ($1, 'started', $2, 'test', 'sent', $3, 'submitted', $4)`, w.enrolment, at, d.ID, w.now)
	return d.ID
}

func TestASyncAgreesThenFindsEachDifference(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if n, err := Reconcile(ctx, w.pool, w.now); err != nil || n != 0 {
		t.Fatalf("before any sync: %d, %v", n, err)
	}
	decl := w.sent(t, time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC))
	advanced, err := w.fake.AdvanceDeclaration(decl)
	if err != nil {
		t.Fatal(err)
	}
	res, rows := w.sync(t)
	if !res.Since.IsZero() || res.Participants != 1 || res.Declarations != 1 || len(rows) != 0 {
		t.Fatalf("first sync: %+v, mismatches %v", res, rowKinds(rows))
	}
	var state string
	if err := w.pool.QueryRow(ctx, `SELECT dfe_state FROM dfe_declarations WHERE dfe_id = $1`, decl).Scan(&state); err != nil || state != advanced {
		t.Fatalf("our declaration's DfE state = %q, %v; want %s", state, err, advanced)
	}

	// DfE defers the participant and voids the declaration; a participant we do not hold applies.
	if _, err := w.client.Defer(ctx, w.participant, "npq-headship", "career-break"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.client.VoidDeclaration(ctx, decl); err != nil {
		t.Fatal(err)
	}
	app, _ := w.fake.AddApplication(dfefake.Application{FullName: "Tom Birch", Course: "npq-senco", Cohort: "2026"})
	if _, err := w.client.AcceptApplication(ctx, app, nil, ""); err != nil {
		t.Fatal(err)
	}
	res, rows = w.sync(t)
	if res.Since.IsZero() || res.Participants != 2 {
		t.Errorf("second sync should read changes only: %+v", res)
	}
	got := map[Kind]Row{}
	for _, r := range rows {
		got[r.Kind] = r
	}
	if len(rows) != 3 || got[TrainingStatus].Theirs != "deferred" || got[DeclVoidedAtDfE].DeclarationID == 0 || got[NotOurs].Name != "Tom Birch" {
		t.Fatalf("mismatches = %+v", rows)
	}
	if got[TrainingStatus].EnrolmentID != w.enrolment || got[TrainingStatus].CourseName != "NPQ in Headship" || got[NotOurs].EnrolmentID != 0 {
		t.Errorf("mismatch rows name the wrong enrolment: %+v", rows)
	}
	first := got[TrainingStatus].FirstFoundAt

	// The status difference lasts and keeps when it was first found; once DfE resumes the
	// participant it is gone.
	_, rows = w.sync(t)
	for _, r := range rows {
		if r.Kind == TrainingStatus && !r.FirstFoundAt.Equal(first) {
			t.Errorf("first found moved from %v to %v", first, r.FirstFoundAt)
		}
	}
	if _, err := w.client.Resume(ctx, w.participant, "npq-headship"); err != nil {
		t.Fatal(err)
	}
	_, rows = w.sync(t)
	if k := rowKinds(rows); len(k) != 2 || k[0] == TrainingStatus || k[1] == TrainingStatus {
		t.Errorf("after DfE resumed them: %v", k)
	}
	e, err := Store{DB: w.pool}.ForEnrolment(ctx, w.enrolment)
	if err != nil || !e.Known || e.TrainingStatus != "active" || len(e.Mismatches) != 1 || e.Mismatches[0].Kind != DeclVoidedAtDfE {
		t.Errorf("ForEnrolment = %+v, %v", e, err)
	}
}

func TestASyncFollowsAParticipantIDChange(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if _, rows := w.sync(t); len(rows) != 0 {
		t.Fatalf("first sync: %v", rowKinds(rows))
	}
	to := "7a1a5a3e-0d4c-4f65-9c1e-6f2b7e0b9a11"
	if err := w.fake.ChangeParticipantID(w.participant, to); err != nil {
		t.Fatal(err)
	}
	res, rows := w.sync(t)
	if res.IDsMoved != 1 {
		t.Errorf("moved %d participants, want 1", res.IDsMoved)
	}
	var now string
	if err := w.pool.QueryRow(ctx, `SELECT u.dfe_participant_id::text FROM users u JOIN enrolments e ON e.user_id = u.id WHERE e.id = $1`, w.enrolment).Scan(&now); err != nil || now != to {
		t.Errorf("participant id = %s, %v; want %s", now, err, to)
	}
	// DfE's copy under the retired id goes with it: nothing is left unmatched.
	if len(rows) != 0 {
		t.Errorf("mismatches after the id change: %+v", rows)
	}
}

func TestReconcileQueriesDoNotGrowWithEnrolments(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.sync(t)
	count := func() int {
		w.queries.Reset()
		if _, err := Reconcile(ctx, w.pool, w.now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		n, _ := w.queries.Count()
		return n
	}
	one := count()
	w.exec(t, `INSERT INTO dfe_participants (participant_id, course_identifier, full_name, training_status, dfe_updated_at, synced_at)
		SELECT gen_random_uuid(), 'npq-senco', 'Someone ' || i, 'active', now(), now() FROM generate_series(1, 40) i`)
	if many := count(); many != one {
		t.Errorf("reconciling 41 participants took %d round trips, 1 took %d", many, one)
	}
}

// A declaration sent after DfE's lists were read is not missing at DfE: the next read has it.
func TestADeclarationSentWhileReadingIsNotAMismatch(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.sync(t)
	w.exec(t, `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version, state, dfe_id, dfe_state, sent_at)
		VALUES ($1, 'started', $2, 'test', 'sent', gen_random_uuid(), 'submitted', $3)`, w.enrolment, w.now.AddDate(0, 0, -7), w.now.Add(time.Minute))
	if n, err := Reconcile(ctx, w.pool, w.now); err != nil || n != 0 {
		t.Fatalf("compared with DfE's lists read before it was sent: %d mismatches, %v", n, err)
	}
	if n, err := Reconcile(ctx, w.pool, w.now.Add(2*time.Minute)); err != nil || n != 1 {
		t.Fatalf("compared with DfE's lists read after it was sent: %d mismatches, %v", n, err)
	}
}

// DfE's outcomes are read and compared with the result we sent: the same one agrees; a later
// outcome recorded at DfE that we did not send is a mismatch.
func TestASyncComparesOutcomes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	completed := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	passed := true
	d, _, err := w.client.CreateDeclaration(ctx, dfe.NewDeclaration{ParticipantID: w.participant, DeclarationType: "completed",
		CourseIdentifier: "npq-headship", DeclarationDate: completed, HasPassed: &passed})
	if err != nil {
		t.Fatal(err)
	}
	w.exec(t, `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, has_passed, rule_version, state, dfe_id, dfe_state, sent_at)
		VALUES ($1, 'completed', $2, true, 'test', 'sent', $3, 'eligible', $4)`, w.enrolment, completed, d.ID, w.now)
	if _, err := w.client.CreateOutcome(ctx, w.participant, "npq-headship", "passed", completed); err != nil {
		t.Fatal(err)
	}
	if res, rows := w.sync(t); res.Outcomes != 1 || len(rows) != 0 {
		t.Fatalf("the result sent: %+v %+v", res, rows)
	}
	w.now = w.now.Add(time.Minute)
	if _, err := w.client.CreateOutcome(ctx, w.participant, "npq-headship", "failed", completed); err != nil {
		t.Fatal(err)
	}
	if _, rows := w.sync(t); len(rows) != 1 || rows[0].Kind != OutcomeKind || rows[0].Theirs != "failed, completed 2 November 2026" {
		t.Fatalf("a result DfE holds that we did not send: %+v", rows)
	}
}
