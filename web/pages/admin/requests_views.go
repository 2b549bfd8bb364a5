package admin

import (
	"time"

	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/web/components"
)

// QueueView is a page of deferral or withdrawal requests: the open ones unless filtered.
type QueueView struct {
	Kind     lifecycle.Kind
	Requests []lifecycle.Request
	Now      time.Time
	Filter   RequestsFilter
	Choices  RequestsChoices
	Sorted   components.SortedBy
	Pages    components.SeekPagination
}

// RequestsFilter is a requests list's search and filters as the address gives them.
type RequestsFilter struct {
	Query, Kind, State, Course, Cohort, Partner, Age string
}

// RequestsChoices are the options of a requests list's filters.
type RequestsChoices struct {
	Kinds, States, Courses, Cohorts, Partners, Ages []components.Option
	CohortHint                                      string // why the cohorts are not all listed, if they are not
}

// DecisionView is one request with the facts to decide it and the decision form.
type DecisionView struct {
	Request      lifecycle.Request
	Ineligible   []string
	StateProblem string
	Stopped      lifecycle.Stopped
	Proposal     *lifecycle.Proposal
	Bookings     []events.Offer
	MonthsIn     int
	StudyShare   int                 // % of the study period elapsed at the requested date
	Cohorts      []components.Option // return cohorts (deferral) or next cohorts (move)
	History      []lifecycle.Request
	Letters      []lifecycle.Letter
	Form         DecisionForm
}

// DecisionForm is what the admin fills in.
type DecisionForm struct {
	Decision        string // approve, refuse
	Notes           string
	Effective       components.DateValue
	ReturnCohort    string
	ReturnOn        components.DateValue
	ExceptionReason string
	Refund          string
	RefundAmount    string
	MoveCohort      string
	Errors          components.Errors
}

// DecisionCheck is a decision waiting to be confirmed: the choices as a summary, what
// recording it does, and the form's values to send again.
type DecisionCheck struct {
	Rows         []SummaryPair
	Consequences []lifecycle.Consequence
	Hidden       []Hidden
}

// SummaryPair is one row of a summary list: a key and its value.
type SummaryPair struct{ Key, Value string }

// Hidden is a form value carried through a confirmation page.
type Hidden struct{ Name, Value string }

// RecordRequestForm records a request that arrived by email.
type RecordRequestForm struct {
	EnrolmentID     int64
	Name            string
	Kind            lifecycle.Kind
	Reason          string
	DeferReasons    []components.Option
	WithdrawReasons []components.Option
	Details         string
	StartsOn        components.DateValue
	PlannedReturn   components.DateValue
	Errors          components.Errors
}
