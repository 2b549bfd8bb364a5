package participant

import (
	"strconv"
	"time"

	"npq/internal/events"
	"npq/internal/lifecycle"
)

// EventsView is the participant's Events page: events offered to their cohort, grouped by
// block and activity.
type EventsView struct {
	Enrolment   EnrolmentView
	Switcher    CourseSwitcher
	Standing    lifecycle.StandingView
	Groups      []EventGroup
	FeedMadeAt  *time.Time // when the calendar address was made; nil if there is none
	NoEnrolment bool
}

// EventGroup is one activity and its options.
type EventGroup struct {
	ItemID        int64
	BlockPosition int
	BlockTitle    string
	ItemTitle     string
	Required      bool
	Booked        bool // booked on one of the options
	Options       []EventOption
}

// EventOption is one event with what the participant can do.
type EventOption struct {
	events.Offer
	Href          string
	CanBook       bool
	CanWait       bool
	CanCancel     bool
	CanLeave      bool
	Problem       string // why booking is not possible now
	CancelProblem string
	IsChange      bool // booking this would change from another option
}

// EventView is one event's page for a participant.
type EventView struct {
	Back        string // the Events page of the event's course
	Option      EventOption
	ShowLink    bool
	Description string
}

// ToBook is the activities that need a date and have none booked yet.
func (v EventsView) ToBook() []EventGroup {
	var out []EventGroup
	for _, g := range v.Groups {
		if g.Required && !g.Booked {
			out = append(out, g)
		}
	}
	return out
}

// Anchor is the id of the group's section on the Events page.
func (g EventGroup) Anchor() string { return "session-" + strconv.FormatInt(g.ItemID, 10) }

// HasAction reports whether the participant can do something with the option now.
func (o EventOption) HasAction() bool { return o.CanBook || o.CanWait || o.CanCancel || o.CanLeave }

// ShowCancelBy reports whether to show the date by which a booking can be cancelled: only on
// a date the participant has booked that still goes ahead.
func (o EventOption) ShowCancelBy() bool {
	return o.BookingStatus == events.StatusBooked && !o.Cancelled()
}

func bookLabel(o EventOption) string {
	if o.IsChange {
		return "Change to this date"
	}
	return "Book"
}

func cancelTitle(o EventOption) string {
	if o.CanLeave {
		return "Leave the waiting list?"
	}
	return "Cancel your place?"
}
