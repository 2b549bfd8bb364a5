package statuses

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/dfe/outbound"
	"npq/internal/frameworks"
	"npq/internal/programme"
	"npq/internal/testdb"
)

// world is one enrolment known to the fake DfE: a participant accepted on npq-headship in
// DfE's 2026 cohort (npq-leadership-autumn), with our ids for it, on 20 November 2026.
type world struct {
	pool        *pgxpool.Pool
	fake        *dfefake.Server
	url         string
	client      *dfe.Client
	admin       int64
	enrolment   int64
	cohort      int64
	participant string
	partner     string // DfE's delivery partner id
	now         time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool := testdb.New(t)
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
		t.Fatal(err)
	}
	fake, url := dfetest.Start(t)
	w := &world{pool: pool, fake: fake, url: url, client: dfetest.Client(t, url), now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)}
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
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	if w.cohort, err = p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: partner, Name: "NPQH 2026", ScheduleIdentifier: "npq-leadership-autumn",
		StartsOn: start, StudyEndsOn: start.AddDate(1, 6, 0), AssessmentOpensOn: start.AddDate(1, 6, 0), AssessmentClosesOn: start.AddDate(1, 9, 0),
		BlockOpens: map[int64]time.Time{block: start}}); err != nil {
		t.Fatal(err)
	}
	if w.enrolment, err = p.Enrol(ctx, programme.NewEnrolment{Email: "amara@school.example", Name: "Amara Okafor", CohortID: w.cohort,
		FundingRoute: programme.FundingScholarship}, 0, "http://localhost"); err != nil {
		t.Fatal(err)
	}
	e := dfetest.Enrol(t, pool, fake, w.client, w.enrolment, partner, "2026")
	w.participant, w.partner = e.ParticipantID, e.PartnerDfEID
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

// deferral records an approved deferral effective on the day given, decided two days before
// now, and returns its id.
func (w *world) deferral(t *testing.T, reason string, effective time.Time) int64 {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, planned_return_on,
			source, state, requested_by, decided_by, decided_at, effective_on, return_cohort_id, return_on)
		VALUES ($1, 'deferral', $2, $3, $4, 'email', 'approved', $5, $5, $6, $3, $7, $4) RETURNING id`,
		w.enrolment, reason, effective, effective.AddDate(0, 6, 0), w.admin, w.now.AddDate(0, 0, -2), w.cohort).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.exec(t, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason) VALUES ($1, 'deferred', $2, $3)`, w.enrolment, effective, reason)
	return id
}

// withdrawal records an approved withdrawal effective on the day given and returns its id.
func (w *world) withdrawal(t *testing.T, reason string, effective time.Time) int64 {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, source, state,
			requested_by, decided_by, decided_at, effective_on, refund)
		VALUES ($1, 'withdrawal', $2, $3, 'email', 'approved', $4, $4, $5, $3, 'none') RETURNING id`,
		w.enrolment, reason, effective, w.admin, w.now.AddDate(0, 0, -1)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.exec(t, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason) VALUES ($1, 'withdrawn', $2, $3)`, w.enrolment, effective, reason)
	return id
}

// dueStarted records a due started declaration dated the time given.
func (w *world) dueStarted(t *testing.T, at time.Time) {
	t.Helper()
	w.exec(t, `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version, evidence, why)
		VALUES ($1, 'started', $2, 'test', '[]', 'test')`, w.enrolment, at)
}

func (w *world) derive(t *testing.T) DeriveResult {
	t.Helper()
	res, err := Derive(context.Background(), w.pool, w.now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (w *world) send(t *testing.T) SendResult {
	t.Helper()
	res, err := SendDue(context.Background(), w.pool, w.client, w.now)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (w *world) changes(t *testing.T) []StatusChange {
	t.Helper()
	cs, err := Store{DB: w.pool}.ForEnrolment(context.Background(), w.enrolment)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestADecidedDeferralIsPushedOnceWithItsReason(t *testing.T) {
	w := newWorld(t)
	req := w.deferral(t, "parental-leave", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	if res := w.derive(t); res.Added != 1 {
		t.Fatalf("derive: %+v", res)
	}
	if res := w.derive(t); res.Added != 0 {
		t.Fatalf("a second derivation added %d", res.Added)
	}
	if res := w.send(t); res.Sent != 1 || res.Already != 0 {
		t.Fatalf("send: %+v", res)
	}
	if res := w.send(t); res != (SendResult{}) {
		t.Fatalf("a second send: %+v", res)
	}
	if got := w.fake.TrainingStatus(w.participant, "npq-headship"); got != "deferred" {
		t.Fatalf("DfE's training status %q", got)
	}
	p, _, err := w.client.Participant(context.Background(), w.participant)
	if err != nil {
		t.Fatal(err)
	}
	if def := p.Attributes.Enrolments[0].Deferral; def == nil || def.Reason != "parental-leave" {
		t.Errorf("DfE's deferral %+v", def)
	}
	cs := w.changes(t)
	if len(cs) != 1 || cs[0].RequestID != req || cs[0].Action != Defer || cs[0].State != StateSent || cs[0].DfETrainingStatus != "deferred" ||
		cs[0].Attempts != 1 || cs[0].SentAt == nil || cs[0].ReasonLabel() == "" {
		t.Errorf("changes %+v", cs)
	}
}

func TestDeclarationsDatedBeforeAChangeGoFirst(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.dueStarted(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.deferral(t, "career-break", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	if res := w.send(t); res.HeldBack != 1 || res.Sent != 0 {
		t.Fatalf("with the declaration due: %+v", res)
	}
	if got := w.fake.TrainingStatus(w.participant, "npq-headship"); got != "active" {
		t.Fatalf("DfE's training status %q before the declaration went", got)
	}
	if res, err := outbound.SendDue(ctx, w.pool, w.client, w.now); err != nil || res.Sent != 1 {
		t.Fatalf("declarations: %+v %v", res, err)
	}
	if res := w.send(t); res.Sent != 1 || res.HeldBack != 0 {
		t.Fatalf("after the declaration went: %+v", res)
	}
	if got := w.fake.TrainingStatus(w.participant, "npq-headship"); got != "deferred" {
		t.Errorf("DfE's training status %q", got)
	}
}

func TestAWithdrawalGoesAfterItsStartedDeclaration(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	// DfE refuses a withdrawal without a started declaration, so the order shows at DfE.
	w.dueStarted(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	w.withdrawal(t, "quality-of-programme-structure-not-suitable.", time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	if _, err := outbound.SendDue(ctx, w.pool, w.client, w.now); err != nil {
		t.Fatal(err)
	}
	if res := w.send(t); res.Sent != 1 || res.Failed != 0 {
		t.Fatalf("send: %+v", res)
	}
	if got := w.fake.TrainingStatus(w.participant, "npq-headship"); got != "withdrawn" {
		t.Errorf("DfE's training status %q", got)
	}
}

func TestAWithdrawalDfERefusesIsRecordedWithItsTextAndNotRetried(t *testing.T) {
	w := newWorld(t)
	// No started declaration at DfE: DfE refuses the withdrawal.
	w.withdrawal(t, "personal-reason-moving-school", time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	if res := w.send(t); res.Failed != 1 || res.Sent != 0 {
		t.Fatalf("send: %+v", res)
	}
	cs := w.changes(t)
	if len(cs) != 1 || cs[0].State != StateFailed || !strings.Contains(cs[0].Error, "no started declaration") {
		t.Fatalf("changes %+v", cs)
	}
	calls := w.fake.Calls()
	if res := w.send(t); res != (SendResult{}) || w.fake.Calls() != calls {
		t.Errorf("a refused change was sent again: %+v", res)
	}
	// An admin sends it again once the cause is put right: it is due, and the next run sends it.
	c, err := Store{DB: w.pool}.Resend(context.Background(), cs[0].ID, w.admin, w.now)
	if err != nil || c.ID != cs[0].ID {
		t.Fatalf("resend: %+v %v", c, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'dfe.status_change_resent' AND actor_id = $1`, w.admin); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	if _, err := (Store{DB: w.pool}).Resend(context.Background(), cs[0].ID, w.admin, w.now); err == nil {
		t.Error("a due change was sent again a second time")
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_status_changes WHERE state = 'due' AND error = ''`); n != 1 {
		t.Errorf("%d due after the resend", n)
	}
}

func TestTwoSendersAtOncePushItOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.deferral(t, "bereavement", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	clients := []*dfe.Client{dfetest.Client(t, w.url), dfetest.Client(t, w.url)}
	results := make([]SendResult, 2)
	errs := make([]error, 2)
	calls := w.fake.Calls()
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { results[i], errs[i] = SendDue(ctx, w.pool, clients[i], w.now) })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || results[0].Sent+results[1].Sent != 1 || results[0].Already+results[1].Already != 0 {
		t.Fatalf("results %+v, errors %v", results, errs)
	}
	if n := w.fake.Calls() - calls; n != 1 {
		t.Errorf("DfE was called %d times", n)
	}
}

func TestAnInterruptedPushIsRecordedSent(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.deferral(t, "long-term-sickness", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	// DfE applied an earlier push whose answer was lost: it is still due here.
	if _, err := w.client.Defer(ctx, w.participant, "npq-headship", "long-term-sickness"); err != nil {
		t.Fatal(err)
	}
	if res := w.send(t); res.Sent != 1 || res.Already != 1 || res.Failed != 0 {
		t.Fatalf("send: %+v", res)
	}
	if cs := w.changes(t); cs[0].State != StateSent || cs[0].DfETrainingStatus != "deferred" || cs[0].Error != "" {
		t.Errorf("changes %+v", cs)
	}
}

func TestAConfirmedReturnResumes(t *testing.T) {
	w := newWorld(t)
	req := w.deferral(t, "parental-leave", time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	w.send(t)
	w.exec(t, `UPDATE status_requests SET returned_at = $2 WHERE id = $1`, req, w.now.Add(-time.Hour))
	w.exec(t, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason) VALUES ($1, 'active', $2, 'Returned')`, w.enrolment, w.now)
	if res := w.derive(t); res.Added != 1 {
		t.Fatalf("derive: %+v", res)
	}
	if res := w.send(t); res.Sent != 1 {
		t.Fatalf("send: %+v", res)
	}
	if got := w.fake.TrainingStatus(w.participant, "npq-headship"); got != "active" {
		t.Errorf("DfE's training status %q", got)
	}
	cs := w.changes(t)
	if len(cs) != 2 || cs[0].Action != Resume || cs[0].State != StateSent || cs[1].Action != Defer {
		t.Errorf("changes, newest first: %+v", cs)
	}
}

func TestAReinstatementResumes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.dueStarted(t, time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC))
	if _, err := outbound.SendDue(ctx, w.pool, w.client, w.now); err != nil {
		t.Fatal(err)
	}
	w.withdrawal(t, "started-in-error", time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC))
	w.exec(t, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason) VALUES ($1, 'active', $2, 'Reinstated: withdrawn in error')`,
		w.enrolment, w.now)
	if res := w.derive(t); res.Added != 2 {
		t.Fatalf("derive: %+v", res)
	}
	if res := w.send(t); res.Sent != 2 {
		t.Fatalf("send: %+v", res)
	}
	if got := w.fake.TrainingStatus(w.participant, "npq-headship"); got != "active" {
		t.Errorf("DfE's training status %q", got)
	}
}

func TestOldDecisionsAreNotPushed(t *testing.T) {
	w := newWorld(t)
	req := w.deferral(t, "other", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	w.exec(t, `UPDATE status_requests SET decided_at = '2026-02-20' WHERE id = $1`, req)
	if res := w.derive(t); res.Added != 0 {
		t.Fatalf("derive: %+v", res)
	}
}

func TestARetiredParticipantIDIsFollowed(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.deferral(t, "parental-leave", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	const to = "7d9b4c1e-2f3a-4b5c-8d6e-0f1a2b3c4d5e"
	if err := w.fake.ChangeParticipantID(w.participant, to); err != nil {
		t.Fatal(err)
	}
	if res := w.send(t); res.Sent != 1 {
		t.Fatalf("send: %+v", res)
	}
	if got := w.fake.TrainingStatus(to, "npq-headship"); got != "deferred" {
		t.Errorf("DfE's training status %q", got)
	}
	var ours string
	if err := w.pool.QueryRow(ctx, `SELECT u.dfe_participant_id::text FROM users u JOIN enrolments e ON e.user_id = u.id WHERE e.id = $1`, w.enrolment).Scan(&ours); err != nil {
		t.Fatal(err)
	}
	if ours != to {
		t.Errorf("our participant id %s", ours)
	}
}

func TestDfEBusyLeavesItDue(t *testing.T) {
	w := newWorld(t)
	w.deferral(t, "parental-leave", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	w.derive(t)
	w.fake.FailNext(503, 503, 503, 503, 503, 503)
	if res := w.send(t); res.Left != 1 || res.Sent != 0 {
		t.Fatalf("send: %+v", res)
	}
	if cs := w.changes(t); cs[0].State != StateDue || !strings.HasPrefix(cs[0].Error, "Not sent yet") {
		t.Errorf("changes %+v", cs)
	}
}
