package events_test

import (
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"npq/internal/events"
)

// The calendar is RFC 5545 text: every line ends in CRLF, and a carriage return or other
// control character in a title, venue or description cannot break a property.
func TestCalendarLinesEndInCRLFAndTextIsEscaped(t *testing.T) {
	starts := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	entries := []events.CalendarEntry{
		{BookingID: 1, Status: events.StatusBooked, UpdatedAt: starts, EventsPageURL: "https://npq.example/events", Event: events.Event{
			Kind: events.KindFaceToFace, Title: "Leading change\rSUMMARY:Injected\r\nagain\x07", Venue: "Room 1\r\nMain building",
			Description: "Line one\r\nLine two\rLine three\x00", StartsAt: starts, EndsAt: starts.Add(2 * time.Hour)}},
		{BookingID: 2, Status: events.StatusWaiting, UpdatedAt: starts, Event: events.Event{
			Kind: events.KindWebinar, Title: "A title long enough to be folded over more than one content line, with commas, semicolons; and \\ backslashes",
			StartsAt: starts, EndsAt: starts.Add(time.Hour)}},
	}
	body := events.Calendar("NPQ events – Pam", entries, ics.MethodPublish, starts)
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("the last line does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") || strings.IndexFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' }) >= 0 {
			t.Errorf("line %d has a bare line break or control character: %q", i+1, line)
		}
	}
	if n := strings.Count(body, "\nSUMMARY"); n != 2 {
		t.Errorf("%d SUMMARY lines, want 2", n)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("does not parse: %v", err)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events parsed", len(evs))
	}
	text := func(ev *ics.VEvent, p ics.ComponentProperty) string { return ics.FromText(ev.GetProperty(p).Value) }
	for _, tt := range []struct {
		ev   *ics.VEvent
		prop ics.ComponentProperty
		want string
	}{
		{evs[0], ics.ComponentPropertySummary, "Leading change SUMMARY:Injected again"},
		{evs[0], ics.ComponentPropertyLocation, "Room 1 Main building"},
		{evs[0], ics.ComponentPropertyDescription, "Line one\nLine two\nLine three\n\nManage your booking: https://npq.example/events"},
		{evs[1], ics.ComponentPropertySummary, "Waiting list: " + entries[1].Event.Title},
	} {
		if got := text(tt.ev, tt.prop); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.prop, got, tt.want)
		}
	}
}

func TestSubscribeLinks(t *testing.T) {
	for _, tt := range []struct {
		feed, webcal, google string
	}{
		{"https://npq.example/calendar/abc.ics", "webcal://npq.example/calendar/abc.ics", "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fnpq.example%2Fcalendar%2Fabc.ics"},
		{"http://localhost:8080/calendar/abc.ics", "webcal://localhost:8080/calendar/abc.ics", "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost%3A8080%2Fcalendar%2Fabc.ics"},
		{"/calendar/abc.ics", "", ""},
	} {
		got := events.Subscribe(tt.feed)
		if got.Webcal != tt.webcal || got.Google != tt.google {
			t.Errorf("%s: got %+v", tt.feed, got)
		}
	}
}
