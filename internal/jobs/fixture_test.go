package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/jobs"
	"npq/internal/lifecycle"
	"npq/internal/notify"
	"npq/internal/personaldata"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/testdb"
)

// fixture is a database with a course, a current cohort and the next one, and participants
// in the current one.
type fixture struct {
	pool       *pgxpool.Pool
	now        time.Time
	today      time.Time
	admin      int64
	partner    int64
	cohort     int64
	next       int64
	session    int64
	enrolments []int64
	events     events.Store
	lifecycle  lifecycle.Store
}

func newFixture(t *testing.T, participants int) *fixture {
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
	now := time.Now()
	f := &fixture{pool: pool, now: now, today: programme.Today(now),
		events:    events.Store{DB: pool, BaseURL: "http://npq.test"},
		lifecycle: lifecycle.Store{DB: pool, BaseURL: "http://npq.test", Signature: lifecycle.Signature{Name: "The NPQ team", ContactEmail: "npq@provider.test"}}}
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
	p := programme.Store{DB: pool}
	f.partner = must(p.SavePartner(ctx, programme.Partner{Name: "Riverside Hub", ContactEmail: "hub@riverside.test"}))
	course := must(p.CreateCourse(ctx, programme.Course{QualificationCode: "NPQH", Name: "NPQ in Headship", StudyMonths: 18, AssessmentMonths: 3}))
	block := must(p.AddBlock(ctx, course, "Leading improvement", ""))
	f.session = must(p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindFaceToFace, Title: "Workshop", ExpectedMinutes: 180, Required: true}))
	cohort := func(name string, starts time.Time) int64 {
		return must(p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: f.partner, Name: name, ScheduleIdentifier: "npq-leadership-autumn",
			StartsOn: starts, StudyEndsOn: starts.AddDate(1, 6, 0), AssessmentOpensOn: starts.AddDate(1, 6, 0), AssessmentClosesOn: starts.AddDate(1, 9, 0),
			BlockOpens: map[int64]time.Time{block: starts}}))
	}
	f.cohort = cohort("Current", f.today.AddDate(0, -5, 0))
	f.next = cohort("Next", f.today.AddDate(0, 4, 0))
	for i := range participants {
		f.enrolments = append(f.enrolments, must(p.Enrol(ctx, programme.NewEnrolment{Email: fmt.Sprintf("p%02d@school.test", i), Name: fmt.Sprintf("Person %02d", i),
			CohortID: f.cohort, FundingRoute: programme.FundingScholarship}, 0, "http://npq.test")))
	}
	return f
}

// bookedWeeksAgo books every participant on an event in three days, as if they had booked
// weeks ago, so each is due the "In a week" reminder.
func (f *fixture) bookedWeeksAgo(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	start := time.Date(f.now.Year(), f.now.Month(), f.now.Day(), 9, 0, 0, 0, time.UTC).AddDate(0, 0, 3)
	ev, err := f.events.Create(ctx, events.NewEvent{ItemID: f.session, Title: "Workshop", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Venue: "Riverside Hall", BookingOpensAt: f.now.Add(-time.Hour), BookingClosesAt: start.Add(-time.Hour), CancellationCutoff: start.Add(-24 * time.Hour),
		CohortIDs: []int64{f.cohort}}, scope.Partner(f.partner), f.partner, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range f.enrolments {
		if _, err := f.events.Book(ctx, e, ev, 0, f.now); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.pool.Exec(ctx, `UPDATE bookings SET created_at = now() - interval '20 days'`); err != nil {
		t.Fatal(err)
	}
}

// deferredWithoutAnswer defers the first participant until returnOn, back into the next
// cohort, without their confirming the return.
func (f *fixture) deferredWithoutAnswer(t *testing.T, returnOn time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	req, err := f.lifecycle.Create(ctx, lifecycle.NewRequest{EnrolmentID: f.enrolments[0], Kind: lifecycle.KindDeferral, Reason: "parental-leave",
		StartsOn: f.today, PlannedReturnOn: &returnOn, Source: "participant", DiscussedWithPartner: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.lifecycle.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: f.today, ReturnCohortID: f.next, ReturnOn: returnOn,
		ActorID: f.admin, Now: f.now}); err != nil {
		t.Fatal(err)
	}
	return req
}

func (f *fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// config is the jobs configuration of one app instance on the fixture's database, with mail
// delivered to ms (no SMTP when ms is nil).
func (f *fixture) config(ms *mailServer, now func() time.Time) jobs.Config {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := jobs.Config{Pool: f.pool, Log: log, Events: f.events, Lifecycle: f.lifecycle, Accounts: auth.Store{DB: f.pool},
		PersonalData: personaldata.Store{DB: f.pool}, Retention: personaldata.Policy{DeactivateAfterDays: 366, AnonymiseAfterYears: 7}, Now: now}
	if ms != nil {
		c.Mail = &notify.Sender{DB: f.pool, Log: log, MessageIDHost: "npq.test",
			SMTP: notify.SMTPSettings{Host: "127.0.0.1", Port: ms.port, From: "NPQ platform <no-reply@npq.test>"}}
	}
	return c
}

// mailServer is an SMTP server on a loopback port that counts the Message-IDs it receives.
type mailServer struct {
	mu       sync.Mutex
	port     int
	received map[string]int
	total    int
	// stall, when set, holds every message until it is closed.
	stall chan struct{}
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ms := &mailServer{received: map[string]int{}}
	srv := smtp.NewServer(ms)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.port = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l) //nolint:errcheck // stops when closed
	t.Cleanup(func() { srv.Close() })
	return ms
}

// counts returns how many messages arrived, and how many of their Message-IDs arrived more
// than once.
func (ms *mailServer) counts() (total, repeated int) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	for _, n := range ms.received {
		if n > 1 {
			repeated++
		}
	}
	return ms.total, repeated
}

// NewSession starts a conversation with a client.
func (ms *mailServer) NewSession(*smtp.Conn) (smtp.Session, error) { return mailSession{ms}, nil }

type mailSession struct{ ms *mailServer }

func (mailSession) Reset()                               {}
func (mailSession) Logout() error                        { return nil }
func (mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (mailSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.ms.stall != nil {
		<-s.ms.stall
	}
	id := messageID.FindString(string(b))
	s.ms.mu.Lock()
	s.ms.received[id]++
	s.ms.total++
	s.ms.mu.Unlock()
	return nil
}

var messageID = regexp.MustCompile(`(?im)^Message-ID: *<[^>]+>`)
