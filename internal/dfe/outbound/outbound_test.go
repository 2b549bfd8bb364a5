package outbound

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/frameworks"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/testdb"

	"github.com/jackc/pgx/v5/pgxpool"
)

// world is one enrolment known to the fake DfE: a participant accepted on npq-headship in
// DfE's 2026 cohort (npq-leadership-autumn, from 1 October 2026), with our ids for it.
type world struct {
	pool      *pgxpool.Pool
	queries   *testdb.QueryCounter
	fake      *dfefake.Server
	url       string
	client    *dfe.Client
	admin     int64
	enrolment int64
	item      int64
	item2     int64
	item3     int64
	now       time.Time
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
	w := &world{pool: pool, queries: queries, fake: fake, url: url, client: dfetest.Client(t, url), now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)}
	fake.SetClock(func() time.Time { return w.now })
	admin, err := auth.Store{DB: pool}.UpsertUser(ctx, "admin@npq.test", "Ada Admin", auth.RoleProviderAdmin, nil, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	w.admin = admin.ID
	p := programme.Store{DB: pool}
	partner, err := p.SavePartner(ctx, programme.Partner{Name: "Riverside Hub", ContactEmail: "hub@riverside.test"})
	if err != nil {
		t.Fatal(err)
	}
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
	if w.item2, err = p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Further study", ExpectedMinutes: 60, Required: true}); err != nil {
		t.Fatal(err)
	}
	if w.item3, err = p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Reflection", ExpectedMinutes: 60, Required: true}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	cohort, err := p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: partner, Name: "NPQH 2026", ScheduleIdentifier: "npq-leadership-autumn",
		StartsOn: start, StudyEndsOn: start.AddDate(1, 6, 0), AssessmentOpensOn: start.AddDate(1, 6, 0), AssessmentClosesOn: start.AddDate(1, 9, 0),
		BlockOpens: map[int64]time.Time{block: start}})
	if err != nil {
		t.Fatal(err)
	}
	if w.enrolment, err = p.Enrol(ctx, programme.NewEnrolment{Email: "amara@school.example", Name: "Amara Okafor", CohortID: cohort,
		FundingRoute: programme.FundingScholarship}, 0, "http://localhost"); err != nil {
		t.Fatal(err)
	}
	dfetest.Enrol(t, pool, fake, w.client, w.enrolment, partner, "2026")
	return w
}

func (w *world) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := w.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// completed records the participant completing the item at the time given.
func (w *world) completed(t *testing.T, at time.Time) {
	t.Helper()
	w.exec(t, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'participant', $3)`, w.enrolment, w.item, at)
}

func (w *world) derive(t *testing.T) DeriveResult {
	t.Helper()
	res, err := Derive(context.Background(), w.pool, w.now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestAStartedDeclarationIsDerivedAndSentOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	if res := w.derive(t); res.Enrolments != 1 || res.Added != 0 {
		t.Fatalf("before any evidence: %+v", res)
	}
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	if res := w.derive(t); res.Added != 1 {
		t.Fatalf("after the first completion: %+v", res)
	}
	if res := w.derive(t); res.Added != 0 {
		t.Fatalf("a second derivation added %d", res.Added)
	}
	var evidence, version string
	if err := w.pool.QueryRow(ctx, `SELECT evidence::text, rule_version FROM dfe_declarations WHERE enrolment_id = $1 AND declaration_type = 'started' AND state = 'due'`,
		w.enrolment).Scan(&evidence, &version); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(evidence, `"completion:`) || version == "" {
		t.Errorf("evidence %s, rule version %q", evidence, version)
	}
	res, err := SendDue(ctx, w.pool, w.client, w.now)
	if err != nil || res.Sent != 1 || res.Matched != 0 {
		t.Fatalf("send: %+v %v", res, err)
	}
	if res, err := SendDue(ctx, w.pool, w.client, w.now); err != nil || res != (SendResult{}) {
		t.Fatalf("a second send: %+v %v", res, err)
	}
	if n := w.fake.DeclarationCount(); n != 1 {
		t.Fatalf("DfE holds %d declarations", n)
	}
	var dfeID, dfeState string
	if err := w.pool.QueryRow(ctx, `SELECT dfe_id::text, dfe_state FROM dfe_declarations WHERE state = 'sent' AND attempts = 1`).Scan(&dfeID, &dfeState); err != nil {
		t.Fatal(err)
	}
	if got := w.fake.DeclarationState(dfeID); got != dfeState || got != "eligible" {
		t.Errorf("DfE state %q, ours %q", got, dfeState)
	}
}

func TestTwoSendersAtOnceCreateItOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.derive(t)
	clients := []*dfe.Client{dfetest.Client(t, w.url), dfetest.Client(t, w.url)}
	results := make([]SendResult, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { results[i], errs[i] = SendDue(ctx, w.pool, clients[i], w.now) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || results[0].Sent+results[1].Sent != 1 {
		t.Fatalf("results %+v, errors %v", results, errs)
	}
	if n := w.fake.DeclarationCount(); n != 1 {
		t.Fatalf("DfE holds %d declarations", n)
	}
}

func TestASendInterruptedAfterDfEAcceptedItIsNotRepeated(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	at := time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC)
	w.completed(t, at)
	w.derive(t)
	// DfE accepted the declaration but our record of it was lost: it is still due here.
	var participant string
	if err := w.pool.QueryRow(ctx, `SELECT u.dfe_participant_id::text FROM users u JOIN enrolments e ON e.user_id = u.id WHERE e.id = $1`, w.enrolment).Scan(&participant); err != nil {
		t.Fatal(err)
	}
	earlier, _, err := w.client.CreateDeclaration(ctx, dfe.NewDeclaration{ParticipantID: participant, DeclarationType: "started",
		CourseIdentifier: "npq-headship", DeclarationDate: at, DeliveryPartnerID: w.partnerDfEID(t)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := SendDue(ctx, w.pool, w.client, w.now)
	if err != nil || res.Sent != 1 || res.Matched != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	if n := w.fake.DeclarationCount(); n != 1 {
		t.Fatalf("DfE holds %d declarations", n)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_declarations WHERE state = 'sent' AND dfe_id = $1 AND matched_existing`, earlier.ID); n != 1 {
		t.Fatal("DfE's existing declaration was not recorded")
	}
}

func (w *world) partnerDfEID(t *testing.T) string {
	t.Helper()
	var id string
	if err := w.pool.QueryRow(context.Background(), `SELECT p.dfe_id::text FROM delivery_partners p JOIN cohorts h ON h.delivery_partner_id = p.id
		JOIN enrolments e ON e.cohort_id = h.id WHERE e.id = $1`, w.enrolment).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestARefusalIsRecordedWithDfEsTextAndNotRetried(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	// Our record names a course DfE does not hold for this participant.
	w.exec(t, `UPDATE enrolments SET dfe_course_identifier = 'npq-senior-leadership' WHERE id = $1`, w.enrolment)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.derive(t)
	res, err := SendDue(ctx, w.pool, w.client, w.now)
	if err != nil || res.Failed != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	var msg string
	if err := w.pool.QueryRow(ctx, `SELECT error FROM dfe_declarations WHERE state = 'failed' AND attempts = 1`).Scan(&msg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "course_identifier' is not recognised") {
		t.Errorf("error %q", msg)
	}
	calls := w.fake.Calls()
	if res, err := SendDue(ctx, w.pool, w.client, w.now); err != nil || res != (SendResult{}) || w.fake.Calls() != calls {
		t.Fatalf("a refused declaration was sent again: %+v %v", res, err)
	}
	// Nothing further is derived for the enrolment while the refusal stands.
	w.completed2(t)
	if res := w.derive(t); res.Added != 0 {
		t.Errorf("derived %d behind a refusal", res.Added)
	}
}

// completed2 adds a second, later engagement.
func (w *world) completed2(t *testing.T) {
	t.Helper()
	w.exec(t, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'participant', $3)`,
		w.enrolment, w.item2, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
}

func TestDfEBusyLeavesItDue(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.derive(t)
	w.fake.Throttle(10, 1)
	res, err := SendDue(ctx, w.pool, w.client, w.now)
	if err != nil || res.Left != 1 || res.Sent != 0 {
		t.Fatalf("send while throttled: %+v %v", res, err)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_declarations WHERE state = 'due' AND attempts = 1`); n != 1 {
		t.Fatal("not left due")
	}
}

func TestVoidingIsRecordedAndAudited(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.derive(t)
	if _, err := SendDue(ctx, w.pool, w.client, w.now); err != nil {
		t.Fatal(err)
	}
	var id int64
	var dfeID string
	if err := w.pool.QueryRow(ctx, `SELECT id, dfe_id::text FROM dfe_declarations WHERE state = 'sent'`).Scan(&id, &dfeID); err != nil {
		t.Fatal(err)
	}
	if ps := CheckVoid(" "); len(ps) != 1 {
		t.Errorf("an empty reason: %v", ps)
	}
	s := Store{DB: w.pool}
	if err := s.Void(ctx, w.client, id, "Attendance recorded against the wrong participant", w.admin, w.now); err != nil {
		t.Fatal(err)
	}
	if got := w.fake.DeclarationState(dfeID); got != "voided" {
		t.Errorf("DfE state %q", got)
	}
	d, err := s.ByID(ctx, id, w.now)
	if err != nil || d.State != StateVoided || d.DfEState != "voided" || d.VoidedBy != "Ada Admin" || d.VoidReason == "" {
		t.Fatalf("%+v %v", d, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'dfe.declaration_voided' AND actor_id = $1 AND subject = $2`, w.admin, fmt.Sprintf("enrolment:%d", w.enrolment)); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	err = s.Void(ctx, w.client, id, "Again", w.admin, w.now)
	if _, ok := problem.As(err); !ok {
		t.Fatalf("a second void: %v", err)
	}
	// The same evidence does not earn it again.
	if res := w.derive(t); res.Added != 0 {
		t.Errorf("derived %d again after the void", res.Added)
	}
}

// Derive costs the same round trips for one enrolment as for several (in one chunk).
func TestDeriveQueriesDoNotGrowWithEnrolments(t *testing.T) {
	w := newWorld(t)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.queries.Reset()
	w.derive(t)
	one, _ := w.queries.Count()
	w.threeMoreStarted(t)
	w.queries.Reset()
	if res := w.derive(t); res.Added != 3 || res.Enrolments != 4 {
		t.Fatalf("%+v", res)
	}
	if many, trace := w.queries.Count(); many != one {
		t.Errorf("%d round trips for four enrolments, %d for one:\n%v", many, one, trace)
	}
}

// threeMoreStarted enrols three more participants with DfE ids in the world's cohort, each
// with a completion that earns a started declaration.
func (w *world) threeMoreStarted(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	p := programme.Store{DB: w.pool}
	var cohort int64
	if err := w.pool.QueryRow(ctx, `SELECT cohort_id FROM enrolments WHERE id = $1`, w.enrolment).Scan(&cohort); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		email := fmt.Sprintf("p%d@school.example", i)
		e, err := p.Enrol(ctx, programme.NewEnrolment{Email: email, Name: "Person", CohortID: cohort, FundingRoute: programme.FundingScholarship}, 0, "http://localhost")
		if err != nil {
			t.Fatal(err)
		}
		w.exec(t, `UPDATE users SET dfe_participant_id = gen_random_uuid() WHERE email = $1`, email)
		w.exec(t, `UPDATE enrolments SET dfe_course_identifier = 'npq-headship', dfe_cohort = '2026' WHERE id = $1`, e)
		w.exec(t, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'participant', $3)`,
			e, w.item, time.Date(2026, 10, 13, 9, 0, 0, 0, time.UTC))
	}
}

// Evidence is read a chunk of enrolments at a time, so its memory does not grow with their
// number: cut to one enrolment a chunk, every enrolment is still derived once, and EachTarget
// gives each target once, in order.
func TestDeriveReadsAChunkOfEnrolmentsAtATime(t *testing.T) {
	defer func(was int) { chunk = was }(chunk)
	chunk = 1
	w := newWorld(t)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.threeMoreStarted(t)
	if res := w.derive(t); res.Added != 4 || res.Enrolments != 4 {
		t.Fatalf("first run: %+v", res)
	}
	if res := w.derive(t); res.Added != 0 || res.Enrolments != 4 {
		t.Fatalf("second run: %+v", res)
	}
	var seen []int64
	if err := EachTarget(context.Background(), w.pool, func(tg Target) error {
		seen = append(seen, tg.EnrolmentID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 || !slices.IsSorted(seen) || seen[0] != w.enrolment {
		t.Errorf("targets %v", seen)
	}
}

// A result released after a failed one is sent as an outcome update once DfE holds the
// completed declaration, and only once.
func TestALaterResultIsSentAsAnOutcomeUpdate(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	for i, day := range []int{12, 20, 28} {
		item := []int64{w.item, w.item2, w.item3}[i]
		w.exec(t, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'participant', $3)`,
			w.enrolment, item, time.Date(2026, 10, day, 9, 0, 0, 0, time.UTC))
	}
	for i, r := range []struct {
		passed bool
		at     time.Time
	}{{false, time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)}, {true, time.Date(2026, 11, 15, 10, 0, 0, 0, time.UTC)}} {
		w.exec(t, `INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at, passed, released_at)
			VALUES ($1, $2, 'released', $3, $4, $5, $6)`, w.enrolment, i+1, fmt.Sprintf("C%d", i+1), r.at.AddDate(0, 0, -20), r.passed, r.at)
	}
	if res := w.derive(t); res.Added != 4 || res.Outcomes != 1 {
		t.Fatalf("derive: %+v", res)
	}
	res, err := SendDue(ctx, w.pool, w.client, w.now)
	if err != nil || res.Sent != 4 || res.OutcomesSent != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	var participant string
	if err := w.pool.QueryRow(ctx, `SELECT u.dfe_participant_id::text FROM users u JOIN enrolments e ON e.user_id = u.id WHERE e.id = $1`, w.enrolment).Scan(&participant); err != nil {
		t.Fatal(err)
	}
	outcomes, _, err := w.client.ParticipantOutcomes(ctx, participant)
	if err != nil || len(outcomes) != 1 || outcomes[0].Attributes.State != "passed" || outcomes[0].Attributes.CompletionDate != "2026-11-15" {
		t.Fatalf("DfE holds %+v %v", outcomes, err)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_declarations WHERE declaration_type = 'completed' AND has_passed = false AND state = 'sent'`); n != 1 {
		t.Error("the completed declaration does not carry the first result")
	}
	if res := w.derive(t); res.Added != 0 || res.Outcomes != 0 {
		t.Fatalf("a second derivation: %+v", res)
	}
	if res, err := SendDue(ctx, w.pool, w.client, w.now); err != nil || res != (SendResult{}) {
		t.Fatalf("a second send: %+v %v", res, err)
	}
}

// Evidence the engine refuses (here: no delivery partner id for a 2026 cohort) is counted,
// not recorded.
func TestRefusedEvidenceIsCountedNotRecorded(t *testing.T) {
	w := newWorld(t)
	w.exec(t, `UPDATE delivery_partners SET dfe_id = NULL`)
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	res := w.derive(t)
	if res.Added != 0 || res.Refused["no_delivery_partner"] != 1 {
		t.Fatalf("%+v", res)
	}
}

// DfE merged the participant's records and retired the id we hold: the create is refused
// (422), the participant's record answers 410 with the new id, and the send follows it: the
// declaration is sent under the new id, our participant moves to it, and the change is kept.
func TestASendFollowsAParticipantIDChange(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	var old string
	if err := w.pool.QueryRow(ctx, `SELECT u.dfe_participant_id::text FROM users u JOIN enrolments e ON e.user_id = u.id WHERE e.id = $1`,
		w.enrolment).Scan(&old); err != nil {
		t.Fatal(err)
	}
	const merged = "7c6d1f1e-5b8a-4f5e-9d7e-3a2b1c0d9e8f"
	if err := w.fake.ChangeParticipantID(old, merged); err != nil {
		t.Fatal(err)
	}
	w.completed(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.derive(t)
	res, err := SendDue(ctx, w.pool, w.client, w.now)
	if err != nil || res.Sent != 1 || res.Failed != 0 {
		t.Fatalf("send: %+v %v", res, err)
	}
	if n := w.count(t, `SELECT count(*) FROM users WHERE dfe_participant_id = $1`, merged); n != 1 {
		t.Errorf("%d participants hold the new id", n)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_participant_id_changes WHERE from_id = $1 AND to_id = $2`, old, merged); n != 1 {
		t.Errorf("%d changes recorded", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'dfe.participant_id_changed'`); n != 1 {
		t.Errorf("%d audit entries for the change", n)
	}
	if n := w.fake.DeclarationCount(); n != 1 {
		t.Errorf("DfE holds %d declarations", n)
	}
}
