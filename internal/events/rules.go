// Package events schedules face-to-face sessions and webinars, books participants onto
// them with waiting lists, keeps registers, and builds calendars and reminders. Booking rules
// are plain functions; the Store enforces them in transactions with the event row locked.
package events

import (
	"strconv"
	"time"

	"npq/internal/problem"
	"npq/internal/timefmt"
)

// Kind is the sort of event; it is the kind of the block item it is an option for.
type Kind string

// The kinds of event.
const (
	KindFaceToFace   Kind = "face_to_face"
	KindWebinar      Kind = "webinar"
	KindTutorSession Kind = "tutor_session"
	KindCoaching     Kind = "coaching"
)

// Online reports whether the event happens online (it has a joining link, not a venue).
func (k Kind) Online() bool { return k == KindWebinar }

// Event is a scheduled session.
type Event struct {
	ID                 int64
	ItemID             int64
	PartnerID          int64
	PartnerName        string
	Kind               Kind
	Title              string
	Description        string
	Facilitator        string
	StartsAt, EndsAt   time.Time
	Venue, JoiningLink string
	Capacity           *int // nil: unlimited
	Booked             int
	Waiting            int
	BookingOpensAt     time.Time
	BookingClosesAt    time.Time
	CancellationCutoff time.Time
	CancelledAt        *time.Time
	CancelledReason    string
	Sequence           int
	// The item the event is an option for.
	BlockID, CourseID     int64
	BlockPosition         int
	BlockTitle, ItemTitle string
	ItemRequired          bool
	Cohorts               []CohortRef
	// The course's qualification code (its short name) and name, filled in by lists.
	CourseCode, CourseName string
}

// CohortRef names a cohort an event is offered to.
type CohortRef struct {
	ID   int64
	Name string
}

// Cancelled reports whether staff cancelled the event.
func (e Event) Cancelled() bool { return e.CancelledAt != nil }

// PlacesLeft is how many places remain, or -1 for unlimited.
func (e Event) PlacesLeft() int {
	if e.Capacity == nil {
		return -1
	}
	if n := *e.Capacity - e.Booked; n > 0 {
		return n
	}
	return 0
}

// Full reports whether every place is taken.
func (e Event) Full() bool { return e.Capacity != nil && e.Booked >= *e.Capacity }

// PlacesLabel says how many places are left, as people read it.
func (e Event) PlacesLabel() string {
	switch n := e.PlacesLeft(); {
	case n < 0:
		return "No limit on places"
	case n == 0:
		return "Full"
	case n == 1:
		return "1 place left"
	default:
		return strconv.Itoa(n) + " places left"
	}
}

// BookingProblem says why the event cannot be booked at now, in words a participant can act
// on, or "" if it can.
func BookingProblem(e Event, now time.Time) string {
	switch {
	case e.Cancelled():
		return "This event has been cancelled"
	case !now.Before(e.StartsAt):
		return "This event has already started"
	case now.Before(e.BookingOpensAt):
		return "Booking opens on " + timefmt.DateTime(e.BookingOpensAt)
	case !now.Before(e.BookingClosesAt):
		return "Booking closed on " + timefmt.DateTime(e.BookingClosesAt)
	}
	return ""
}

// CancellationProblem says why a booking on the event cannot be cancelled at now, or "".
func CancellationProblem(e Event, now time.Time) string {
	if !now.Before(e.CancellationCutoff) {
		return "You can no longer cancel: the cut-off was " + timefmt.DateTime(e.CancellationCutoff) + ". Contact your delivery partner."
	}
	return ""
}

// Overlaps reports whether two time ranges share any time (touching ends do not).
func Overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

// Slot is a booked time, to check clashes against.
type Slot struct {
	EventID          int64
	Title            string
	StartsAt, EndsAt time.Time
}

// Clash returns the first slot that overlaps the event (other than the event itself).
func Clash(e Event, booked []Slot) *Slot {
	for i, s := range booked {
		if s.EventID != e.ID && Overlaps(e.StartsAt, e.EndsAt, s.StartsAt, s.EndsAt) {
			return &booked[i]
		}
	}
	return nil
}

// ClashProblem words a clash for the participant.
func ClashProblem(s Slot) problem.Problem {
	return problem.Newf("This clashes with your booking for %s on %s", s.Title, timefmt.DateTime(s.StartsAt))
}

// Timing is when an event is, as people read it, e.g. "Tuesday 3 March 2027, 9:30am to 3pm".
func (e Event) Timing() string {
	s, en := e.StartsAt, e.EndsAt
	if timefmt.SameDay(s, en) {
		return timefmt.DayDate(s) + ", " + timefmt.Clock(s) + " to " + timefmt.Clock(en)
	}
	return timefmt.DayDate(s) + ", " + timefmt.Clock(s) + " to " + timefmt.DayDate(en) + ", " + timefmt.Clock(en)
}

// Reminder kinds and how long before the start they go.
var Reminders = []struct {
	Kind   string
	Before time.Duration
}{{"7d", 7 * 24 * time.Hour}, {"1d", 24 * time.Hour}}

// DueReminder is the kind of reminder to send at now for a booking made at bookedAt on an
// event starting at start, or "" for none. Only the reminder with the shortest lead time whose
// window has opened counts: when the event is a day away, "in a week" is stale and is never
// sent, even if it was not sent in its own window. It is due only if the booking was made
// before that window opened (a booking made two days ahead gets the 1-day reminder, not the
// 7-day one; one made an hour ahead gets none).
func DueReminder(start, bookedAt, now time.Time) string {
	if !now.Before(start) {
		return ""
	}
	kind, window := "", time.Time{}
	for _, r := range Reminders {
		if w := start.Add(-r.Before); !now.Before(w) && (kind == "" || w.After(window)) {
			kind, window = r.Kind, w
		}
	}
	if kind == "" || !bookedAt.Before(window) {
		return ""
	}
	return kind
}

// Attendance marks a register takes.
var Attendance = []struct{ Value, Label string }{
	{"attended", "Attended"}, {"partial", "Partly attended"}, {"absent", "Absent"}, {"excused", "Excused"},
}

// AttendanceLabel is a mark as people say it.
func AttendanceLabel(v string) string {
	for _, a := range Attendance {
		if a.Value == v {
			return a.Label
		}
	}
	return "Not marked"
}

// ValidAttendance reports whether v is a mark (or "" for not marked).
func ValidAttendance(v string) bool {
	return v == "" || AttendanceLabel(v) != "Not marked"
}
