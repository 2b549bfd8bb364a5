package partner

import (
	"npq/internal/events"
	"npq/internal/programme"
	"npq/web/components"
)

// EventsListView is the staff list of events.
type EventsListView struct {
	BasePath string // "/partner/events" or "/admin/events"
	Upcoming []events.Event
	Past     []events.Event
}

// EventForm is the schedule / edit / copy form.
type EventForm struct {
	BasePath    string
	EventID     int64 // 0 when scheduling
	Editing     bool
	ItemID      string
	Items       []components.Option
	ItemLocked  string // the activity, shown instead of the select when editing
	Cohorts     []components.CheckboxGroup
	CohortIDs   map[string]bool
	Title       string
	Description string
	Facilitator string
	Date        components.DateValue
	StartTime   string
	EndTime     string
	Venue       string
	JoiningLink string
	Limit       string // "limited" or "unlimited"
	Capacity    string
	Opens       components.DateValue
	ClosesHours string
	CutoffHours string
	Errors      components.Errors
}

// EventPage is an event with its bookings for staff.
type EventPage struct {
	BasePath string
	Event    events.Event
	Booked   []events.Booking
	Waiting  []events.Booking
	History  []events.HistoryEntry
	CanMark  bool
}

// CancelForm asks for a reason before cancelling.
type CancelForm struct {
	BasePath string
	Event    events.Event
	Reason   string
	Errors   components.Errors
}

// RegisterView is an event's register.
type RegisterView struct {
	BasePath string
	Event    events.Event
	Rows     []events.Booking
	Marks    map[int64]string
	Notes    map[int64]string
	Open     bool
	Errors   components.Errors
}

// EngagementView is a cohort's engagement page.
type EngagementView struct {
	Cohort       programme.Cohort
	BasePath     string // the cohort's page
	Engagement   events.Engagement
	Inactive     []programme.RosterEntry
	InactiveDays int
	PersonHref   func(enrolmentID int64) string
}
