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
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/timefmt"
)

// eventsListFixture adds a second course (NPQSL) with a face-to-face session and a Riverside
// cohort to the programme fixture, and events of both courses and both partners.
type eventsListFixture struct {
	*programmeFixture
	slCourse, slSession, slCohort int64
	headship, leadership          int64 // upcoming Riverside webinars of each course
	hillside                      int64 // an upcoming Hillside event
	unmarked, marked              int64 // past Riverside events, one with its register taken
	cancelled                     int64
}

// eventAt schedules an event for item and cohorts starting days from now at 10am.
func (a *testApp) eventAt(item int64, title, venue string, days int, cohorts ...int64) int64 {
	a.t.Helper()
	var partner int64
	a.pool.QueryRow(context.Background(), `SELECT delivery_partner_id FROM cohorts WHERE id = $1`, cohorts[0]).Scan(&partner) //nolint:errcheck
	now := a.now()
	start := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, timefmt.London).AddDate(0, 0, days)
	id, err := events.Store{DB: a.pool}.Create(context.Background(), events.NewEvent{ItemID: item, Title: title, Venue: venue,
		StartsAt: start, EndsAt: start.Add(90 * time.Minute), JoiningLink: "https://meet.example.org/room",
		BookingOpensAt: now.AddDate(0, -2, 0), BookingClosesAt: start.Add(-time.Hour), CancellationCutoff: start.Add(-24 * time.Hour), CohortIDs: cohorts},
		scope.Admin(), partner, 0)
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

func (a *testApp) eventsListFixture() *eventsListFixture {
	a.t.Helper()
	ctx := context.Background()
	f := &eventsListFixture{programmeFixture: a.programmeFixture()}
	s := programme.Store{DB: a.pool}
	must := func(id int64, err error) int64 {
		a.t.Helper()
		if err != nil {
			a.t.Fatal(err)
		}
		return id
	}
	f.slCourse = must(s.CreateCourse(ctx, programme.Course{QualificationCode: "NPQSL", Name: "NPQ in Senior Leadership", StudyMonths: 12, AssessmentMonths: 3}))
	block := must(s.AddBlock(ctx, f.slCourse, "Leading teaching", ""))
	f.slSession = must(s.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindFaceToFace, Title: "Residential", ExpectedMinutes: 240, Required: true}))
	today := a.today()
	f.slCohort = must(s.CreateCohort(ctx, programme.NewCohort{CourseID: f.slCourse, PartnerID: f.partnerID, Name: "NPQSL Riverside spring", ScheduleIdentifier: "npq-leadership-spring",
		StartsOn: today.AddDate(0, -1, 0), StudyEndsOn: today.AddDate(1, 0, 0), AssessmentOpensOn: today.AddDate(1, 0, 0), AssessmentClosesOn: today.AddDate(1, 3, 0),
		BlockOpens: map[int64]time.Time{block: today.AddDate(0, -1, 0)}}))
	f.headship = a.eventAt(f.webinar, "Block 1 webinar", "", 7, f.cohortID)
	f.leadership = a.eventAt(f.slSession, "Block 1 residential", "Leeds Town Hall", 9, f.slCohort)
	f.hillside = a.eventAt(f.webinar, "Hillside webinar", "Leeds Civic Centre", 8, f.cohort2)
	f.unmarked = a.eventAt(f.webinar, "Spring webinar", "", -10, f.cohortID)
	f.marked = a.eventAt(f.webinar, "Winter webinar", "", -20, f.cohortID)
	f.cancelled = a.eventAt(f.webinar, "Called-off webinar", "", 12, f.cohortID)
	if err := a.srv.events.Cancel(ctx, f.cancelled, "The facilitator is ill", scope.Admin(), 0); err != nil {
		a.t.Fatal(err)
	}
	second := must(s.Enrol(ctx, enrolIn("ria@school.test", f.cohortID), 0, a.ts.URL))
	for _, ev := range []struct {
		id, enrolment int64
		attendance    *string
	}{{f.unmarked, f.enrolment, nil}, {f.marked, second, new("attended")}} {
		if _, err := a.pool.Exec(ctx, `INSERT INTO bookings (event_id, enrolment_id, item_id, status, attendance) VALUES ($1, $2, $3, 'booked', $4)`,
			ev.id, ev.enrolment, f.webinar, ev.attendance); err != nil {
			a.t.Fatal(err)
		}
	}
	return f
}

// listedEvents is the ids of the events a list page shows, in order.
func listedEvents(t *testing.T, res *testResponse) []int64 {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", res.Request.URL, res.StatusCode, res.text("main"))
	}
	var ids []int64
	res.Doc.Find(`[data-testid="event-row"] td:first-child a`).Each(func(_ int, s *goquery.Selection) {
		href := s.AttrOr("href", "")
		id, _ := strconv.ParseInt(href[strings.LastIndex(href, "/")+1:], 10, 64)
		ids = append(ids, id)
	})
	return ids
}

func sameIDs(got []int64, want ...int64) bool {
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// Each row names its course, cohorts and (for admins) partner, and every filter narrows the
// list to exactly its rows.
func TestEventsListFilters(t *testing.T) {
	a := newTestApp(t)
	f := a.eventsListFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	id := func(v int64) string { return strconv.FormatInt(v, 10) }
	day := func(days int) string { return timefmt.ISODate(a.now().AddDate(0, 0, days)) }
	ukDay := func(days int) string {
		return url.QueryEscape(a.now().In(timefmt.London).AddDate(0, 0, days).Format("2/1/2006"))
	}
	for _, c := range []struct {
		query string
		want  []int64
	}{
		{"", []int64{f.headship, f.hillside, f.leadership}},
		{"status=upcoming", []int64{f.headship, f.hillside, f.leadership}},
		{"status=past", []int64{f.unmarked, f.marked}},
		{"status=register-not-taken", []int64{f.unmarked}},
		{"status=cancelled", []int64{f.cancelled}},
		{"status=all", []int64{f.cancelled, f.leadership, f.hillside, f.headship, f.unmarked, f.marked}},
		{"course=" + id(f.slCourse), []int64{f.leadership}},
		{"course=" + id(f.courseID), []int64{f.headship, f.hillside}},
		{"cohort=" + id(f.cohort2), []int64{f.hillside}},
		{"partner=" + id(f.partner2), []int64{f.hillside}},
		{"kind=face_to_face", []int64{f.leadership}},
		{"kind=webinar&partner=" + id(f.partnerID), []int64{f.headship}},
		{"q=leeds", []int64{f.hillside, f.leadership}},
		{"q=residential", []int64{f.leadership}},
		{"q=" + url.QueryEscape("50%"), nil},
		{"from=" + day(8) + "&to=" + day(9), []int64{f.hillside, f.leadership}},
		{"status=all&to=" + day(-15), []int64{f.marked}},
		{"status=all&from=" + day(-10) + "&to=" + day(-10), []int64{f.unmarked}},
		{"status=all&from=" + ukDay(-10) + "&to=" + ukDay(-10), []int64{f.unmarked}},
	} {
		if got := listedEvents(t, admin.get("/admin/events?"+c.query)); !sameIDs(got, c.want...) {
			t.Errorf("%q: got %v, want %v", c.query, got, c.want)
		}
	}
	page := admin.get("/admin/events")
	row := page.Doc.Find(`[data-testid="event-row"]`).Eq(2)
	if got := row.Find(`[data-testid="event-course"]`).Text(); !strings.Contains(got, "NPQSL") || !strings.Contains(got, "NPQ in Senior Leadership") ||
		!strings.Contains(got, "NPQSL Riverside spring") || !strings.Contains(got, "Riverside Hub") {
		t.Errorf("row does not name its course, cohort and partner: %q", got)
	}
	if got := page.text(`[data-testid="sorted-by"]`); got != "Sorted by date, soonest first" {
		t.Errorf("sort line %q", got)
	}
	if got := page.Doc.Find(`th[aria-sort]`).Text() + " " + page.Doc.Find(`th[aria-sort]`).AttrOr("aria-sort", ""); got != "Date ascending" {
		t.Errorf("sorted header %q", got)
	}
	past := admin.get("/admin/events?status=past")
	if got := past.Doc.Find(`th[aria-sort]`).AttrOr("aria-sort", ""); got != "descending" || !strings.Contains(past.text(`[data-testid="sorted-by"]`), "latest first") {
		t.Errorf("past list sorted %q, %q", got, past.text(`[data-testid="sorted-by"]`))
	}
	// The filters stay in the form, so the list can be narrowed further.
	filtered := admin.get("/admin/events?q=leeds&kind=face_to_face&course=" + id(f.slCourse))
	if filtered.Doc.Find(`#q`).AttrOr("value", "") != "leeds" || filtered.Doc.Find(`#kind option[selected]`).AttrOr("value", "") != "face_to_face" ||
		filtered.Doc.Find(`#course option[selected]`).AttrOr("value", "") != id(f.slCourse) || filtered.Doc.Find(`[data-testid="clear-filters"]`).Length() != 1 {
		t.Error("the filter form does not keep the filters")
	}
	if admin.get("/admin/events").Doc.Find(`[data-testid="clear-filters"]`).Length() != 0 {
		t.Error("Clear filters offered with none set")
	}
}

// Partner staff never see another partner's events, whatever they filter or search for.
func TestEventsListIsScopedToThePartner(t *testing.T) {
	a := newTestApp(t)
	f := a.eventsListFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	id := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, q := range []string{"", "status=all", "q=hillside", "q=leeds", "cohort=" + id(f.cohort2), "partner=" + id(f.partner2),
		"course=" + id(f.courseID), "kind=webinar"} {
		res := staff.get("/partner/events?" + q)
		for _, got := range listedEvents(t, res) {
			if got == f.hillside {
				t.Errorf("%q lists Hillside's event", q)
			}
		}
		if strings.Contains(res.Body, "Hillside") {
			t.Errorf("%q names Hillside", q)
		}
	}
	if got := listedEvents(t, staff.get("/partner/events?q=leeds")); !sameIDs(got, f.leadership) {
		t.Errorf("search: %v", got)
	}
	// Partner staff are not offered a partner filter; their rows need no partner named.
	page := staff.get("/partner/events")
	if page.Doc.Find(`#partner`).Length() != 0 || page.Doc.Find(`[data-testid="event-partner"]`).Length() != 0 {
		t.Error("partner staff see a partner filter or column")
	}
}

// Upcoming and past events are both paged by keyset, with the filters kept on each link.
func TestEventsListPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	var upcoming, past []int64
	for i := 1; i <= 23; i++ {
		upcoming = append(upcoming, a.eventAt(f.webinar, "Upcoming "+strconv.Itoa(i), "", i, f.cohortID))
	}
	for i := 1; i <= 12; i++ {
		past = append(past, a.eventAt(f.webinar, "Past "+strconv.Itoa(i), "", -i, f.cohortID))
	}
	a.eventAt(f.webinar, "Elsewhere", "", 3, f.cohort2)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	walk := func(path string) (seen []int64, pages int) {
		for path != "" {
			res := staff.get(path)
			seen = append(seen, listedEvents(t, res)...)
			pages++
			next := res.Doc.Find(`a[rel="next"]`).AttrOr("href", "")
			if next != "" && !strings.Contains(next, "kind=webinar") {
				t.Errorf("next page %q loses the filter", next)
			}
			path = next
			if pages > 10 {
				t.Fatal("paging does not end")
			}
		}
		return seen, pages
	}
	if seen, pages := walk("/partner/events?kind=webinar&size=10"); !sameIDs(seen, upcoming...) || pages != 3 {
		t.Errorf("upcoming: %d pages, %v, want %v", pages, seen, upcoming)
	}
	if seen, pages := walk("/partner/events?kind=webinar&status=past&size=10"); !sameIDs(seen, past...) || pages != 2 {
		t.Errorf("past: %d pages, %v, want %v", pages, seen, past)
	}
	// Back from the second page is the first page again.
	second := staff.get(staff.get("/partner/events?size=10").Doc.Find(`a[rel="next"]`).AttrOr("href", ""))
	prev := second.Doc.Find(`a[rel="prev"]`).AttrOr("href", "")
	if got := listedEvents(t, staff.get(prev)); !sameIDs(got, upcoming[:10]...) {
		t.Errorf("previous page %v", got)
	}
	if n, _ := a.queriesFor(staff, "/partner/events?size=10&status=past"); n > 5 {
		t.Errorf("events list ran %d queries", n)
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if n, _ := a.queriesFor(admin, "/admin/events?status=all&q=past"); n > 5 {
		t.Errorf("admin events list ran %d queries", n)
	}
}

// Addresses no filter form sends are 400; a date that is not real is a 422 with the summary.
func TestEventsListBadInput(t *testing.T) {
	a := newTestApp(t)
	a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	forged := listing.Cursor{"yesterday", "1"}.String()
	for _, q := range []string{"size=5", "size=x", "after=!!!", "after=" + forged, "before=" + listing.Cursor{"2027-01-01T00:00:00Z"}.String(),
		"status=soon", "kind=party", "course=abc", "cohort=-1", "partner=1.5"} {
		if res := admin.get("/admin/events?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: %d", q, res.StatusCode)
		}
	}
	for q, want := range map[string]string{
		"from=2027-02-30":               "From must be a real date, for example 1/3/2027",
		"to=31/13/2027":                 "To must be a real date, for example 1/3/2027",
		"to=tomorrow":                   "To must be a real date, for example 1/3/2027",
		"from=2027-03-02&to=2027-03-01": "To must be the same as or after From",
	} {
		res := admin.get("/admin/events?" + q)
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "|") != want || !strings.HasPrefix(res.text("title"), "Error:") {
			t.Errorf("%q: %d %v", q, res.StatusCode, res.errorSummary())
		}
	}
}

// The event page's links say which event they act on; a copy's page says what it copies.
func TestEventLinksNameTheirEvent(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.eventAt(f.webinar, "Block 1 webinar", "", 7, f.cohortID)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	page := staff.get(fmt.Sprintf("/partner/events/%d", ev))
	for _, sel := range []string{`[data-testid="change"]`, `[data-testid="copy"]`} {
		if got := page.Doc.Find(sel + ` .govuk-visually-hidden`).Text(); !strings.HasPrefix(got, ": Block 1 webinar, ") {
			t.Errorf("%s context %q", sel, got)
		}
	}
	copyTitle := staff.get(fmt.Sprintf("/partner/events/%d/copy", ev)).text("title")
	newTitle := staff.get("/partner/events/new").text("title")
	if !strings.HasPrefix(copyTitle, "Copy event: Block 1 webinar, ") || !strings.HasPrefix(newTitle, "Schedule an event") {
		t.Errorf("titles %q and %q", copyTitle, newTitle)
	}
}
