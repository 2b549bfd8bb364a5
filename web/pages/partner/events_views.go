package partner

import (
	"npq/internal/events"
	"npq/web/components"
)

// EventsListView is the staff list of events.
type EventsListView struct {
	BasePath string // "/partner/events" or "/admin/events"
	Admin    bool   // the list spans partners, so it names and filters by them
	Rows     []events.Event
	Filter   EventsFilter
	Choices  EventsChoices
	Sorted   components.SortedBy
	Pages    components.SeekPagination
	Errors   components.Errors
}

// EventsFilter is the events list's search and filters as the address gives them.
type EventsFilter struct {
	Query, Course, Cohort, Partner, From, To, Kind, Status string
}

// Active reports whether any filter but the status is set.
func (f EventsFilter) Active() bool {
	return f != EventsFilter{Status: f.Status} || (f.Status != "" && f.Status != string(events.ListUpcoming))
}

// EventsChoices are the options of the events list's filters.
type EventsChoices struct {
	Courses, Cohorts, Partners, Kinds, Statuses []components.Option
	CohortHint                                  string // why the cohorts are not all listed, if they are not
}

// EventForm is the schedule / edit / copy form.
type EventForm struct {
	BasePath    string
	EventID     int64 // 0 when scheduling
	Editing     bool
	CopyOf      string // the copied event's title and date, when copying
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
	Started  bool           // the event has begun, so a recording and catch-up task can be added
	CatchUp  events.CatchUp // what people who missed it are offered
}

// CatchUpForm is the recording and task offered to people who missed an event.
type CatchUpForm struct {
	BasePath string
	Event    events.Event
	CatchUp  events.CatchUp
	Errors   components.Errors
}

// CancelForm asks for a reason before cancelling.
type CancelForm struct {
	BasePath string
	Event    events.Event
	Reason   string
	Errors   components.Errors
}
