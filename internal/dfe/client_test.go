package dfe_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
)

const token = "tok-7f3a9c-secret-value"

type rig struct {
	fake   *dfefake.Server
	client *dfe.Client
	logs   *bytes.Buffer
	mu     sync.Mutex
	slept  []time.Duration
}

func newRig(t *testing.T, opts ...dfe.Option) *rig {
	t.Helper()
	fake, err := dfefake.New(token)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	r := &rig{fake: fake, logs: &bytes.Buffer{}}
	base := []dfe.Option{
		dfe.WithLogger(slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		dfe.WithLimiter(rate.NewLimiter(rate.Inf, 1)),
		dfe.WithSleep(func(_ context.Context, d time.Duration) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.slept = append(r.slept, d)
			return nil
		}),
	}
	client, err := dfe.New(srv.URL, token, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	r.client = client
	t.Cleanup(func() {
		if v := fake.Violations(); len(v) != 0 {
			t.Errorf("contract violations: %v", v)
		}
		if strings.Contains(r.logs.String(), token) {
			t.Errorf("the token appears in the logs")
		}
	})
	return r
}

// accepted seeds an application, accepts it and returns the participant id.
func (r *rig) accepted(t *testing.T, course string) string {
	t.Helper()
	id, pid := r.fake.AddApplication(dfefake.Application{FullName: "Grace Hopper", Email: "grace@example.test", Course: course, Cohort: "2025", SchoolURN: "100001"})
	yes := true
	if _, err := r.client.AcceptApplication(context.Background(), id, &yes, ""); err != nil {
		t.Fatal(err)
	}
	return pid
}

func started(pid string) dfe.NewDeclaration {
	return dfe.NewDeclaration{ParticipantID: pid, DeclarationType: "started", CourseIdentifier: "npq-headship",
		DeclarationDate: time.Now().Add(-48 * time.Hour)}
}

func TestApplicationsArePagedUntilAnEmptyPage(t *testing.T) {
	r := newRig(t, dfe.WithPerPage(2))
	for range 5 {
		r.fake.AddApplication(dfefake.Application{FullName: "A", Course: "npq-headship", Cohort: "2025", SchoolURN: "1"})
	}
	before := r.fake.Calls()
	apps, err := r.client.Applications(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 5 {
		t.Fatalf("got %d applications, want 5", len(apps))
	}
	if calls := r.fake.Calls() - before; calls != 4 {
		t.Fatalf("got %d calls, want 4 (three pages and the empty one)", calls)
	}
	later, err := r.client.Applications(context.Background(), time.Now().Add(time.Hour))
	if err != nil || len(later) != 0 {
		t.Fatalf("updated_since in the future: %d, %v", len(later), err)
	}
}

func TestAcceptAndRejectApplications(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	p, changes, err := r.client.Participant(ctx, pid)
	if err != nil || len(changes) != 0 {
		t.Fatal(err, changes)
	}
	if len(p.Attributes.Enrolments) != 1 || p.Attributes.Enrolments[0].TrainingStatus != "active" {
		t.Fatalf("enrolments: %+v", p.Attributes.Enrolments)
	}
	id, _ := r.fake.AddApplication(dfefake.Application{FullName: "B", Course: "npq-senco", Cohort: "2025", SchoolURN: "1"})
	app, err := r.client.RejectApplication(ctx, id)
	if err != nil || app.Attributes.Status == nil || *app.Attributes.Status != "rejected" {
		t.Fatalf("reject: %+v %v", app, err)
	}
	if _, err := r.client.RejectApplication(ctx, id); dfe.StatusOf(err) != 422 {
		t.Fatalf("second reject: %v", err)
	}
}

func TestDuplicateDeclarationReturnsTheExistingOne(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	first, existing, err := r.client.CreateDeclaration(ctx, started(pid))
	if err != nil || existing {
		t.Fatal(err, existing)
	}
	again, existing, err := r.client.CreateDeclaration(ctx, started(pid))
	if err != nil || !existing || again.ID != first.ID {
		t.Fatalf("duplicate: %+v existing=%v err=%v", again, existing, err)
	}
	if n := r.fake.DeclarationCount(); n != 1 {
		t.Fatalf("DfE holds %d declarations", n)
	}
	if !strings.Contains(r.logs.String(), "status=422") {
		t.Fatalf("the 422 was not logged:\n%s", r.logs)
	}
}

func TestCreateIsNotRetriedBlindly(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")

	// DfE accepted the declaration but the answer was lost.
	r.fake.DropCreateResponses(1)
	decl, existing, err := r.client.CreateDeclaration(ctx, started(pid))
	if err != nil || !existing || decl.ID == "" {
		t.Fatalf("lost answer: %+v existing=%v err=%v", decl, existing, err)
	}
	if n := r.fake.DeclarationCount(); n != 1 {
		t.Fatalf("DfE holds %d declarations", n)
	}

	// The connection broke after DfE stored it: found by the look-up, not sent again.
	r.fake.HangUpAfterCreates(1)
	retainedOne := started(pid)
	retainedOne.DeclarationType = "retained-1"
	decl, existing, err = r.client.CreateDeclaration(ctx, retainedOne)
	if err != nil || !existing || decl.Attributes.DeclarationType != "retained-1" {
		t.Fatalf("hang-up: %+v existing=%v err=%v", decl, existing, err)
	}
	if n := r.fake.DeclarationCount(); n != 2 {
		t.Fatalf("DfE holds %d declarations", n)
	}

	// DfE failed before storing: one attempt, the error is returned for a later try.
	r.fake.FailNext(503)
	retained := started(pid)
	retained.DeclarationType = "retained-2"
	if _, _, err := r.client.CreateDeclaration(ctx, retained); dfe.StatusOf(err) != 503 {
		t.Fatalf("got %v, want the 503", err)
	}
	if n := r.fake.DeclarationCount(); n != 2 {
		t.Fatalf("DfE holds %d declarations", n)
	}
}

func TestTooManyRequestsIsRetriedAfterRetryAfter(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	r.fake.Throttle(2, 7)
	if _, _, err := r.client.CreateDeclaration(ctx, started(pid)); err != nil {
		t.Fatal(err)
	}
	if len(r.slept) != 2 || r.slept[0] != 7*time.Second {
		t.Fatalf("waits: %v", r.slept)
	}
}

func TestReadsAreRetriedOnServerErrors(t *testing.T) {
	r := newRig(t)
	r.fake.AddStatement(dfefake.Statement{Cohort: "2025", Month: "January", Year: "2026",
		CutOff: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC), PaymentDate: time.Date(2026, 2, 25, 0, 0, 0, 0, time.UTC)})
	r.fake.FailNext(500, 502)
	list, err := r.client.Statements(context.Background(), time.Time{})
	if err != nil || len(list) != 1 || list[0].Attributes.CutOffDate != "2026-01-31" {
		t.Fatalf("statements: %+v %v", list, err)
	}
	if len(r.slept) != 2 || r.slept[1] <= r.slept[0] {
		t.Fatalf("backoff: %v", r.slept)
	}
}

func TestParticipantIDChangeIsFollowed(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	newID := "11111111-2222-4333-8444-555555555555"
	if err := r.fake.ChangeParticipantID(pid, newID); err != nil {
		t.Fatal(err)
	}
	p, changes, err := r.client.Participant(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != newID || len(changes) != 1 || changes[0].From != pid || changes[0].To != newID {
		t.Fatalf("got %s with %+v", p.ID, changes)
	}
}

func TestDeclarationStatesAndVoid(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	statement := r.fake.AddStatement(dfefake.Statement{Cohort: "2025", Month: "March", Year: "2099",
		CutOff: time.Now().AddDate(0, 1, 0), PaymentDate: time.Now().AddDate(0, 2, 0)})
	d, _, err := r.client.CreateDeclaration(ctx, started(pid))
	if err != nil {
		t.Fatal(err)
	}
	if d.Attributes.State != "eligible" || d.Attributes.StatementID == nil || *d.Attributes.StatementID != statement {
		t.Fatalf("created: %+v", d.Attributes)
	}
	for _, want := range []string{"payable", "paid"} {
		if got, err := r.fake.AdvanceDeclaration(d.ID); err != nil || got != want {
			t.Fatalf("advance: %s %v", got, err)
		}
	}
	voided, err := r.client.VoidDeclaration(ctx, d.ID)
	if err != nil || voided.Attributes.State != "awaiting_clawback" {
		t.Fatalf("void of a paid declaration: %+v %v", voided.Attributes, err)
	}
	all, err := r.client.Declarations(ctx, time.Time{})
	if err != nil || len(all) != 1 {
		t.Fatalf("declarations: %d %v", len(all), err)
	}
}

func TestDeferResumeWithdrawAndOutcome(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	if _, err := r.client.Withdraw(ctx, pid, "npq-headship", "change-in-career"); dfe.StatusOf(err) != 422 {
		t.Fatalf("withdraw before started: %v", err)
	}
	p, err := r.client.Defer(ctx, pid, "npq-headship", "parental-leave")
	if err != nil || p.Attributes.Enrolments[0].Deferral == nil || p.Attributes.Enrolments[0].Deferral.Reason != "parental-leave" {
		t.Fatalf("defer: %+v %v", p, err)
	}
	if p, err = r.client.Resume(ctx, pid, "npq-headship"); err != nil || p.Attributes.Enrolments[0].TrainingStatus != "active" {
		t.Fatalf("resume: %+v %v", p, err)
	}
	passed := true
	completed := started(pid)
	completed.DeclarationType, completed.HasPassed = "completed", &passed
	if _, _, err := r.client.CreateDeclaration(ctx, completed); err != nil {
		t.Fatal(err)
	}
	o, err := r.client.CreateOutcome(ctx, pid, "npq-headship", "passed", time.Now().AddDate(0, 0, -1))
	if err != nil || o.Attributes.State != "passed" {
		t.Fatalf("outcome: %+v %v", o, err)
	}
	if _, _, err := r.client.CreateDeclaration(ctx, started(pid)); err != nil {
		t.Fatal(err)
	}
	if p, err = r.client.Withdraw(ctx, pid, "npq-headship", "change-in-career"); err != nil || p.Attributes.Enrolments[0].TrainingStatus != "withdrawn" {
		t.Fatalf("withdraw: %+v %v", p, err)
	}
	list, err := r.client.Participants(ctx, time.Time{})
	if err != nil || len(list) != 1 {
		t.Fatalf("participants: %d %v", len(list), err)
	}
}

func TestWrongTokenIsAnUnauthorisedError(t *testing.T) {
	fake, err := dfefake.New("right")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var logs bytes.Buffer
	c, err := dfe.New(srv.URL, "wrong-token-value", dfe.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Statements(context.Background(), time.Time{})
	if dfe.StatusOf(err) != http.StatusUnauthorized || !strings.Contains(err.Error(), "Access denied") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(logs.String(), "wrong-token-value") || strings.Contains(err.Error(), "wrong-token-value") {
		t.Fatal("token leaked")
	}
}

func TestTokenIsRedactedEvenWhenEchoed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"errors":[{"title":"Bad request","detail":"header was ` + r.Header.Get("Authorization") + `"}]}`))
	}))
	defer srv.Close()
	var logs bytes.Buffer
	c, err := dfe.New(srv.URL, token, dfe.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Statements(context.Background(), time.Time{})
	if dfe.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(logs.String(), "[redacted]") || strings.Contains(logs.String(), token) || strings.Contains(err.Error(), token) {
		t.Fatalf("logs: %s", logs.String())
	}
}

func TestScheduleOutcomesPartnersAndWithdrawal(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	r.fake.AddDeliveryPartner("Camden Learning", "2025")
	p, err := r.client.ChangeSchedule(ctx, pid, "npq-headship", "npq-leadership-spring", "2026")
	if err != nil || *p.Attributes.Enrolments[0].ScheduleIdentifier != "npq-leadership-spring" || *p.Attributes.Enrolments[0].Cohort != "2026" {
		t.Fatalf("change schedule: %+v %v", p, err)
	}
	partners, err := r.client.DeliveryPartners(ctx)
	if err != nil || len(partners) != 1 || partners[0].Attributes.Name != "Camden Learning" {
		t.Fatalf("partners: %+v %v", partners, err)
	}
	decl := started(pid)
	decl.DeclarationDate = time.Now().Add(-72 * time.Hour)
	if _, _, err := r.client.CreateDeclaration(ctx, decl); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.ChangeSchedule(ctx, pid, "npq-headship", "npq-leadership-autumn", "2025"); dfe.StatusOf(err) != 422 {
		t.Fatalf("cohort change after started: %v", err)
	}
	if _, err := r.client.Withdraw(ctx, pid, "npq-headship", "started-in-error"); err != nil {
		t.Fatal(err)
	}
	late := started(pid)
	late.DeclarationType, late.DeclarationDate = "retained-1", time.Now()
	_, _, err = r.client.CreateDeclaration(ctx, late)
	var apiErr *dfe.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 422 || !strings.Contains(apiErr.Detail(), "withdrawn") {
		t.Fatalf("declaration after withdrawal: %v", err)
	}
	outcomes, err := r.client.Outcomes(ctx, time.Now().Add(-time.Hour))
	if err != nil || len(outcomes) != 0 {
		t.Fatalf("outcomes: %+v %v", outcomes, err)
	}
}

func TestOutcomesFollowAnIDChange(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	pid := r.accepted(t, "npq-headship")
	passed := true
	completed := started(pid)
	completed.DeclarationType, completed.HasPassed = "completed", &passed
	if _, _, err := r.client.CreateDeclaration(ctx, completed); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.CreateOutcome(ctx, pid, "npq-headship", "passed", time.Now()); err != nil {
		t.Fatal(err)
	}
	newID := "11111111-2222-4333-8444-666666666666"
	if err := r.fake.ChangeParticipantID(pid, newID); err != nil {
		t.Fatal(err)
	}
	list, changes, err := r.client.ParticipantOutcomes(ctx, pid)
	if err != nil || len(changes) != 1 || changes[0].To != newID {
		t.Fatalf("changes %+v, err %v", changes, err)
	}
	if len(list) != 1 || list[0].Attributes.ParticipantID != newID {
		t.Fatalf("outcomes: %+v", list)
	}
	if _, err := r.client.CreateOutcome(ctx, pid, "npq-headship", "passed", time.Now()); dfe.StatusOf(err) != 422 {
		t.Fatalf("outcome for a retired id: %v", err)
	}
}

func TestCallsWaitForTheRateLimit(t *testing.T) {
	r := newRig(t, dfe.WithLimiter(rate.NewLimiter(rate.Every(time.Hour), 1)))
	if _, err := r.client.Statements(context.Background(), time.Time{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	before := r.fake.Calls()
	if _, err := r.client.Statements(ctx, time.Time{}); err == nil || !strings.Contains(err.Error(), "rate limit") {
		t.Fatalf("got %v, want a rate-limit wait", err)
	}
	if r.fake.Calls() != before {
		t.Fatal("a call went out over the limit")
	}
}

func TestDefaultLimiterStaysUnderDfEsLimit(t *testing.T) {
	l := dfe.NewLimiter()
	perFiveMinutes := float64(l.Burst()) + float64(l.Limit())*300
	if perFiveMinutes > 1000 {
		t.Fatalf("up to %.0f requests in 5 minutes", perFiveMinutes)
	}
}

// Two instances declaring the same milestone at once end with one declaration at DfE and
// the same id on both sides.
func TestConcurrentCreatesLeaveOneDeclaration(t *testing.T) {
	r := newRig(t)
	pid := r.accepted(t, "npq-headship")
	ids := make([]string, 4)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, _, err := r.client.CreateDeclaration(context.Background(), started(pid))
			if err != nil {
				t.Error(err)
			}
			ids[i] = d.ID
		}()
	}
	wg.Wait()
	if n := r.fake.DeclarationCount(); n != 1 {
		t.Fatalf("DfE holds %d declarations", n)
	}
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("ids differ: %v", ids)
		}
	}
}
