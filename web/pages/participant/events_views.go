package participant

import (
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

func bookLabel(o EventOption) string {
	if o.IsChange {
		return "Change to this date"
	}
	return "Book"
}
