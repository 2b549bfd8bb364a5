package applications

import (
	"context"
	"strconv"
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
)

func TestAcceptDraftCheck(t *testing.T) {
	tests := []struct {
		name  string
		d     AcceptDraft
		field string
	}{
		{"good, schedule left to DfE", AcceptDraft{Cohort: "3", FundedPlace: "yes"}, ""},
		{"good, schedule chosen", AcceptDraft{Cohort: "3", FundedPlace: "no", Schedule: "npq-leadership-spring"}, ""},
		{"no cohort", AcceptDraft{FundedPlace: "yes"}, "cohort"},
		{"cohort not a number", AcceptDraft{Cohort: "x", FundedPlace: "yes"}, "cohort"},
		{"funded place not chosen", AcceptDraft{Cohort: "3"}, "funded_place"},
		{"unknown schedule", AcceptDraft{Cohort: "3", FundedPlace: "yes", Schedule: "npq-summer"}, "schedule"},
	}
	for _, tt := range tests {
		ps := tt.d.Check()
		if (tt.field == "" && len(ps) > 0) || (tt.field != "" && (len(ps) != 1 || ps[0].Field != tt.field)) {
			t.Errorf("%s: problems %v", tt.name, ps)
		}
	}
	if ps := CheckRejection("  "); len(ps) != 1 {
		t.Errorf("an empty reason: %v", ps)
	}
}

type world struct {
	store  Store
	fake   *dfefake.Server
	client *dfe.Client
	admin  int64
	cohort int64
	now    time.Time
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
	w := &world{store: Store{DB: pool}, fake: fake, client: dfetest.Client(t, url), now: time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)}
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
	for _, start := range []time.Time{time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)} {
		id, err := p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: partner, Name: "NPQH " + start.Format("2006"),
			ScheduleIdentifier: "npq-leadership-autumn", StartsOn: start, StudyEndsOn: start.AddDate(1, 6, 0),
			AssessmentOpensOn: start.AddDate(1, 6, 0), AssessmentClosesOn: start.AddDate(1, 9, 0)})
		if err != nil {
			t.Fatal(err)
		}
		w.cohort = id
	}
	return w
}

func (w *world) pending(t *testing.T, name, email string) string {
	t.Helper()
	id, _ := w.fake.AddApplication(dfefake.Application{FullName: name, Email: email, Course: "npq-headship", Cohort: "2026", TRN: "1234567", SchoolURN: "106000"})
	if _, err := Sync(context.Background(), w.store.DB, w.client, w.now); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.store.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAcceptEnrolsInvitesAndTellsDfEOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id := w.pending(t, "Amara Okafor", "Amara.Okafor@school.example")
	a, err := w.store.ByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	choices, err := w.store.CohortChoices(ctx, a, w.now)
	if err != nil || len(choices) != 2 || !choices[0].Suggested || choices[0].ID != w.cohort || choices[1].Suggested {
		t.Fatalf("choices %+v, %v", choices, err)
	}

	// Two admins (or a double click) accept at once: one enrolment, one invitation, one
	// acceptance at DfE; the other is told it is already accepted.
	d := AcceptDraft{Cohort: itoa(w.cohort), FundedPlace: "yes"}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i] = w.store.Accept(ctx, w.client, id, d, w.admin, "http://npq.test", w.now) })
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			if p, ok := problem.As(err); !ok || p.Message != "This application has already been accepted" {
				t.Fatalf("second accept: %v", err)
			}
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("errors %v", errs)
	}
	if n := w.count(t, `SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id
		WHERE e.dfe_application_id = $1 AND e.dfe_course_identifier = 'npq-headship' AND e.dfe_cohort = '2026'
		  AND e.dfe_schedule_identifier = 'npq-leadership-autumn' AND e.dfe_funded_place AND e.funding_route = 'scholarship'
		  AND u.dfe_participant_id IS NOT NULL AND u.trn = '1234567' AND u.email = 'amara.okafor@school.example'`, id); n != 1 {
		t.Fatalf("%d enrolments with the DfE ids", n)
	}
	if n := w.count(t, `SELECT count(*) FROM outbox WHERE to_address = 'amara.okafor@school.example'`); n != 1 {
		t.Fatalf("%d invitations", n)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_applications WHERE id = $1 AND status = 'accepted' AND enrolment_id IS NOT NULL AND decided_by = $2`, id, w.admin); n != 1 {
		t.Fatal("acceptance not recorded")
	}
	// DfE has it accepted too: the next sync keeps it so.
	if _, err := Sync(ctx, w.store.DB, w.client, w.now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_applications WHERE status = 'accepted'`); n != 1 {
		t.Fatal("DfE does not have it accepted")
	}
}

func TestAcceptRefusesBeforeTellingDfE(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id := w.pending(t, "Tom Birch", "admin@npq.test") // a staff account's address
	calls := w.fake.Calls()
	_, err := w.store.Accept(ctx, w.client, id, AcceptDraft{Cohort: itoa(w.cohort), FundedPlace: "no"}, w.admin, "http://npq.test", w.now)
	if _, ok := problem.As(err); !ok {
		t.Fatalf("accepting a staff address: %v", err)
	}
	_, err = w.store.Accept(ctx, w.client, id, AcceptDraft{Cohort: "999999", FundedPlace: "no"}, w.admin, "http://npq.test", w.now)
	if p, ok := problem.As(err); !ok || p.Field != "cohort" {
		t.Fatalf("accepting into no cohort: %v", err)
	}
	if w.fake.Calls() != calls {
		t.Fatal("DfE was told of a refused acceptance")
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_applications WHERE status = 'pending'`); n != 1 {
		t.Fatal("the application changed")
	}
}

func TestRejectTellsDfEAndKeepsTheReason(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	id := w.pending(t, "Priya Shah", "priya@school.example")
	if err := w.store.Reject(ctx, w.client, id, "Not eligible: works outside England", w.admin, w.now); err != nil {
		t.Fatal(err)
	}
	if err := w.store.Reject(ctx, w.client, id, "again", w.admin, w.now); err == nil {
		t.Fatal("rejected twice")
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_applications WHERE status = 'rejected' AND reject_reason LIKE 'Not eligible%'`); n != 1 {
		t.Fatal("rejection not recorded")
	}
	if _, err := Sync(ctx, w.store.DB, w.client, w.now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM dfe_applications WHERE status = 'rejected'`); n != 1 {
		t.Fatal("DfE does not have it rejected")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
