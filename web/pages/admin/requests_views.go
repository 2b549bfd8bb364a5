package admin

import (
	"time"

	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/web/components"
)

// QueueView is the open deferral or withdrawal requests.
type QueueView struct {
	Kind     lifecycle.Kind
	Requests []lifecycle.Request
	Now      time.Time
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
