package events_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/testdb"
)

type fixture struct {
	pool        *pgxpool.Pool
	s           events.Store
	p           programme.Store
	partner     int64
	cohort      int64
	otherCohort int64
	item, item2 int64 // two session items: a face-to-face and a webinar
	selfStudy   int64
	enrolments  []int64
	now         time.Time
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
	f := &fixture{pool: pool, s: events.Store{DB: pool, BaseURL: "http://npq.test"}, p: programme.Store{DB: pool}, now: time.Now()}
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.partner = must(f.p.SavePartner(ctx, programme.Partner{Name: "Riverside Hub"}))
	other := must(f.p.SavePartner(ctx, programme.Partner{Name: "Hillside Trust"}))
	course := must(f.p.CreateCourse(ctx, programme.Course{QualificationCode: "NPQH", Name: "NPQ in Headship", StudyMonths: 18, AssessmentMonths: 3}))
	block := must(f.p.AddBlock(ctx, course, "Leading improvement", ""))
	f.item = must(f.p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindFaceToFace, Title: "Face-to-face session", ExpectedMinutes: 180, Required: true}))
	f.item2 = must(f.p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindWebinar, Title: "Webinar", ExpectedMinutes: 60, Required: true}))
	f.selfStudy = must(f.p.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Reading", ExpectedMinutes: 60, Required: true}))
	today := programme.Today(f.now)
	cohort := func(name string, partner int64) int64 {
		return must(f.p.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: partner, Name: name, ScheduleIdentifier: "npq-leadership-autumn",
			StartsOn: today.AddDate(0, -1, 0), StudyEndsOn: today.AddDate(1, 0, 0), AssessmentOpensOn: today.AddDate(1, 0, 0), AssessmentClosesOn: today.AddDate(1, 3, 0),
			BlockOpens: map[int64]time.Time{block: today.AddDate(0, -1, 0)}}))
	}
	f.cohort = cohort("NPQH Riverside", f.partner)
	f.otherCohort = cohort("NPQH Hillside", other)
	for i := range participants {
		f.enrolments = append(f.enrolments, must(f.p.Enrol(ctx, programme.NewEnrolment{Email: fmt.Sprintf("p%02d@school.test", i), Name: fmt.Sprintf("Person %02d", i),
			CohortID: f.cohort, FundingRoute: programme.FundingScholarship}, 0, "http://npq.test")))
	}
	return f
}

// event schedules an event on item starting in days, lasting hours.
// startOf is when an event made by event(days, hour) starts: at hour (UTC) days from today.
func (f *fixture) startOf(days, hour int) time.Time {
	return time.Date(f.now.Year(), f.now.Month(), f.now.Day(), hour, 0, 0, 0, time.UTC).AddDate(0, 0, days)
}

func (f *fixture) event(t *testing.T, item int64, days int, hour int, capacity *int) int64 {
	t.Helper()
	start := f.startOf(days, hour)
	id, err := f.s.Create(context.Background(), events.NewEvent{ItemID: item, Title: fmt.Sprintf("Event on day %d at %d", days, hour), StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Venue: "Riverside Hall", JoiningLink: "https://meet.example.org/x", Capacity: capacity, BookingOpensAt: f.now.Add(-time.Hour),
		BookingClosesAt: start.Add(-time.Hour), CancellationCutoff: start.Add(-24 * time.Hour), CohortIDs: []int64{f.cohort}}, scope.Partner(f.partner), f.partner, 0)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) status(t *testing.T, event, enrolment int64) string {
	t.Helper()
	var s string
	f.pool.QueryRow(context.Background(), `SELECT coalesce((SELECT status FROM bookings WHERE event_id = $1 AND enrolment_id = $2), '')`, event, enrolment).Scan(&s) //nolint:errcheck
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

// Many people book a small event at the same moment: exactly capacity get places, nobody
// gets an error, and the event is never overbooked.
func TestConcurrentBookingsNeverOverbook(t *testing.T) {
	f := newFixture(t, 30)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(5))
	var wg sync.WaitGroup
	outcomes := make([]events.Outcome, len(f.enrolments))
	errs := make([]error, len(f.enrolments))
	start := make(chan struct{})
	for i, e := range f.enrolments {
		wg.Add(1)
		go func(i int, e int64) {
			defer wg.Done()
			<-start
			outcomes[i], errs[i] = f.s.Book(ctx, e, ev, 0, f.now)
			if outcomes[i] == events.OutcomeFull {
				outcomes[i], errs[i] = f.s.JoinWaitingList(ctx, e, ev, 0, f.now)
			}
		}(i, e)
	}
	close(start)
	wg.Wait()
	booked, waiting := 0, 0
	for i := range outcomes {
		if errs[i] != nil {
			t.Errorf("booking %d: %v", i, errs[i])
		}
		switch outcomes[i] {
		case events.OutcomeBooked:
			booked++
		case events.OutcomeWaiting:
			waiting++
		}
	}
	if booked != 5 || waiting != 25 {
		t.Errorf("%d booked, %d waiting", booked, waiting)
	}
	if n := f.count(t, `SELECT count(*) FROM bookings WHERE event_id = $1 AND status = 'booked'`, ev); n != 5 {
		t.Errorf("%d booked rows", n)
	}
	if n := f.count(t, `SELECT booked_count FROM events WHERE id = $1`, ev); n != 5 {
		t.Errorf("booked_count %d", n)
	}
	// Even a direct write cannot overbook: the database refuses it.
	if _, err := f.pool.Exec(ctx, `UPDATE bookings SET status = 'booked', waiting_since = NULL WHERE event_id = $1 AND status = 'waiting'`, ev); err == nil {
		t.Error("the database allowed an overbooking")
	}
}

func TestDoubleClickBooksOnce(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(5))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := f.s.Book(ctx, f.enrolments[0], ev, 0, f.now); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.count(t, `SELECT count(*) FROM bookings WHERE event_id = $1`, ev); n != 1 {
		t.Errorf("%d bookings", n)
	}
	if n := f.count(t, `SELECT count(*) FROM booking_history h JOIN bookings b ON b.id = h.booking_id WHERE b.event_id = $1 AND h.action = 'booked'`, ev); n != 1 {
		t.Errorf("%d booked entries in the history", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'Booking confirmed:%'`); n != 1 {
		t.Errorf("%d confirmations", n)
	}
}

func TestWaitingListPromotionOnCancellationAndCapacityIncrease(t *testing.T) {
	f := newFixture(t, 5)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(2))
	a, b, c, d := f.enrolments[0], f.enrolments[1], f.enrolments[2], f.enrolments[3]
	for _, e := range []int64{a, b} {
		if out, err := f.s.Book(ctx, e, ev, 0, f.now); err != nil || out != events.OutcomeBooked {
			t.Fatalf("book: %s %v", out, err)
		}
	}
	if out, _ := f.s.Book(ctx, c, ev, 0, f.now); out != events.OutcomeFull {
		t.Fatalf("third booking: %s", out)
	}
	// c waits first, then d.
	f.s.JoinWaitingList(ctx, c, ev, 0, f.now)                  //nolint:errcheck
	f.s.JoinWaitingList(ctx, d, ev, 0, f.now.Add(time.Second)) //nolint:errcheck
	// d also has a booking that clashes with... nothing yet; c is first: cancelling a frees a place for c.
	if out, err := f.s.CancelBooking(ctx, a, ev, 0, f.now); err != nil || out != events.OutcomeCancelled {
		t.Fatalf("cancel: %s %v", out, err)
	}
	if f.status(t, ev, c) != "booked" || f.status(t, ev, d) != "waiting" {
		t.Fatalf("after cancel: c %s, d %s", f.status(t, ev, c), f.status(t, ev, d))
	}
	var subject string
	f.pool.QueryRow(ctx, `SELECT subject FROM outbox WHERE to_address = 'p02@school.test' ORDER BY id DESC LIMIT 1`).Scan(&subject) //nolint:errcheck
	if !strings.HasPrefix(subject, "A place came up") {
		t.Errorf("c was told %q", subject)
	}
	// Raising the capacity books d.
	e, _ := f.s.EventByID(ctx, ev, scope.Admin())
	n := events.NewEvent{ItemID: e.ItemID, Title: e.Title, StartsAt: e.StartsAt, EndsAt: e.EndsAt, Venue: e.Venue, Capacity: new(3),
		BookingOpensAt: e.BookingOpensAt, BookingClosesAt: e.BookingClosesAt, CancellationCutoff: e.CancellationCutoff, CohortIDs: []int64{f.cohort}}
	if err := f.s.Update(ctx, ev, n, scope.Admin(), 0, f.now); err != nil {
		t.Fatal(err)
	}
	if f.status(t, ev, d) != "booked" {
		t.Errorf("after capacity increase d is %s", f.status(t, ev, d))
	}
	// Lowering it below the people booked is refused.
	n.Capacity = new(1)
	var below events.CapacityBelowBookedError
	if err := f.s.Update(ctx, ev, n, scope.Admin(), 0, f.now); !errorsAs(err, &below) {
		t.Errorf("lowering capacity: %v", err)
	}
	// History records every step, append-only.
	if n := f.count(t, `SELECT count(*) FROM booking_history h JOIN bookings b ON b.id = h.booking_id WHERE b.event_id = $1 AND h.action = 'promoted'`, ev); n != 2 {
		t.Errorf("%d promotions in history", n)
	}
	if _, err := f.pool.Exec(ctx, `DELETE FROM booking_history`); err == nil {
		t.Error("booking history can be deleted")
	}
}

func TestPromotionSkipsClashesAndClashesAreRefused(t *testing.T) {
	f := newFixture(t, 3)
	ctx := context.Background()
	full := f.event(t, f.item, 10, 9, new(1))
	webinar := f.event(t, f.item2, 10, 10, nil) // overlaps the face-to-face event
	a, b, c := f.enrolments[0], f.enrolments[1], f.enrolments[2]
	f.s.Book(ctx, a, full, 0, f.now)                             //nolint:errcheck
	f.s.JoinWaitingList(ctx, b, full, 0, f.now)                  //nolint:errcheck
	f.s.JoinWaitingList(ctx, c, full, 0, f.now.Add(time.Second)) //nolint:errcheck
	// b books the clashing webinar while waiting.
	if out, err := f.s.Book(ctx, b, webinar, 0, f.now); err != nil || out != events.OutcomeBooked {
		t.Fatalf("webinar: %s %v", out, err)
	}
	// a now booking the webinar is refused, naming the clash.
	_, err := f.s.Book(ctx, a, webinar, 0, f.now)
	if err == nil || !strings.Contains(err.Error(), "clashes with your booking for Event on day 10 at 9") {
		t.Errorf("clash: %v", err)
	}
	// a cancels: b is first but would clash, so c gets the place and b keeps waiting.
	f.s.CancelBooking(ctx, a, full, 0, f.now) //nolint:errcheck
	if f.status(t, full, b) != "waiting" || f.status(t, full, c) != "booked" {
		t.Errorf("b %s, c %s", f.status(t, full, b), f.status(t, full, c))
	}
}

// A booking on a full event is refused without waiting for the event's lock, which the people
// taking its last places hold; once a place is free again, booking takes it as before.
func TestBookingAFullEventDoesNotWaitForItsLock(t *testing.T) {
	f := newFixture(t, 3)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(1))
	if out, err := f.s.Book(ctx, f.enrolments[0], ev, 0, f.now); err != nil || out != events.OutcomeBooked {
		t.Fatalf("first booking: %s %v", out, err)
	}
	// Another transaction holds the event's lock, as a booking in progress does.
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, ev); err != nil {
		t.Fatal(err)
	}
	quick, cancel := context.WithTimeout(ctx, 2*time.Second)
	out, err := f.s.Book(quick, f.enrolments[1], ev, 0, f.now)
	cancel()
	if err != nil || out != events.OutcomeFull {
		t.Errorf("booking a full, locked event: %s %v", out, err)
	}
	tx.Rollback(ctx) //nolint:errcheck
	// The place comes free: the same booking now takes it, with the lock.
	if _, err := f.s.CancelBooking(ctx, f.enrolments[0], ev, 0, f.now); err != nil {
		t.Fatal(err)
	}
	if out, err := f.s.Book(ctx, f.enrolments[1], ev, 0, f.now); err != nil || out != events.OutcomeBooked {
		t.Errorf("booking the freed place: %s %v", out, err)
	}
	if out, err := f.s.Book(ctx, f.enrolments[2], ev, 0, f.now); err != nil || out != events.OutcomeFull {
		t.Errorf("booking it again when full: %s %v", out, err)
	}
}

func TestChangingOptionAndCutOffs(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	first := f.event(t, f.item, 10, 9, new(1))
	second := f.event(t, f.item, 17, 9, new(5))
	a, b := f.enrolments[0], f.enrolments[1]
	f.s.Book(ctx, a, first, 0, f.now)            //nolint:errcheck
	f.s.JoinWaitingList(ctx, b, first, 0, f.now) //nolint:errcheck
	// Booking the second option changes a's booking and frees the first for b.
	if out, err := f.s.Book(ctx, a, second, 0, f.now); err != nil || out != events.OutcomeChanged {
		t.Fatalf("change: %s %v", out, err)
	}
	if f.status(t, first, a) != "cancelled" || f.status(t, second, a) != "booked" || f.status(t, first, b) != "booked" {
		t.Errorf("a %s/%s, b %s", f.status(t, first, a), f.status(t, second, a), f.status(t, first, b))
	}
	// One place per item: b cannot hold both options.
	if n := f.count(t, `SELECT count(*) FROM bookings WHERE enrolment_id = $1 AND status = 'booked'`, b); n != 1 {
		t.Errorf("b holds %d places", n)
	}
	// After the cut-off, cancelling is refused; before booking opens, booking is refused.
	late := f.startOf(10, 9).Add(-23 * time.Hour) // the first option's cut-off is a day before it starts
	if _, err := f.s.CancelBooking(ctx, b, first, 0, late); err == nil || !strings.Contains(err.Error(), "cut-off") {
		t.Errorf("late cancel: %v", err)
	}
	if _, err := f.s.Book(ctx, b, second, 0, late); err == nil || !strings.Contains(err.Error(), "cannot change") {
		t.Errorf("late change: %v", err)
	}
	if _, err := f.s.Book(ctx, b, second, 0, f.now.Add(-2*time.Hour)); err == nil || !strings.Contains(err.Error(), "Booking opens") {
		t.Errorf("early booking: %v", err)
	}
}

func TestEventsAreOnlyForTheirCohortsAndActiveParticipants(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(5))
	outsider, err := f.p.Enrol(ctx, programme.NewEnrolment{Email: "out@school.test", Name: "Out", CohortID: f.otherCohort, FundingRoute: programme.FundingScholarship}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Book(ctx, outsider, ev, 0, f.now); err == nil {
		t.Error("a participant of another cohort booked")
	}
	tx, _ := f.pool.Begin(ctx)
	programme.RecordStatus(ctx, tx, f.enrolments[0], programme.StatusDeferred, f.now, "parental-leave", 0) //nolint:errcheck
	tx.Commit(ctx)                                                                                         //nolint:errcheck
	if _, err := f.s.Book(ctx, f.enrolments[0], ev, 0, f.now); err == nil || !strings.Contains(err.Error(), "active place") {
		t.Errorf("deferred booking: %v", err)
	}
	// Partner scope: another partner cannot see or change it.
	otherPartner := scope.Partner(999999)
	if _, err := f.s.EventByID(ctx, ev, otherPartner); err == nil {
		t.Error("another partner can see the event")
	}
	if err := f.s.Cancel(ctx, ev, "x", otherPartner, 0); err == nil {
		t.Error("another partner cancelled the event")
	}
}

func TestCancellingAnEventCancelsBookingsAndTellsEveryone(t *testing.T) {
	f := newFixture(t, 3)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(1))
	f.s.Book(ctx, f.enrolments[0], ev, 0, f.now)            //nolint:errcheck
	f.s.JoinWaitingList(ctx, f.enrolments[1], ev, 0, f.now) //nolint:errcheck
	if err := f.s.Cancel(ctx, ev, "Venue flooded", scope.Admin(), 0); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM bookings WHERE event_id = $1 AND status <> 'cancelled'`, ev); n != 0 {
		t.Errorf("%d bookings still live", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'Cancelled:%' AND body LIKE '%Venue flooded%' AND attachment LIKE '%STATUS:CANCELLED%'`); n != 2 {
		t.Errorf("%d cancellation messages", n)
	}
	if _, err := f.s.Book(ctx, f.enrolments[2], ev, 0, f.now); err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("booking a cancelled event: %v", err)
	}
}

func TestRegisterCompletesAndCorrectionUndoes(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	ev := f.event(t, f.item, 1, 9, new(5))
	for _, e := range f.enrolments {
		f.s.Book(ctx, e, ev, 0, f.now) //nolint:errcheck
	}
	var bookings []int64
	rows, _ := f.pool.Query(ctx, `SELECT id FROM bookings WHERE event_id = $1 ORDER BY enrolment_id`, ev)
	for rows.Next() {
		var id int64
		rows.Scan(&id) //nolint:errcheck
		bookings = append(bookings, id)
	}
	rows.Close()
	// Not before the day.
	if _, err := f.s.MarkRegister(ctx, ev, []events.Mark{{BookingID: bookings[0], Attendance: "attended"}}, scope.Admin(), 0, f.now); err == nil {
		t.Error("register taken before the day")
	}
	onTheDay := f.now.Add(24 * time.Hour)
	n, err := f.s.MarkRegister(ctx, ev, []events.Mark{{BookingID: bookings[0], Attendance: "attended"}, {BookingID: bookings[1], Attendance: "excused", Note: "Ofsted visit"}}, scope.Admin(), 0, onTheDay)
	if err != nil || n != 2 {
		t.Fatalf("mark: %d %v", n, err)
	}
	completed := func(e int64) bool {
		var done bool
		f.pool.QueryRow(ctx, `SELECT coalesce((SELECT completed FROM item_completions WHERE enrolment_id = $1 AND item_id = $2 ORDER BY id DESC LIMIT 1), false)`, e, f.item).Scan(&done) //nolint:errcheck
		return done
	}
	if !completed(f.enrolments[0]) || completed(f.enrolments[1]) {
		t.Errorf("completion after marking: %v %v", completed(f.enrolments[0]), completed(f.enrolments[1]))
	}
	// Saving the same register again changes nothing.
	if n, _ := f.s.MarkRegister(ctx, ev, []events.Mark{{BookingID: bookings[0], Attendance: "attended"}}, scope.Admin(), 0, onTheDay); n != 0 {
		t.Errorf("resaving changed %d", n)
	}
	// Correcting attended to absent undoes the completion, as a new entry.
	f.s.MarkRegister(ctx, ev, []events.Mark{{BookingID: bookings[0], Attendance: "absent"}}, scope.Admin(), 0, onTheDay) //nolint:errcheck
	if completed(f.enrolments[0]) {
		t.Error("still complete after the correction")
	}
	if n := f.count(t, `SELECT count(*) FROM item_completions WHERE enrolment_id = $1`, f.enrolments[0]); n != 2 {
		t.Errorf("%d completion entries, want 2 (complete, then not)", n)
	}
	if n := f.count(t, `SELECT count(*) FROM booking_history WHERE booking_id = $1 AND action IN ('attended', 'absent')`, bookings[0]); n != 2 {
		t.Errorf("%d marks in history", n)
	}
}

func TestCalendarFeedParsesBack(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	full := f.event(t, f.item, 10, 9, new(1))
	webinar := f.event(t, f.item2, 12, 16, nil)
	gone := f.event(t, f.item, 20, 9, new(5))
	a, b := f.enrolments[0], f.enrolments[1]
	// a was booked on a date that was then cancelled, waits for a full one, and is booked on a webinar.
	f.s.Book(ctx, a, gone, 0, f.now)                               //nolint:errcheck
	f.s.Cancel(ctx, gone, "Trainer unavailable", scope.Admin(), 0) //nolint:errcheck
	f.s.Book(ctx, b, full, 0, f.now)                               //nolint:errcheck
	f.s.JoinWaitingList(ctx, a, full, 0, f.now)                    //nolint:errcheck
	f.s.Book(ctx, a, webinar, 0, f.now)                            //nolint:errcheck
	var userID int64
	f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, a).Scan(&userID) //nolint:errcheck
	token, err := f.s.NewFeedToken(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	body, err := f.s.Feed(ctx, token, f.now)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, body)
	}
	if len(cal.Timezones()) != 1 || !strings.Contains(body, "TZID:Europe/London") || !strings.Contains(body, "BYDAY=-1SU") {
		t.Error("no Europe/London VTIMEZONE")
	}
	byUID := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		byUID[ev.Id()] = ev
	}
	bookingUID := func(event int64) string {
		var id int64
		f.pool.QueryRow(ctx, `SELECT id FROM bookings WHERE event_id = $1 AND enrolment_id = $2`, event, a).Scan(&id) //nolint:errcheck
		return events.UID(id)
	}
	status := func(event int64) string {
		ev := byUID[bookingUID(event)]
		if ev == nil {
			return "missing"
		}
		return ev.GetProperty(ics.ComponentPropertyStatus).Value
	}
	if status(webinar) != "CONFIRMED" || status(full) != "TENTATIVE" || status(gone) != "CANCELLED" {
		t.Errorf("statuses: webinar %s, waiting %s, cancelled %s", status(webinar), status(full), status(gone))
	}
	// Times are Europe/London wall-clock times, and the joining link is there for a booked webinar.
	w := byUID[bookingUID(webinar)]
	start := w.GetProperty(ics.ComponentPropertyDtStart)
	e, _ := f.s.EventByID(ctx, webinar, scope.Admin())
	if start.ICalParameters["TZID"][0] != "Europe/London" || start.Value != e.StartsAt.In(time.FixedZone("", 0)).In(mustLondon()).Format("20060102T150405") {
		t.Errorf("DTSTART %v %s", start.ICalParameters, start.Value)
	}
	if !strings.Contains(w.GetProperty(ics.ComponentPropertyDescription).Value, "https://meet.example.org/x") {
		t.Error("joining link missing for a booked webinar")
	}
	// SEQUENCE goes up when the event changes.
	seq := func() string { return byUID[bookingUID(webinar)].GetProperty(ics.ComponentPropertySequence).Value }
	before := seq()
	n := events.NewEvent{ItemID: e.ItemID, Title: "Renamed webinar", StartsAt: e.StartsAt.Add(time.Hour), EndsAt: e.EndsAt.Add(time.Hour), JoiningLink: e.JoiningLink,
		BookingOpensAt: e.BookingOpensAt, BookingClosesAt: e.BookingClosesAt, CancellationCutoff: e.CancellationCutoff, CohortIDs: []int64{f.cohort}}
	if err := f.s.Update(ctx, webinar, n, scope.Admin(), 0, f.now); err != nil {
		t.Fatal(err)
	}
	body, _ = f.s.Feed(ctx, token, f.now)
	cal, _ = ics.ParseCalendar(strings.NewReader(body))
	byUID = map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		byUID[ev.Id()] = ev
	}
	if seq() <= before {
		t.Errorf("SEQUENCE %s after a change, was %s", seq(), before)
	}
	// A new token retires the old address.
	f.s.NewFeedToken(ctx, userID) //nolint:errcheck
	if _, err := f.s.Feed(ctx, token, f.now); err == nil {
		t.Error("the old feed address still works")
	}
}

func TestRemindersAreSentOnce(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	soon := f.event(t, f.item, 3, 9, new(5))
	f.pool.Exec(ctx, `UPDATE events SET booking_opens_at = now() - interval '30 days' WHERE id = $1`, soon) //nolint:errcheck
	f.s.Book(ctx, f.enrolments[0], soon, 0, f.now)                                                          //nolint:errcheck
	// Pretend the booking was made weeks ago, so the 7-day reminder is due.
	f.pool.Exec(ctx, `UPDATE bookings SET created_at = now() - interval '20 days'`) //nolint:errcheck
	var wg sync.WaitGroup
	for range 3 { // several app instances at once
		wg.Go(func() { ; f.s.SendDueReminders(ctx, f.now) }) //nolint:errcheck
	}
	wg.Wait()
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'In a week:%'`); n != 1 {
		t.Errorf("%d 7-day reminders", n)
	}
	f.s.SendDueReminders(ctx, f.startOf(3, 9).Add(-23*time.Hour)) //nolint:errcheck
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'Tomorrow:%'`); n != 1 {
		t.Errorf("%d 1-day reminders", n)
	}
	_ = auth.RoleParticipant
}

func mustLondon() *time.Location {
	l, _ := time.LoadLocation("Europe/London")
	return l
}

func errorsAs(err error, target any) bool {
	return err != nil && fmt.Sprint(err) != "" && asErr(err, target)
}
