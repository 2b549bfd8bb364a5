// Package statuses tells DfE about our status changes: the deferrals, withdrawals and
// resumptions our decisions make. Derive reads the recent decisions of every enrolment with
// DfE ids in one query, works out the status changes they imply (Changes) and records the new
// ones in dfe_status_changes in one more; SendDue pushes the due ones to DfE once each
// (defer, resume or withdraw, with DfE's reason code), holding a change back while the
// enrolment has due declarations dated before it (HeldBack), so DfE gets the declarations a
// participant earned before they left first; Resend lets an admin send a refused one again.
//
// A unique constraint on (request, action) and on the reinstatement makes each decision
// pushed once, however many instances run.
package statuses

import (
	"slices"
	"time"

	"npq/internal/lifecycle"
	"npq/internal/programme"
)

// Action is what DfE is asked to do.
type Action string

// The actions DfE's API offers for a participant's course.
const (
	Defer    Action = "defer"
	Resume   Action = "resume"
	Withdraw Action = "withdraw"
)

// TrainingStatus is DfE's training status after the action.
func (a Action) TrainingStatus() string {
	switch a {
	case Defer:
		return "deferred"
	case Withdraw:
		return "withdrawn"
	}
	return "active"
}

// Label is the action in words.
func (a Action) Label() string {
	switch a {
	case Defer:
		return "Defer"
	case Withdraw:
		return "Withdraw"
	case Resume:
		return "Resume"
	}
	return string(a)
}

// State is our state of a status change.
type State string

// Our status change states.
const (
	StateDue    State = "due"
	StateSent   State = "sent"
	StateFailed State = "failed"
)

// States are the states the admin list offers, in order.
var States = []State{StateDue, StateSent, StateFailed}

// Label is the state in words.
func (s State) Label() string {
	switch s {
	case StateDue:
		return "Due"
	case StateSent:
		return "Sent"
	case StateFailed:
		return "Refused by DfE"
	}
	return string(s)
}

// ParseState reads the list's ?state=: "" is due.
func ParseState(v string) (State, bool) {
	if v == "" {
		return StateDue, true
	}
	i := slices.Index(States, State(v))
	if i < 0 {
		return "", false
	}
	return States[i], true
}

// ReasonLabel is a reason code in words, for the action's kind of request ("" for a resume).
func ReasonLabel(a Action, code string) string {
	switch a {
	case Defer:
		return lifecycle.ReasonLabel(lifecycle.KindDeferral, code)
	case Withdraw:
		return lifecycle.ReasonLabel(lifecycle.KindWithdrawal, code)
	}
	return ""
}

// Lookback is how far back Derive looks for decisions. Decisions taken (or taking effect)
// longer ago predate the integration or were told to DfE by hand, and pushing a participant's
// whole history would flood DfE and replay old moves (a deferral long since ended) over the
// status DfE holds now; a later decision of the same enrolment is still pushed, and DfE
// already holding its status counts as sent (see SendDue).
const Lookback = 90 * 24 * time.Hour

// Decision is one of our decisions about an enrolment's status: an approved deferral or
// withdrawal (RequestID), or a reinstatement (HistoryID, the status entry that made a
// withdrawn enrolment active again).
type Decision struct {
	RequestID   int64
	HistoryID   int64
	EnrolmentID int64
	Kind        string // "deferral", "withdrawal" or "reinstatement"
	Reason      string // DfE's reason code of a deferral or withdrawal
	EffectiveOn time.Time
	DecidedAt   time.Time // when the decision (or the reinstatement) was recorded
	// ReturnOn and ReturnedAt are a deferral's return date and when the return was confirmed.
	ReturnOn   *time.Time
	ReturnedAt *time.Time
	// ReinstatedAt is when a withdrawn participant was next made active again, if they were.
	ReinstatedAt *time.Time
}

// Change is a status change a decision implies.
type Change struct {
	RequestID   int64
	HistoryID   int64
	EnrolmentID int64
	Action      Action
	Reason      string
	EffectiveOn time.Time
}

// Changes are the status changes a decision implies today: a deferral defers from its
// effective date and resumes once the return is confirmed (on the return date, or the day it
// was confirmed if that was earlier); a withdrawal withdraws from its effective date, unless
// the participant was reinstated before that date (DfE then never hears of it: a withdraw
// recorded after the resume would leave DfE holding the wrong status); a reinstatement resumes. A change whose decision was recorded and took effect before since
// (now less Lookback) is left out. Changes come in the order they happened.
func Changes(d Decision, today, since time.Time) []Change {
	recent := func(times ...time.Time) bool {
		return slices.ContainsFunc(times, func(t time.Time) bool { return !t.Before(since) })
	}
	effective := programme.Today(d.EffectiveOn)
	started := !effective.After(programme.Today(today))
	c := Change{RequestID: d.RequestID, HistoryID: d.HistoryID, EnrolmentID: d.EnrolmentID, EffectiveOn: effective}
	var out []Change
	switch d.Kind {
	case "deferral":
		if started && recent(d.DecidedAt, effective) {
			c.Action, c.Reason = Defer, d.Reason
			out = append(out, c)
		}
		if d.ReturnedAt != nil && recent(*d.ReturnedAt) {
			back := programme.Today(*d.ReturnedAt)
			if d.ReturnOn != nil && d.ReturnOn.Before(back) {
				back = programme.Today(*d.ReturnOn)
			}
			out = append(out, Change{RequestID: d.RequestID, EnrolmentID: d.EnrolmentID, Action: Resume, EffectiveOn: back})
		}
	case "withdrawal":
		undone := d.ReinstatedAt != nil && programme.Today(*d.ReinstatedAt).Before(effective)
		if started && !undone && recent(d.DecidedAt, effective) {
			c.Action, c.Reason = Withdraw, d.Reason
			out = append(out, c)
		}
	case "reinstatement":
		if recent(d.DecidedAt) {
			c.Action = Resume
			out = append(out, c)
		}
	}
	return out
}

// HeldBack says whether a due change waits: while an earlier change of the same enrolment is
// still due (DfE must get them in order), or while the enrolment has a due declaration dated
// on or before the change's effective date (DfE must get what was earned before the
// participant left first: it refuses declarations dated after a withdrawal, and a withdrawal
// without a started declaration). earliestDue is the enrolment's earliest due declaration
// date, if any.
func HeldBack(effectiveOn time.Time, earliestDue *time.Time, earlierChangeDue bool) bool {
	if earlierChangeDue {
		return true
	}
	return earliestDue != nil && !programme.Today(*earliestDue).After(programme.Today(effectiveOn))
}
