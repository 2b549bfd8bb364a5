package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/events"
	"npq/internal/scope"
	"npq/internal/timefmt"
)

// scheduleEvent adds an event for the fixture's webinar item (or another item) to cohorts.
func (a *testApp) scheduleEvent(f *programmeFixture, item int64, days int, capacity *int, cohorts ...int64) int64 {
	a.t.Helper()
	if len(cohorts) == 0 {
		cohorts = []int64{f.cohortID}
	}
	var partner int64
	a.pool.QueryRow(context.Background(), `SELECT delivery_partner_id FROM cohorts WHERE id = $1`, cohorts[0]).Scan(&partner) //nolint:errcheck
	now := a.now()
	start := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, timefmt.London).AddDate(0, 0, days)
	id, err := events.Store{DB: a.pool}.Create(context.Background(), events.NewEvent{ItemID: item, Title: "Webinar " + strconv.Itoa(days),
		StartsAt: start, EndsAt: start.Add(90 * time.Minute), JoiningLink: "https://meet.example.org/secret-room", Capacity: capacity,
		BookingOpensAt: now.Add(-time.Hour), BookingClosesAt: start.Add(-time.Hour), CancellationCutoff: start.Add(-24 * time.Hour), CohortIDs: cohorts}, scope.Admin(), partner, 0)
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

func TestParticipantBooksChangesAndCancels(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	first := a.scheduleEvent(f, f.webinar, 7, new(10))
	second := a.scheduleEvent(f, f.webinar, 14, new(10))
	c := a.as(f.participant)
	page := c.get("/events")
	if page.Doc.Find(`[data-testid="event-option"]`).Length() != 2 || !strings.Contains(page.text(`[data-testid="event-group"]`), "Book a date") {
		t.Fatalf("events page: %q", page.text("main"))
	}
	if page.Doc.Find(`[data-testid="get-feed"]`).Length() != 1 {
		t.Error("no calendar feed address offered")
	}
	// The joining link is hidden until booked.
	if strings.Contains(c.get(fmt.Sprintf("/events/%d", first)).Body, "secret-room") {
		t.Error("joining link shown before booking")
	}
	res := c.post(fmt.Sprintf("/events/%d/book", first), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/events/%d", first) {
		t.Fatalf("book: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := c.get(res.Header.Get("Location")).text(`[data-testid="flash"]`); !strings.Contains(got, "You are booked on Webinar 7, ") {
		t.Errorf("after booking: %q", got)
	}
	if href, _ := c.get(fmt.Sprintf("/events/%d", first)).Doc.Find(`[data-testid="joining-link"]`).Attr("href"); href != "https://meet.example.org/secret-room" {
		t.Errorf("joining link after booking: %q", href)
	}
	// Home shows the booking.
	if !strings.Contains(c.get("/home").text(`[data-testid="home-events"]`), "Webinar 7") {
		t.Error("booking not on Home")
	}
	// Booking the other date changes the booking.
	c.post(fmt.Sprintf("/events/%d/book", second), nil)
	if got := c.get("/events").text(`[data-testid="flash"]`); !strings.Contains(got, "changed to the new date") {
		t.Errorf("change: %q", got)
	}
	if n := a.count(`SELECT count(*) FROM bookings WHERE enrolment_id = $1 AND status = 'booked'`, f.enrolment); n != 1 {
		t.Errorf("%d places held", n)
	}
	// Cancelling asks first: the question changes nothing.
	confirm := c.get(fmt.Sprintf("/events/%d/cancel", second))
	if confirm.StatusCode != http.StatusOK || confirm.text(`[data-testid="page-title"]`) != "Cancel your place?" ||
		!strings.Contains(confirm.text(`[data-testid="cancel-what"]`), "Webinar 14") {
		t.Fatalf("cancel confirmation: %d %q", confirm.StatusCode, confirm.text("main"))
	}
	if n := a.count(`SELECT count(*) FROM bookings WHERE enrolment_id = $1 AND status = 'booked'`, f.enrolment); n != 1 {
		t.Errorf("%d places after asking to cancel", n)
	}
	res = c.post(fmt.Sprintf("/events/%d/cancel", second), nil)
	if res.Header.Get("Location") != fmt.Sprintf("/events?course=%d", f.enrolment) || !strings.Contains(c.get("/events").text(`[data-testid="flash"]`), "Your place on Webinar 14, ") {
		t.Errorf("cancel went to %q", res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM bookings WHERE enrolment_id = $1 AND status = 'booked'`, f.enrolment); n != 0 {
		t.Errorf("%d places after cancelling", n)
	}
	// With nothing to cancel, the question is not asked.
	if res := c.get(fmt.Sprintf("/events/%d/cancel", second)); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/events/%d", second) {
		t.Errorf("cancel with no booking: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	var attachment string
	a.pool.QueryRow(t.Context(), `SELECT attachment FROM outbox WHERE subject LIKE 'Booking confirmed:%' ORDER BY id LIMIT 1`).Scan(&attachment) //nolint:errcheck
	if !strings.Contains(attachment, "BEGIN:VCALENDAR") || !strings.Contains(attachment, "UID:booking-") {
		t.Errorf("confirmation without a calendar entry: %q", attachment)
	}
}

// The Events list is short: each date on one row with its place, places left and what can be
// done; "Cancel or change by" only on a booked date; a cancelled date after the others.
func TestEventsListIsCompact(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	called := a.scheduleEvent(f, f.webinar, 5, new(10))
	booked := a.scheduleEvent(f, f.webinar, 7, new(10))
	open := a.scheduleEvent(f, f.webinar, 14, new(10))
	if err := a.srv.events.Cancel(t.Context(), called, "The facilitator is ill", scope.Admin(), 0); err != nil {
		t.Fatal(err)
	}
	c := a.as(f.participant)
	c.post(fmt.Sprintf("/events/%d/book", booked), nil)
	page := c.get("/events")
	var order []string
	page.Doc.Find(`[data-testid="event-option"]`).Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("id", "")) })
	if want := []string{fmt.Sprintf("event-%d", booked), fmt.Sprintf("event-%d", open), fmt.Sprintf("event-%d", called)}; strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("order %v, want %v (the cancelled date last)", order, want)
	}
	row := func(id int64) *goquery.Selection { return page.Doc.Find(fmt.Sprintf(`#event-%d`, id)) }
	if got := row(booked).Find(`[data-testid="cancel-by"]`).Text(); !strings.Contains(got, "Cancel or change by") {
		t.Errorf("booked date without its cut-off: %q", got)
	}
	for _, id := range []int64{open, called} {
		if row(id).Find(`[data-testid="cancel-by"]`).Length() != 0 || strings.Contains(row(id).Text(), "Cancel") && !strings.Contains(row(id).Text(), "cancelled") {
			t.Errorf("event %d shows a cut-off or cancel though not booked: %q", id, row(id).Text())
		}
	}
	if got := row(called).Text(); !strings.Contains(got, "Event cancelled") || row(called).Find(`button, a[data-testid]`).Length() != 0 {
		t.Errorf("cancelled date: %q", got)
	}
	if row(open).Find(`[data-testid="book"]`).Length() != 1 || !strings.Contains(row(open).Find(`[data-testid="places"]`).Text(), "10 places left") {
		t.Errorf("open date: %q", row(open).Text())
	}
	if row(booked).Find(`a[data-testid="cancel"]`).AttrOr("href", "") != fmt.Sprintf("/events/%d/cancel", booked) {
		t.Error("cancelling is not a link to the question first")
	}
	// One row per date: no card per date.
	if n := page.Doc.Find(`.govuk-summary-card`).Length(); n != 0 {
		t.Errorf("%d cards", n)
	}
}

func TestBookingFeedbackNamesTheSessionAndDate(t *testing.T) {
	start := time.Date(2027, 3, 2, 9, 30, 0, 0, timefmt.London)
	e := events.Event{ID: 42, Title: "Leading culture webinar", StartsAt: start, EndsAt: start.Add(90 * time.Minute)}
	when := "Leading culture webinar, Tuesday 2 March 2027, 9:30am to 11am"
	for _, tc := range []struct {
		out      events.Outcome
		to, want string
	}{
		{events.OutcomeBooked, "/events/42", "You are booked on " + when + ". We have emailed you"},
		{events.OutcomeChanged, "/events/42", "Your booking is changed to the new date: " + when + "."},
		{events.OutcomeAlreadyBooked, "/events/42", "You are already booked on " + when + "."},
		{events.OutcomeWaiting, "/events/42", "You are on the waiting list for " + when + ". If a place comes up"},
		{events.OutcomeAlreadyWaiting, "/events/42", "You are already on the waiting list for " + when + "."},
		{events.OutcomeCancelled, "/events?course=7", "Your place on " + when + " is cancelled."},
		{events.OutcomeLeftWaiting, "/events?course=7", "You have left the waiting list for " + when + "."},
		{events.OutcomeNothing, "/events?course=7", "You had no booking on " + when + "."},
	} {
		to, got := bookingFeedback(tc.out, e, 7)
		if to != tc.to || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: to %q, %q; want to %q, %q", tc.out, to, got, tc.to, tc.want)
		}
	}
}

func TestParticipantSeesWhyABookingWasRefused(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	full := a.scheduleEvent(f, f.webinar, 7, new(1))
	other := a.as(a.user("second@school.test", auth.RoleParticipant, nil))
	if _, err := a.srv.programme.Enrol(t.Context(), enrolIn("second@school.test", f.cohortID), 0, ""); err != nil {
		t.Fatal(err)
	}
	other.post(fmt.Sprintf("/events/%d/book", full), nil)
	c := a.as(f.participant)
	// Full: booking offers the waiting list instead.
	page := c.get("/events")
	if page.Doc.Find(`[data-testid="join-waiting-list"]`).Length() != 1 || page.Doc.Find(`[data-testid="book"]`).Length() != 0 {
		t.Fatalf("full event actions: %q", page.text(`[data-testid="event-option"]`))
	}
	res := c.post(fmt.Sprintf("/events/%d/book", full), nil)
	if got := c.get(res.Header.Get("Location")).text(`[data-testid="problem"]`); !strings.Contains(got, "the last place was just taken") {
		t.Errorf("booking a full event: %q", got)
	}
	c.post(fmt.Sprintf("/events/%d/waitlist", full), nil)
	if got := c.get("/events").text(`[data-testid="booking-status"]`); got != "Waiting list: number 1" {
		t.Errorf("waiting status %q", got)
	}
	// A clash is refused with a message naming it, and nothing changes.
	booked := a.scheduleEvent(f, f.webinar, 9, nil)
	c.post(fmt.Sprintf("/events/%d/book", booked), nil)
	clash := a.scheduleEvent(f, f.workshop, 9, nil)
	res = c.post(fmt.Sprintf("/events/%d/book", clash), nil)
	if got := c.get(res.Header.Get("Location")).text(`[data-testid="problem"]`); !strings.Contains(got, "This clashes with your booking for Webinar 9") {
		t.Errorf("clash message: %q", got)
	}
	if n := a.count(`SELECT count(*) FROM bookings WHERE event_id = $1`, clash); n != 0 {
		t.Errorf("clashing booking made")
	}
	for _, path := range []string{"/events/999999/book", "/events/abc/book"} {
		if res := c.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
}

func TestEventsAreScopedToCohortsAndPartners(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	hillside := a.scheduleEvent(f, f.webinar, 7, new(5), f.cohort2)
	// Pam (Riverside) cannot see or book Hillside's event.
	pam := a.as(f.participant)
	for _, path := range []string{fmt.Sprintf("/events/%d", hillside)} {
		if res := pam.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	if res := pam.post(fmt.Sprintf("/events/%d/book", hillside), nil); res.StatusCode != http.StatusNotFound || a.count(`SELECT count(*) FROM bookings`) != 0 {
		t.Errorf("booking another cohort's event: %d", res.StatusCode)
	}
	// Riverside's staff cannot see, edit, cancel or mark Hillside's event.
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	for _, path := range []string{"", "/edit", "/copy", "/cancel", "/register", "/register.csv"} {
		if res := staff.get(fmt.Sprintf("/partner/events/%d%s", hillside, path)); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
	}
	for _, path := range []string{"/edit", "/cancel", "/register"} {
		if res := staff.post(fmt.Sprintf("/partner/events/%d%s", hillside, path), url.Values{"reason": {"x"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: %d", path, res.StatusCode)
		}
	}
	if strings.Contains(staff.get("/partner/events").text("main"), "Webinar 7") {
		t.Error("another partner's event is listed")
	}
	// Nor schedule one for Hillside's cohort.
	res := staff.post("/partner/events", eventForm(f.webinar, f.cohort2))
	if res.StatusCode != 422 || !strings.Contains(strings.Join(res.errorSummary(), ""), "Choose cohorts that run this session's course") {
		t.Errorf("scheduling for another partner's cohort: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := staff.get(fmt.Sprintf("/partner/cohorts/%d/engagement", f.cohort2)); res.StatusCode != http.StatusNotFound {
		t.Errorf("other partner's engagement: %d", res.StatusCode)
	}
}

func eventForm(item int64, cohorts ...int64) url.Values {
	day := time.Now().AddDate(0, 0, 20)
	v := url.Values{"item": {strconv.FormatInt(item, 10)}, "date-day": {strconv.Itoa(day.Day())}, "date-month": {strconv.Itoa(int(day.Month()))},
		"date-year": {strconv.Itoa(day.Year())}, "start_time": {"9:30am"}, "end_time": {"3pm"}, "joining_link": {"https://meet.example.org/a"},
		"limit": {"limited"}, "capacity": {"20"}, "closes_hours": {"24"}, "cutoff_hours": {"48"}}
	for _, c := range cohorts {
		v.Add("cohorts", strconv.FormatInt(c, 10))
	}
	return v
}

func TestStaffScheduleEditCopyAndCancel(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	res := staff.post("/partner/events", eventForm(f.webinar, f.cohortID))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d %v", res.StatusCode, res.errorSummary())
	}
	page := res.Header.Get("Location")
	ev := staff.get(page)
	if !strings.Contains(ev.text("dl"), "9:30am to 3pm") || !strings.Contains(ev.text("dl"), "0 of 20 booked") {
		t.Errorf("event page: %q", ev.text("dl"))
	}
	// Pam books, then staff move it an hour: Pam is told.
	pam := a.as(f.participant)
	id := page[strings.LastIndex(page, "/")+1:]
	pam.post("/events/"+id+"/book", nil)
	edit := eventForm(f.webinar, f.cohortID)
	edit.Set("start_time", "10:30am")
	if res := staff.post(page+"/edit", edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'pam@school.test' AND subject LIKE 'Changed:%'`); n != 1 {
		t.Errorf("%d change messages", n)
	}
	edit.Set("capacity", "0")
	if res := staff.post(page+"/edit", edit); res.StatusCode != 422 {
		t.Errorf("capacity 0: %d", res.StatusCode)
	}
	// Copy offers the same details without the date.
	copyForm := staff.get(page + "/copy")
	if v, _ := copyForm.Doc.Find("#joining_link").Attr("value"); v != "https://meet.example.org/a" {
		t.Errorf("copy: link %q", v)
	}
	if v, _ := copyForm.Doc.Find("#date-day").Attr("value"); v != "" {
		t.Errorf("copy keeps the date %q", v)
	}
	// Cancel needs a reason.
	if res := staff.post(page+"/cancel", url.Values{}); res.StatusCode != 422 || len(res.errorSummary()) != 1 {
		t.Errorf("cancel without reason: %d", res.StatusCode)
	}
	if res := staff.post(page+"/cancel", url.Values{"reason": {"Room unavailable"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'pam@school.test' AND body LIKE '%Room unavailable%'`); n != 1 {
		t.Errorf("Pam was not told of the cancellation")
	}
	// The store's refusal reaches the page in its own words, without the context it was wrapped in.
	if res := staff.post(page+"/cancel", url.Values{"reason": {"again"}}); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.text("main"), "This event is already cancelled") || strings.Contains(res.Body, "events: cancel") {
		t.Errorf("cancelling twice: %d %s", res.StatusCode, res.text("main"))
	}
}

func TestStaffEventFormBadInput(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	before := a.count(`SELECT count(*) FROM events`)
	change := func(mod func(url.Values)) url.Values {
		v := eventForm(f.webinar, f.cohortID)
		mod(v)
		return v
	}
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Choose the session this event is a date for|Choose at least one cohort to offer it to|Enter the date|Enter the start time|Enter the end time|Choose a set number of places or no limit|Enter the hours before the start that booking closes|Enter the hours before the start for cancelling"},
		{change(func(v url.Values) { v.Set("item", strconv.FormatInt(f.study, 10)) }), "Choose one of the sessions listed"},
		{change(func(v url.Values) { v.Set("start_time", "25:00"); v.Set("end_time", "noon") }), "Start time must be a time, like 9:30am or 14:00|End time must be a time, like 3:30pm or 15:30"},
		{change(func(v url.Values) { v.Set("end_time", "9am") }), "End time must be after the start time"},
		{change(func(v url.Values) { v.Set("date-year", "27") }), "Date must be a real date, with a 4-digit year"},
		{change(func(v url.Values) { v.Set("date-day", "31"); v.Set("date-month", "2") }), "Date must be a real date"},
		{change(func(v url.Values) { v.Set("date-year", strconv.Itoa(a.now().Year()-1)) }), "Date must be in the future"},
		{change(func(v url.Values) { v.Set("joining_link", "") }), "Enter the joining link for this webinar"},
		{change(func(v url.Values) { v.Set("joining_link", "javascript:alert(1)") }), "Joining link must be a web address starting with https://"},
		{change(func(v url.Values) { v.Set("capacity", "lots") }), "Number of places must be a whole number, like 18"},
		{change(func(v url.Values) { v.Set("limit", "infinite") }), "Choose a set number of places or no limit"},
		{change(func(v url.Values) { v.Set("closes_hours", "-3") }), "Hours before the start that booking closes must be between 0 and 1440"},
		{change(func(v url.Values) { v.Set("title", strings.Repeat("t", 201)) }), "Title must be 200 characters or fewer"},
	} {
		res := staff.post("/partner/events", tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%d %q\nwant %q", res.StatusCode, res.errorSummary(), tt.want)
		}
	}
	if a.count(`SELECT count(*) FROM events`) != before {
		t.Error("bad input scheduled an event")
	}
}

func TestRegisterAndEngagementPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, new(10))
	a.as(f.participant).post(fmt.Sprintf("/events/%d/book", ev), nil)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	reg := staff.get(fmt.Sprintf("/partner/events/%d/register", ev))
	if reg.Doc.Find(`[data-testid="register-names"] li`).Length() != 1 || reg.Doc.Find(`[data-testid="register-closed"]`).Length() != 1 {
		t.Fatalf("register before the day: %q", reg.text("main"))
	}
	// Move the event to a minute ago so the register is open.
	if _, err := a.pool.Exec(t.Context(), `UPDATE events SET starts_at = $2, ends_at = $2::timestamptz + interval '1 hour', booking_closes_at = $2,
		cancellation_cutoff = $2::timestamptz - interval '1 hour', booking_opens_at = $2::timestamptz - interval '2 days' WHERE id = $1`, ev, a.now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	var booking string
	a.pool.QueryRow(t.Context(), `SELECT id::text FROM bookings WHERE event_id = $1`, ev).Scan(&booking) //nolint:errcheck
	if res := staff.post(fmt.Sprintf("/partner/events/%d/register", ev), url.Values{"booking": {booking}, "mark-" + booking: {"present-ish"}}); res.StatusCode != 422 {
		t.Errorf("bad mark: %d", res.StatusCode)
	}
	if res := staff.post(fmt.Sprintf("/partner/events/%d/register", ev), url.Values{"booking": {"abc"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad booking id: %d", res.StatusCode)
	}
	res := staff.post(fmt.Sprintf("/partner/events/%d/register", ev), url.Values{"booking": {booking}, "mark-" + booking: {"attended"}, "note-" + booking: {"Joined late"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d %v", res.StatusCode, res.errorSummary())
	}
	// Pam's webinar item is now complete.
	if got := a.as(f.participant).get(fmt.Sprintf("/learn/%d/%d", f.block1, f.webinar)).text(`[data-testid="completed"]`); !strings.Contains(got, "attendance was recorded") {
		t.Errorf("item after attendance: %q", got)
	}
	csvRes := staff.get(fmt.Sprintf("/partner/events/%d/register.csv", ev))
	if !strings.Contains(csvRes.Body, "pam@school.test,,NPQH Riverside,Booked,Attended,Joined late") {
		t.Errorf("register csv: %s", csvRes.Body)
	}
	eng := staff.get(fmt.Sprintf("/partner/cohorts/%d/engagement", f.cohortID))
	if !strings.Contains(eng.text(`[data-testid="attendance"]`), "100%") {
		t.Errorf("engagement: %q", eng.text("main"))
	}
}

func TestEngagementListsPeopleWhoHaveNotBookedFillingSessions(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, new(2))
	// Another participant takes one of the two places (50%: not yet filling), then a second cohort member takes the other.
	for _, email := range []string{"x1@school.test", "x2@school.test"} {
		id, err := a.srv.programme.Enrol(t.Context(), enrolIn(email, f.cohortID), 0, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.srv.events.Book(t.Context(), id, ev, 0, a.now()); err != nil {
			t.Fatal(err)
		}
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.get(fmt.Sprintf("/admin/cohorts/%d/engagement", f.cohortID))
	got := res.text(`[data-testid="unbooked"]`)
	if !strings.Contains(got, "Every date is full") || !strings.Contains(got, "Test participant") {
		t.Errorf("unbooked: %q", got)
	}
}

func TestCalendarFeedRoute(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, nil)
	c := a.as(f.participant)
	c.post(fmt.Sprintf("/events/%d/book", ev), nil)
	feed := c.post("/calendar/reset", nil).Doc.Find(`[data-testid="feed-url"]`).AttrOr("value", "")
	u, _ := url.Parse(strings.TrimSpace(feed))
	res := a.client().get(u.Path) // no session needed: the token is the key
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") || !strings.Contains(res.Body, "SUMMARY:Webinar 7") {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Body)
	}
	if strings.Contains(a.logs.String(), u.Path) {
		t.Error("the feed token was logged")
	}
	for _, bad := range []string{"/calendar/short.ics", "/calendar/" + strings.Repeat("x", 40) + ".ics"} {
		if res := a.client().get(bad); res.StatusCode != 404 {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	c.post("/calendar/reset", nil)
	if res := a.client().get(u.Path); res.StatusCode != 404 {
		t.Errorf("old feed after reset: %d", res.StatusCode)
	}
}
