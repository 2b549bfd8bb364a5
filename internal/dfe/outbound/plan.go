// Package outbound sends the DfE declarations and outcome updates our evidence earns: Derive
// reads the evidence of every enrolment with DfE ids in a constant number of queries, runs
// the declarations engine (npq/internal/dfe/declarations) on each and records the newly due
// declarations in dfe_declarations and outcome updates in dfe_outcomes; SendDue sends the
// due ones to DfE once each, recording DfE's id and state or DfE's refusal; Void voids a
// declaration at an admin's decision, with a reason, audited. The cut-off and payment dates
// shown with due declarations come from DfE's statements (npq/internal/dfe/statements).
//
// A partial unique index allows one live (not voided) declaration of each type per
// enrolment, so a declaration is never derived or sent twice, however many instances run.
package outbound

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"npq/internal/dfe/declarations"
)

// State is our state of a declaration.
type State string

// Our declaration states.
const (
	StateDue    State = "due"
	StateSent   State = "sent"
	StateFailed State = "failed"
	StateVoided State = "voided"
)

// States are the states the admin list offers, in order.
var States = []State{StateDue, StateSent, StateFailed, StateVoided}

// Label is the state in words.
func (s State) Label() string {
	switch s {
	case StateDue:
		return "Due"
	case StateSent:
		return "Sent"
	case StateFailed:
		return "Refused by DfE"
	case StateVoided:
		return "Voided"
	}
	return string(s)
}

// ParseState reads the list's ?state=: "" is due.
func ParseState(v string) (State, bool) {
	if v == "" {
		return StateDue, true
	}
	for _, s := range States {
		if string(s) == v {
			return s, true
		}
	}
	return "", false
}

// ScheduleFor is the engine's schedule for an enrolment's DfE cohort ("2025" or "2025a")
// and schedule identifier: the one DfE publishes with its milestone deadlines and payment
// dates, or else one with DfE's usual schedule start (autumn 1 October of the start year,
// spring 1 January of the next, EHCO and ASO the 1st of the named month) and no published
// deadlines. It is false when the cohort or the identifier cannot be read.
func ScheduleFor(cohort, identifier string) (declarations.Schedule, bool) {
	if len(cohort) < 4 {
		return declarations.Schedule{}, false
	}
	year, err := strconv.Atoi(cohort[:4])
	if err != nil || year < 2021 {
		return declarations.Schedule{}, false
	}
	if !strings.HasPrefix(identifier, "npq-") {
		return declarations.Schedule{}, false
	}
	if s, ok := declarations.PublishedSchedule(year, identifier); ok {
		return s, true
	}
	season := identifier[strings.LastIndex(identifier, "-")+1:]
	var from time.Time
	switch season {
	case "autumn":
		from = declarations.D(year, time.October, 1)
	case "spring":
		from = declarations.D(year+1, time.January, 1)
	case "november":
		from = declarations.D(year, time.November, 1)
	case "december":
		from = declarations.D(year, time.December, 1)
	case "march":
		from = declarations.D(year+1, time.March, 1)
	case "june":
		from = declarations.D(year+1, time.June, 1)
	default:
		return declarations.Schedule{}, false
	}
	return declarations.Schedule{Identifier: identifier, CohortStartYear: year, AppliesFrom: from}, true
}

// Held is one of an enrolment's declarations in dfe_declarations.
type Held struct {
	Type      declarations.Type
	Date      time.Time
	State     State
	DfEState  string // DfE's state of a sent one
	HasPassed *bool
	Evidence  []string
}

// made is what the engine must take as already declared: due and sent ones (a due one is
// on its way). Failed and voided ones are not live.
func made(held []Held) []declarations.Made {
	var out []declarations.Made
	for _, h := range held {
		st := declarations.Submitted
		switch h.State {
		case StateSent:
			if h.DfEState != "" {
				st = declarations.State(h.DfEState)
			}
		case StateFailed, StateVoided:
			continue
		}
		out = append(out, declarations.Made{Type: h.Type, Date: h.Date, State: st, HasPassed: h.HasPassed})
	}
	return out
}

// HeldOutcome is one of an enrolment's outcome updates in dfe_outcomes.
type HeldOutcome struct {
	Passed         bool
	CompletionDate time.Time
	State          State
}

// Planned is what to record as due for one enrolment, and what the engine refused to
// derive (evidence DfE would refuse or later void: outside a milestone window, no delivery
// partner id, after a withdrawal).
type Planned struct {
	Due      []declarations.Due
	Outcomes []declarations.OutcomeDue
	Refusals []declarations.Refusal
}

// Plan is the declarations and outcome updates to record as due for one enrolment, given
// its evidence (without Made and SentOutcomes, which Plan fills from held and outcomes) and
// what dfe_declarations and dfe_outcomes already hold for it. Nothing is planned while one of
// its declarations stands refused by DfE (an admin voids it once the cause is put right),
// and a declaration an admin voided is not derived again from the same evidence: only new
// evidence earns its type again. Due outcome updates count as sent: they are on their way.
func Plan(ev declarations.Evidence, held []Held, outcomes []HeldOutcome, today time.Time) Planned {
	for _, h := range held {
		if h.State == StateFailed {
			return Planned{}
		}
	}
	r := declarations.Derive(withHeld(ev, held, outcomes), today)
	p := Planned{Refusals: r.Refusals}
	for _, d := range r.Due {
		if voidedBefore(d, held) {
			return p // later types, and outcomes, would rest on a declaration DfE will not hold
		}
		p.Due = append(p.Due, d)
	}
	p.Outcomes = r.Outcomes
	return p
}

// withHeld is ev with what dfe_declarations and dfe_outcomes hold for the enrolment as its
// Made and SentOutcomes.
func withHeld(ev declarations.Evidence, held []Held, outcomes []HeldOutcome) declarations.Evidence {
	ev.Made = made(held)
	ev.SentOutcomes = nil
	for _, o := range outcomes {
		if o.State != StateFailed {
			ev.SentOutcomes = append(ev.SentOutcomes, declarations.SentOutcome{Passed: o.Passed, CompletionDate: o.CompletionDate})
		}
	}
	return ev
}

func voidedBefore(d declarations.Due, held []Held) bool {
	for _, h := range held {
		if h.State == StateVoided && h.Type == d.Type && slices.Equal(h.Evidence, d.EvidenceIDs) {
			return true
		}
	}
	return false
}

// EvidenceWords names an evidence id ("attendance:12") in words for admins.
func EvidenceWords(id string) string {
	kind, n, _ := strings.Cut(id, ":")
	switch kind {
	case "attendance":
		return "Attended a session (booking " + n + ")"
	case "completion":
		return "Completed an activity (record " + n + ")"
	case "outcome":
		return "Released assessment outcome (submission " + n + ")"
	}
	return id
}
