package lifecycle_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/testdb"
)

type fixture struct {
	pool         *pgxpool.Pool
	s            lifecycle.Store
	p            programme.Store
	course       int64
	cohort, next int64
	blocks       []int64
	session      int64
	admin        int64
	now, today   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := testdb.New(t)
	lib, _ := frameworks.Load(frameworkdata.FS)
	if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
		t.Fatal(err)
	}
	f := &fixture{pool: pool, s: lifecycle.Store{DB: pool, BaseURL: "http://npq.test", Signature: lifecycle.Signature{Name: "The NPQ team at Example Trust", ContactEmail: "npqs@example.org"}}, p: programme.Store{DB: pool}, now: time.Now()}
	f.today = programme.Today(f.now)
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	admin, err := auth.Store{DB: pool}.UpsertUser(ctx, "admin@npq.test", "Ada Admin", auth.RoleProviderAdmin, nil, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	f.admin = admin.ID
	partner := must(f.p.SavePartner(ctx, programme.Partner{Name: "Riverside Hub", ContactEmail: "npq@riverside.test"}))
	f.course = must(f.p.CreateCourse(ctx, programme.Course{QualificationCode: "NPQH", Name: "NPQ in Headship", StudyMonths: 18, AssessmentMonths: 3}))
	for i := 1; i <= 4; i++ {
		b := must(f.p.AddBlock(ctx, f.course, fmt.Sprintf("Block %d", i), ""))
		f.blocks = append(f.blocks, b)
		must(f.p.SaveItem(ctx, b, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Study", ExpectedMinutes: 60, Required: true}))
	}
	f.session = must(f.p.SaveItem(ctx, f.blocks[1], 0, programme.NewItem{Kind: programme.KindFaceToFace, Title: "Workshop", ExpectedMinutes: 60, Required: true}))
	cohort := func(name string, starts time.Time) int64 {
		opens := map[int64]time.Time{}
		for i, b := range f.blocks {
			opens[b] = starts.AddDate(0, 4*i, 0)
		}
		return must(f.p.CreateCohort(ctx, programme.NewCohort{CourseID: f.course, PartnerID: partner, Name: name, ScheduleIdentifier: "npq-leadership-autumn",
			StartsOn: starts, StudyEndsOn: starts.AddDate(1, 6, 0), AssessmentOpensOn: starts.AddDate(1, 6, 0), AssessmentClosesOn: starts.AddDate(1, 9, 0), BlockOpens: opens}))
	}
	f.cohort = cohort("Current", f.today.AddDate(0, -5, 0))
	f.next = cohort("Next", f.today.AddDate(0, 4, 0))
	return f
}

func (f *fixture) enrol(t *testing.T, email string, funding programme.FundingRoute, paid bool, cohort int64) int64 {
	t.Helper()
	n := programme.NewEnrolment{Email: email, Name: "Person " + email, CohortID: cohort, FundingRoute: funding}
	if paid {
		d := f.today.AddDate(0, -6, 0)
		n.PaymentReceivedOn = &d
	}
	id, err := f.p.Enrol(context.Background(), n, 0, "http://npq.test")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) status(t *testing.T, enrolment int64) string {
	var s string
	f.pool.QueryRow(context.Background(), `SELECT status FROM enrolments WHERE id = $1`, enrolment).Scan(&s) //nolint:errcheck
	return s
}

func (f *fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) deferral(t *testing.T, enrolment int64, ret time.Time) int64 {
	t.Helper()
	id, err := f.s.Create(context.Background(), lifecycle.NewRequest{EnrolmentID: enrolment, Kind: lifecycle.KindDeferral, Reason: "parental-leave",
		StartsOn: f.today, PlannedReturnOn: &ret, Source: "participant", DiscussedWithPartner: true})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRequestRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "pam@school.test", programme.FundingScholarship, false, f.cohort)
	ret := f.today.AddDate(0, 6, 0)
	f.deferral(t, e, ret)
	// A second open request is refused by the database.
	if _, err := f.s.Create(ctx, lifecycle.NewRequest{EnrolmentID: e, Kind: lifecycle.KindWithdrawal, Reason: "other", StartsOn: f.today, Source: "participant"}); !errors.Is(err, lifecycle.ErrOpenRequest) {
		t.Errorf("second open request: %v", err)
	}
	// Reason codes are DfE's, exactly.
	if _, err := f.s.Create(ctx, lifecycle.NewRequest{EnrolmentID: f.enrol(t, "x@school.test", programme.FundingScholarship, false, f.cohort), Kind: lifecycle.KindWithdrawal,
		Reason: "quality-of-programme-structure-not-suitable", StartsOn: f.today, Source: "participant"}); err == nil {
		t.Error("a withdrawal code without its trailing full stop was accepted")
	}
	// Someone else cannot cancel it; the participant can.
	reqs, _ := f.s.RequestsForEnrolment(ctx, e)
	var user int64
	f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, e).Scan(&user) //nolint:errcheck
	if err := f.s.Cancel(ctx, reqs[0].ID, scope.Participant(user+999), 0); err == nil {
		t.Error("another participant cancelled the request")
	}
	if err := f.s.Cancel(ctx, reqs[0].ID, scope.Participant(user), user); err != nil {
		t.Errorf("own cancel: %v", err)
	}
	if err := f.s.Cancel(ctx, reqs[0].ID, scope.Participant(user), user); err == nil {
		t.Error("cancelled twice")
	}
}

func TestApprovingADeferral(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "pam@school.test", programme.FundingSchoolFunded, true, f.cohort)
	waiter := f.enrol(t, "wanda@school.test", programme.FundingScholarship, false, f.cohort)
	// Pam holds the only place on a future workshop; Wanda waits for it.
	ev := events.Store{DB: f.pool, BaseURL: "http://npq.test"}
	start := f.now.AddDate(0, 0, 14)
	eventID, err := ev.Create(ctx, events.NewEvent{ItemID: f.session, Title: "Workshop", StartsAt: start, EndsAt: start.Add(time.Hour), Venue: "Hall",
		Capacity: new(1), BookingOpensAt: f.now.Add(-time.Hour), BookingClosesAt: start.Add(-time.Hour), CancellationCutoff: start.Add(-time.Hour), CohortIDs: []int64{f.cohort}}, scope.Admin(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	ev.Book(ctx, e, eventID, 0, f.now)                 //nolint:errcheck
	ev.JoinWaitingList(ctx, waiter, eventID, 0, f.now) //nolint:errcheck
	// And Pam waits for a place at another workshop, which is not a booking.
	other, err := f.p.SaveItem(ctx, f.blocks[1], 0, programme.NewItem{Kind: programme.KindFaceToFace, Title: "Another workshop", ExpectedMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	start2 := start.AddDate(0, 0, 1)
	full, err := ev.Create(ctx, events.NewEvent{ItemID: other, Title: "Another workshop", StartsAt: start2, EndsAt: start2.Add(time.Hour), Venue: "Hall",
		Capacity: new(1), BookingOpensAt: f.now.Add(-time.Hour), BookingClosesAt: start2.Add(-time.Hour), CancellationCutoff: start2.Add(-time.Hour), CohortIDs: []int64{f.cohort}}, scope.Admin(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	ev.Book(ctx, f.enrol(t, "olu@school.test", programme.FundingScholarship, false, f.cohort), full, 0, f.now) //nolint:errcheck
	if _, err := ev.JoinWaitingList(ctx, e, full, 0, f.now); err != nil {
		t.Fatal(err)
	}

	planned := f.today.AddDate(0, 5, 0)
	req := f.deferral(t, e, planned)
	// Too late without an exception.
	d := lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: f.today, ReturnCohortID: f.next, ReturnOn: f.today.AddDate(1, 1, 0), ActorID: f.admin, Now: f.now}
	if _, err := f.s.Decide(ctx, d); err == nil || !strings.Contains(err.Error(), "more than 12 months") {
		t.Errorf("late return without exception: %v", err)
	}
	d.ReturnOn = f.today.AddDate(0, 8, 0)
	letter, err := f.s.Decide(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if f.status(t, e) != "deferred" {
		t.Errorf("status %s", f.status(t, e))
	}
	// The history has the effective date, the DfE reason and the admin.
	var reason, by string
	var effective time.Time
	f.pool.QueryRow(ctx, `SELECT reason, effective_on, changed_by::text FROM enrolment_status_history WHERE enrolment_id = $1 ORDER BY id DESC LIMIT 1`, e).Scan(&reason, &effective, &by) //nolint:errcheck
	if reason != "parental-leave" || !effective.Equal(f.today) || by != fmt.Sprint(f.admin) {
		t.Errorf("history: %s %s %s", reason, effective, by)
	}
	// Future bookings are cancelled and the waiting list moves up.
	var pam, wanda string
	f.pool.QueryRow(ctx, `SELECT status FROM bookings WHERE event_id = $1 AND enrolment_id = $2`, eventID, e).Scan(&pam)        //nolint:errcheck
	f.pool.QueryRow(ctx, `SELECT status FROM bookings WHERE event_id = $1 AND enrolment_id = $2`, eventID, waiter).Scan(&wanda) //nolint:errcheck
	if pam != "cancelled" || wanda != "booked" {
		t.Errorf("bookings: pam %s, wanda %s", pam, wanda)
	}
	// The letter states the return date and arrangements, and went to the participant and the partner.
	l, err := f.s.LetterByID(ctx, letter, scope.Admin())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Expected date of return: " + d.ReturnOn.Format("2 January 2006"), "Arrangements for rejoining", "cohort Next", "no refund is available",
		"We have cancelled your future event booking and your place on a waiting list; you can book again when you return.",
		"Yours sincerely,\n\nThe NPQ team at Example Trust\n\nIf you have a question about this letter, email npqs@example.org.\n"} {
		if !strings.Contains(l.Body, want) {
			t.Errorf("letter lacks %q:\n%s", want, l.Body)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject = 'Your deferral is confirmed' AND to_address = 'pam@school.test'`); n != 1 {
		t.Errorf("%d letters to Pam", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE to_address = 'npq@riverside.test' AND subject LIKE 'For your information:%deferral%'`); n != 1 {
		t.Errorf("%d copies to the partner", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'deferral.approved' AND actor_id = $1`, f.admin); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// Deciding again is refused.
	if _, err := f.s.Decide(ctx, d); err == nil {
		t.Error("decided twice")
	}
}

func TestDeferralEligibilityAndCohortMove(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	unpaid := f.enrol(t, "unpaid@school.test", programme.FundingSelfFunded, false, f.cohort)
	req := f.deferral(t, unpaid, f.today.AddDate(0, 5, 0))
	if _, err := f.s.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: f.today, ReturnCohortID: f.next, ReturnOn: f.today.AddDate(0, 8, 0), ActorID: f.admin, Now: f.now}); err == nil ||
		!strings.Contains(err.Error(), "payment for the place has not been received") {
		t.Errorf("approving an unpaid deferral: %v", err)
	}
	if f.status(t, unpaid) != "active" {
		t.Error("status changed")
	}
	if _, err := f.s.MoveToNextCohort(ctx, req, f.next, f.admin, f.now); err != nil {
		t.Fatal(err)
	}
	var cohort int64
	f.pool.QueryRow(ctx, `SELECT cohort_id FROM enrolments WHERE id = $1`, unpaid).Scan(&cohort) //nolint:errcheck
	if cohort != f.next || f.status(t, unpaid) != "active" {
		t.Errorf("after the move: cohort %d status %s", cohort, f.status(t, unpaid))
	}
	if n := f.count(t, `SELECT count(*) FROM letters WHERE kind = 'cohort-move' AND body LIKE '%eligibility checks%'`); n != 1 {
		t.Error("no letter about the move")
	}
}

func TestWithdrawalStateRulesAndReinstatement(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "pam@school.test", programme.FundingSchoolFunded, true, f.cohort)
	id, err := f.s.Create(ctx, lifecycle.NewRequest{EnrolmentID: e, Kind: lifecycle.KindWithdrawal, Reason: "quality-of-programme-structure-not-suitable.", StartsOn: f.today, Source: "email"})
	if err != nil {
		t.Fatal(err)
	}
	letter, err := f.s.Decide(ctx, lifecycle.Decision{RequestID: id, Approve: true, EffectiveOn: f.today.AddDate(0, 0, -3), Refund: "partial", RefundPence: 45050, ActorID: f.admin, Now: f.now})
	if err != nil {
		t.Fatal(err)
	}
	l, _ := f.s.LetterByID(ctx, letter, scope.Admin())
	if !strings.Contains(l.Body, "Date of withdrawal: "+f.today.AddDate(0, 0, -3).Format("2 January 2006")) || !strings.Contains(l.Body, "£450.50") {
		t.Errorf("withdrawal letter:\n%s", l.Body)
	}
	// A withdrawn enrolment cannot defer or withdraw again.
	ret := f.today.AddDate(0, 3, 0)
	for _, n := range []lifecycle.NewRequest{{EnrolmentID: e, Kind: lifecycle.KindDeferral, Reason: "other", StartsOn: f.today, PlannedReturnOn: &ret, Source: "email"},
		{EnrolmentID: e, Kind: lifecycle.KindWithdrawal, Reason: "other", StartsOn: f.today, Source: "email"}} {
		if _, err := f.s.Create(ctx, n); err == nil {
			t.Errorf("%s after withdrawal was accepted", n.Kind)
		}
	}
	// Reinstated in error: active again, with the reason in the history.
	if err := f.s.Reinstate(ctx, e, "Withdrawn by mistake: wrong participant", f.admin, f.now); err != nil {
		t.Fatal(err)
	}
	var reason string
	f.pool.QueryRow(ctx, `SELECT reason FROM enrolment_status_history WHERE enrolment_id = $1 ORDER BY id DESC LIMIT 1`, e).Scan(&reason) //nolint:errcheck
	if f.status(t, e) != "active" || !strings.Contains(reason, "wrong participant") {
		t.Errorf("reinstated: %s %q", f.status(t, e), reason)
	}
	if err := f.s.Reinstate(ctx, e, "again", f.admin, f.now); err == nil {
		t.Error("an active participant was reinstated")
	}
	// Export carries DfE's values.
	list, _ := f.s.Decided(ctx, lifecycle.KindWithdrawal)
	if len(list) != 1 || list[0].Reason != "quality-of-programme-structure-not-suitable." || list[0].CourseIdentifier != "npq-headship" {
		t.Errorf("export: %+v", list)
	}
}

func TestReturnMonitoring(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	yes := f.enrol(t, "yes@school.test", programme.FundingScholarship, false, f.cohort)
	no := f.enrol(t, "no@school.test", programme.FundingScholarship, false, f.cohort)
	silent := f.enrol(t, "silent@school.test", programme.FundingScholarship, false, f.cohort)
	returnOn := f.today.AddDate(0, 2, 0)
	reqs := map[int64]int64{}
	for _, e := range []int64{yes, no, silent} {
		req := f.deferral(t, e, returnOn)
		if _, err := f.s.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: f.today, ReturnCohortID: f.next, ReturnOn: returnOn, ActorID: f.admin, Now: f.now}); err != nil {
			t.Fatal(err)
		}
		reqs[e] = req
	}
	due, _ := f.s.Returns(ctx)
	if len(due) != 3 || !lifecycle.DueForReturnCheck(*due[0].ReturnOn, f.today) {
		t.Fatalf("%d returns listed", len(due))
	}
	for _, req := range reqs {
		if err := f.s.AskReturn(ctx, req, f.admin, f.now); err != nil {
			t.Fatal(err)
		}
	}
	user := func(e int64) int64 {
		var u int64
		f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, e).Scan(&u) //nolint:errcheck
		return u
	}
	if err := f.s.AnswerReturn(ctx, reqs[yes], user(no), lifecycle.Returning); err == nil {
		t.Error("someone else answered")
	}
	f.s.AnswerReturn(ctx, reqs[yes], user(yes), lifecycle.Returning)  //nolint:errcheck
	f.s.AnswerReturn(ctx, reqs[no], user(no), lifecycle.NotReturning) //nolint:errcheck
	// "No" opens a withdrawal case at once.
	if n := f.count(t, `SELECT count(*) FROM status_requests WHERE enrolment_id = $1 AND kind = 'withdrawal' AND state = 'open'`, no); n != 1 {
		t.Errorf("no: %d withdrawal cases", n)
	}
	// Before the return date nothing else happens; on it, yes returns and silence becomes a case.
	if r, c, err := f.s.RunDailyChecks(ctx, f.now); err != nil || r+c != 0 {
		t.Errorf("early run: %d %d %v", r, c, err)
	}
	later := f.now.AddDate(0, 2, 1)
	r, c, err := f.s.RunDailyChecks(ctx, later)
	if err != nil || r != 1 || c != 1 {
		t.Errorf("return-day run: returned %d, cases %d, %v", r, c, err)
	}
	var cohort int64
	f.pool.QueryRow(ctx, `SELECT cohort_id FROM enrolments WHERE id = $1`, yes).Scan(&cohort) //nolint:errcheck
	if f.status(t, yes) != "active" || cohort != f.next {
		t.Errorf("returner: %s in cohort %d", f.status(t, yes), cohort)
	}
	if n := f.count(t, `SELECT count(*) FROM status_requests WHERE enrolment_id = $1 AND kind = 'withdrawal' AND source = 'system'`, silent); n != 1 {
		t.Errorf("silent: %d cases", n)
	}
	// Running again changes nothing.
	if r, c, _ := f.s.RunDailyChecks(ctx, later); r+c != 0 {
		t.Errorf("second run: %d %d", r, c)
	}
	if n := f.count(t, `SELECT count(*) FROM letters WHERE kind = 'return' AND body LIKE '%What happens next%'`); n != 1 {
		t.Error("no welcome-back letter")
	}
}
