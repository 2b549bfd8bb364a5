// Package milestones works out the DfE milestones at risk: for each enrolment with a DfE
// schedule, the next milestone it has not yet earned (neither declared to DfE nor due from
// our evidence, as the declarations engine's Outstanding says), whether its deadline is
// near or past, and what evidence is still missing, in words a delivery partner
// understands. Next is pure (the caller passes today); Recompute works it out for every
// enrolment in a constant number of queries and replaces the dfe_milestones_at_risk table,
// which the partner page at /partner/milestones reads by keyset.
package milestones

import (
	"fmt"
	"time"

	"npq/internal/dfe/declarations"
	"npq/internal/timefmt"
)

// HorizonDays is the risk horizon: a milestone whose deadline is this many days away or
// fewer, with its evidence still missing, is at risk. A session or activity can be arranged
// within six weeks.
const HorizonDays = 42

// CompletedHorizonDays is the completed milestone's horizon: its evidence is a released
// assessment result, which takes a submission, 15 working days of marking, moderation and
// release, so a partner needs to know three months ahead.
const CompletedHorizonDays = 91

// horizon is the risk horizon of a milestone type, in days.
func horizon(t declarations.Type) int {
	if t == declarations.Completed {
		return CompletedHorizonDays
	}
	return HorizonDays
}

// State is how a next milestone stands.
type State string

// The states of a next milestone.
const (
	OnTrack State = "on_track" // no deadline within the horizon, or none published
	AtRisk  State = "at_risk"  // deadline within the horizon, evidence still missing
	Missed  State = "missed"   // deadline passed
)

// States are the states the partner page filters by, in order.
var States = []State{AtRisk, Missed}

// Label is the state in words.
func (s State) Label() string {
	switch s {
	case AtRisk:
		return "At risk"
	case Missed:
		return "Missed"
	}
	return "On track"
}

// ParseState reads the page's ?state=: "" is at risk and missed alike.
func ParseState(v string) (State, bool) {
	if v == "" {
		return "", true
	}
	for _, s := range States {
		if string(s) == v {
			return s, true
		}
	}
	return "", false
}

// Line is an enrolment's next milestone not yet earned.
type Line struct {
	Type        declarations.Type
	From        declarations.Date // first day evidence counts
	Deadline    declarations.Date // last day; zero when DfE has published none
	PaymentDate declarations.Date // zero when not published
	State       State
	Missing     string // the evidence still missing, in words
}

// Next is the next milestone an enrolment has not yet earned, given its evidence (with
// Made and SentOutcomes filled from what DfE holds or is about to) and our enrolment status.
// It is false for an enrolment that is not active (deferred, withdrawn or completed) and
// for one with nothing left to earn.
func Next(ev declarations.Evidence, status string, today time.Time) (Line, bool) {
	if status != "active" {
		return Line{}, false
	}
	ms := declarations.Outstanding(ev, today)
	if len(ms) == 0 {
		return Line{}, false
	}
	m := ms[0]
	l := Line{Type: m.Type, From: m.From, Deadline: m.Deadline, PaymentDate: m.PaymentDate, State: OnTrack}
	switch {
	case m.Missed:
		l.State = Missed
	case !m.Deadline.IsZero() && !m.Deadline.After(civil(today).AddDate(0, 0, horizon(m.Type))):
		l.State = AtRisk
	}
	l.Missing = missing(ev, m, today)
	return l, true
}

// missing says what evidence the milestone still lacks: the engine's refusal when evidence
// exists that DfE would refuse, else what is still to happen.
func missing(ev declarations.Evidence, m declarations.Milestone, today time.Time) string {
	r := declarations.Derive(ev, today)
	for _, ref := range r.Refusals {
		if ref.Type == m.Type {
			return refused(ref)
		}
	}
	switch m.Type {
	case declarations.Started:
		return "No session attended or activity completed yet"
	case declarations.Completed:
		return "No assessment result released yet"
	}
	// Only engagements in the window after the latest declaration, made or due, count.
	var after time.Time
	for _, d := range ev.Made {
		if d.State.Live() && d.Date.After(after) {
			after = d.Date
		}
	}
	for _, d := range r.Due {
		if d.DeclarationDate.After(after) {
			after = d.DeclarationDate
		}
	}
	need := max(ev.RetainedMin, 1)
	have := 0
	for _, e := range ev.Engagements {
		d := civil(e.At)
		if e.At.After(after) && !d.Before(m.From) && (m.Deadline.IsZero() || !d.After(m.Deadline)) {
			have++
		}
	}
	since := timefmt.Date(m.From)
	if have == 0 {
		return "No session attended or activity completed since " + since
	}
	return fmt.Sprintf("%d of the %d sessions or activities needed since %s", have, need, since)
}

// refused words a refusal of the engine for delivery partners.
func refused(r declarations.Refusal) string {
	switch r.Code {
	case declarations.RefuseOutsideWindow:
		return "Attendance or activity recorded only after the deadline"
	case declarations.RefuseNoDeliveryPartner:
		return "Attendance recorded, but the partner's DfE delivery partner id is missing (the provider records it)"
	case declarations.RefuseOutOfOrder:
		return "Attendance recorded, but an earlier milestone has not been declared"
	case declarations.RefuseAfterWithdrawal:
		return "Attendance recorded after the participant withdrew"
	}
	return "Attendance recorded, but DfE would refuse it: " + r.Detail
}

// civil is t's London calendar day as a civil date.
func civil(t time.Time) declarations.Date {
	y, m, d := t.In(timefmt.London).Date()
	return declarations.D(y, m, d)
}

// Due says in words how far off a deadline is from today: "in 12 days", "tomorrow",
// "today", "3 days ago".
func Due(deadline, today time.Time) string {
	if deadline.IsZero() {
		return "No deadline published"
	}
	n := int(civil(deadline).Sub(civil(today)).Hours() / 24)
	switch {
	case n == 0:
		return "today"
	case n == 1:
		return "tomorrow"
	case n == -1:
		return "yesterday"
	case n > 1:
		return fmt.Sprintf("in %d days", n)
	}
	return fmt.Sprintf("%d days ago", -n)
}
