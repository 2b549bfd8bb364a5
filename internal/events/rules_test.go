package events

import (
	"strings"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.UTC)
	if err != nil {
		panic(err)
	}
	return t
}

func event() Event {
	return Event{ID: 1, Title: "Culture workshop", StartsAt: at("2027-03-02 09:30"), EndsAt: at("2027-03-02 15:00"),
		BookingOpensAt: at("2027-01-01 00:00"), BookingClosesAt: at("2027-03-01 09:30"), CancellationCutoff: at("2027-02-28 09:30")}
}

func TestBookingWindowAndCutOff(t *testing.T) {
	cancelled := event()
	now := at("2027-01-10 12:00")
	cancelled.CancelledAt = &now
	tests := []struct {
		name string
		e    Event
		now  string
		want string
	}{
		{"before booking opens", event(), "2026-12-31 23:59", "Booking opens on"},
		{"as booking opens", event(), "2027-01-01 00:00", ""},
		{"inside the window", event(), "2027-02-15 10:00", ""},
		{"as booking closes", event(), "2027-03-01 09:30", "Booking closed on"},
		{"after it started", event(), "2027-03-02 10:00", "already started"},
		{"cancelled", cancelled, "2027-02-01 10:00", "cancelled"},
	}
	for _, tt := range tests {
		got := BookingProblem(tt.e, at(tt.now))
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if p := CancellationProblem(event(), at("2027-02-28 09:29")); p != "" {
		t.Errorf("before the cut-off: %q", p)
	}
	if p := CancellationProblem(event(), at("2027-02-28 09:30")); !strings.Contains(p, "cut-off was") {
		t.Errorf("at the cut-off: %q", p)
	}
}

func TestCapacity(t *testing.T) {
	tests := []struct {
		capacity *int
		booked   int
		left     int
		full     bool
		label    string
	}{
		{nil, 500, -1, false, "No limit on places"},
		{new(10), 0, 10, false, "10 places left"},
		{new(10), 9, 1, false, "1 place left"},
		{new(10), 10, 0, true, "Full"},
		{new(10), 12, 0, true, "Full"},
	}
	for _, tt := range tests {
		e := Event{Capacity: tt.capacity, Booked: tt.booked}
		if e.PlacesLeft() != tt.left || e.Full() != tt.full || e.PlacesLabel() != tt.label {
			t.Errorf("%v/%d: left %d full %v %q", tt.capacity, tt.booked, e.PlacesLeft(), e.Full(), e.PlacesLabel())
		}
	}
}

func TestClashes(t *testing.T) {
	e := event()
	tests := []struct {
		name  string
		slots []Slot
		clash bool
	}{
		{"nothing booked", nil, false},
		{"same day, earlier", []Slot{{EventID: 2, StartsAt: at("2027-03-02 07:00"), EndsAt: at("2027-03-02 09:30")}}, false},
		{"ends as this starts", []Slot{{EventID: 2, StartsAt: at("2027-03-02 08:00"), EndsAt: at("2027-03-02 09:30")}}, false},
		{"overlaps the start", []Slot{{EventID: 2, Title: "Webinar", StartsAt: at("2027-03-02 09:00"), EndsAt: at("2027-03-02 10:00")}}, true},
		{"inside", []Slot{{EventID: 2, StartsAt: at("2027-03-02 11:00"), EndsAt: at("2027-03-02 12:00")}}, true},
		{"covers", []Slot{{EventID: 2, StartsAt: at("2027-03-02 08:00"), EndsAt: at("2027-03-02 17:00")}}, true},
		{"itself", []Slot{{EventID: 1, StartsAt: e.StartsAt, EndsAt: e.EndsAt}}, false},
		{"another day", []Slot{{EventID: 2, StartsAt: at("2027-03-03 09:30"), EndsAt: at("2027-03-03 15:00")}}, false},
	}
	for _, tt := range tests {
		if got := Clash(e, tt.slots); (got != nil) != tt.clash {
			t.Errorf("%s: clash %v", tt.name, got)
		}
	}
	p := ClashProblem(Slot{Title: "Webinar", StartsAt: at("2027-03-02 09:00")})
	if !strings.Contains(p.Message, "clashes with your booking for Webinar on 2 March 2027 at 9am") {
		t.Errorf("clash message %q", p)
	}
}

func TestDueReminder(t *testing.T) {
	start := at("2027-03-10 09:00")
	tests := []struct {
		name        string
		booked, now string
		want        string
	}{
		{"too early for either", "2027-01-05 10:00", "2027-03-03 08:59", ""},
		{"7-day window opens", "2027-01-05 10:00", "2027-03-03 09:00", "7d"},
		{"7-day window, booked inside it", "2027-03-05 10:00", "2027-03-05 11:00", ""},
		{"1-day window opens", "2027-03-05 10:00", "2027-03-09 09:00", "1d"},
		{"1-day window, booked weeks ago: the week reminder is stale", "2027-01-05 10:00", "2027-03-09 21:00", "1d"},
		{"1-day window, booked inside it", "2027-03-09 18:00", "2027-03-09 19:00", ""},
		{"booked just before the 1-day window", "2027-03-09 08:59", "2027-03-09 12:00", "1d"},
		{"at the start", "2027-01-05 10:00", "2027-03-10 09:00", ""},
		{"after the start", "2027-01-05 10:00", "2027-03-11 09:00", ""},
	}
	for _, tt := range tests {
		if got := DueReminder(start, at(tt.booked), at(tt.now)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTiming(t *testing.T) {
	// Stored in UTC, shown in UK time: 08:30 UTC in June is 9:30am BST.
	e := Event{StartsAt: at("2027-06-01 08:30"), EndsAt: at("2027-06-01 14:00")}
	if got := e.Timing(); got != "Tuesday 1 June 2027, 9:30am to 3pm" {
		t.Errorf("timing %q", got)
	}
}
