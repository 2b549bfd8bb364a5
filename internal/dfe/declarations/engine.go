package declarations

import (
	"fmt"
	"sort"
	"time"

	"npq/internal/timefmt"
)

// RuleVersion is written into every derived declaration.
//
// Changelog:
//   - dfe-decl-1 (Dec 2026): started = first attendance or completion on or
//     after applies_from; retained-N = Evidence.RetainedMin (default 1)
//     attendance or completion rows in the milestone window; completed = the
//     first released outcome, with has_passed; a later different outcome is
//     an outcome update. Refusals: future date, before the schedule start,
//     type not in the schedule, second live declaration, on or after a
//     withdrawal, out of order, outside the milestone window, no delivery
//     partner for cohorts from 2024.
const RuleVersion = "dfe-decl-1"

// Engagement is one attendance or completion row.
type Engagement struct {
	ID string    // our evidence row id, e.g. "attendance:12"
	At time.Time // when it happened
}

// Outcome is a released assessment outcome.
type Outcome struct {
	ID         string
	Passed     bool
	ReleasedAt time.Time
}

// StatusKind is a DfE training-status change.
type StatusKind string

// The status changes that affect declarations.
const (
	Deferred  StatusKind = "deferred"
	Withdrawn StatusKind = "withdrawn"
	Resumed   StatusKind = "resumed"
)

// StatusChange is a decided deferral, withdrawal or resumption.
type StatusChange struct {
	ID     string
	Kind   StatusKind
	At     time.Time // the effective date
	Reason string    // DfE reason code
}

// State is a DfE declaration state.
type State string

// DfE's declaration states (dfe-npq-lifecycle.md §4).
const (
	Submitted        State = "submitted"
	Eligible         State = "eligible"
	Payable          State = "payable"
	Paid             State = "paid"
	Ineligible       State = "ineligible"
	Voided           State = "voided"
	AwaitingClawback State = "awaiting_clawback"
	ClawedBack       State = "clawed_back"
)

// Live reports whether a declaration in this state holds its type's billable
// slot, so another of the type would be refused.
func (s State) Live() bool { return s == Submitted || s == Eligible || s == Payable || s == Paid }

// Made is a declaration already sent to DfE.
type Made struct {
	ID        string
	Type      Type
	Date      time.Time
	State     State
	HasPassed *bool // completed only
}

// SentOutcome is an outcome already posted to DfE.
type SentOutcome struct {
	Passed         bool
	CompletionDate Date
}

// Evidence is everything the engine knows about one enrolment.
type Evidence struct {
	Schedule          Schedule
	DeliveryPartnerID string // DfE's delivery-partner id, "" if unknown
	Engagements       []Engagement
	Outcomes          []Outcome
	StatusChanges     []StatusChange
	Made              []Made
	SentOutcomes      []SentOutcome
	// RetainedMin is the provider's engagement threshold: how many
	// attendance or completion rows inside a retained window earn it
	// (0 means 1). The declaration is dated at the row that reaches it.
	RetainedMin int
}

// Due is a declaration to send.
type Due struct {
	Type            Type
	DeclarationDate time.Time
	HasPassed       *bool // completed on leadership and specialist courses
	RuleVersion     string
	EvidenceIDs     []string
	Why             string
}

// OutcomeDue is an outcome update to post after the completed declaration.
type OutcomeDue struct {
	Passed         bool
	CompletionDate Date
	EvidenceIDs    []string
	Why            string
}

// Refusal explains why a declaration must not be sent.
type Refusal struct {
	Type        Type
	Date        time.Time
	Code        string // one of the Refuse... codes
	Title       string // the DfE attribute, as in its 422 errors
	Detail      string
	EvidenceIDs []string
}

// Refusal codes.
const (
	RefuseFuture            = "future"
	RefuseBeforeStart       = "before_schedule_start"
	RefuseTypeNotAllowed    = "type_not_allowed"
	RefuseDuplicate         = "duplicate"
	RefuseAfterWithdrawal   = "after_withdrawal"
	RefuseOutOfOrder        = "out_of_order"
	RefuseOutsideWindow     = "outside_window"
	RefuseNoDeliveryPartner = "no_delivery_partner"
	RefuseDeferUndeclared   = "defer_without_declarations"
	RefuseWithdrawUnstarted = "withdraw_without_started"
)

// Result is what the evidence earns today.
type Result struct {
	Due      []Due
	Outcomes []OutcomeDue
	Refusals []Refusal
}

// Proposed is a declaration someone wants to send.
type Proposed struct {
	Type Type
	Date time.Time
}

// Check refuses a proposed declaration that DfE would refuse or later void,
// given the declarations already made (live ones count as earlier in the
// sequence); nil means it may be sent.
func Check(ev Evidence, p Proposed, today time.Time) *Refusal {
	return check(ev, ev.Made, p, today)
}

func check(ev Evidence, made []Made, p Proposed, today time.Time) *Refusal {
	s := ev.Schedule
	refuse := func(code, title, detail string) *Refusal {
		return &Refusal{Type: p.Type, Date: p.Date, Code: code, Title: title, Detail: detail}
	}
	if !s.Allows(p.Type) {
		return refuse(RefuseTypeNotAllowed, "declaration_type", "The property '#/declaration_type' does not exist for this schedule.")
	}
	if p.Date.After(today) {
		return refuse(RefuseFuture, "declaration_date", "The '#/declaration_date' value cannot be a future date.")
	}
	d := day(p.Date)
	if d.Before(day(s.AppliesFrom)) {
		return refuse(RefuseBeforeStart, "declaration_date", "Enter a '#/declaration_date' that's on or after the schedule start.")
	}
	if w, ok := withdrawal(ev.StatusChanges); ok && !p.Date.Before(w) {
		return refuse(RefuseAfterWithdrawal, "participant_id",
			fmt.Sprintf("This participant withdrew from this course on %s. Enter a '#/declaration_date' that's on or before the withdrawal date.", timefmt.ISODate(w)))
	}
	if s.CohortStartYear >= 2024 && ev.DeliveryPartnerID == "" {
		return refuse(RefuseNoDeliveryPartner, "delivery_partner_id", "A delivery partner is required for cohorts from 2024: record the delivery partner's DfE id first.")
	}
	return checkSequence(s, made, p, refuse)
}

// checkSequence refuses a duplicate, an out-of-order declaration and one
// outside its milestone window: the checks DfE does not make.
func checkSequence(s Schedule, made []Made, p Proposed, refuse func(code, title, detail string) *Refusal) *Refusal {
	pos := s.position(p.Type)
	for _, m := range made {
		if !m.State.Live() {
			continue
		}
		if m.Type == p.Type {
			return refuse(RefuseDuplicate, "base", "A declaration has already been submitted that will be, or has been, paid for this event")
		}
		if mp := s.position(m.Type); mp < pos && !m.Date.Before(p.Date) {
			return refuse(RefuseOutOfOrder, "declaration_date", fmt.Sprintf("The %s declaration must be dated after the %s declaration (%s).", p.Type, m.Type, day(m.Date).Format("2006-01-02")))
		} else if mp > pos {
			return refuse(RefuseOutOfOrder, "declaration_type", fmt.Sprintf("A %s declaration already exists, so %s cannot follow it.", m.Type, p.Type))
		}
	}
	if pos > 0 && !hasLive(made, s.Allowed()[pos-1]) {
		return refuse(RefuseOutOfOrder, "declaration_type", fmt.Sprintf("Declare %s before %s.", s.Allowed()[pos-1], p.Type))
	}
	from, to := s.Window(p.Type)
	if d := day(p.Date); d.Before(from) || (!to.IsZero() && d.After(to)) {
		return refuse(RefuseOutsideWindow, "declaration_date", fmt.Sprintf("The %s milestone runs from %s to %s.", p.Type, from.Format("2006-01-02"), deadline(to)))
	}
	return nil
}

func deadline(d Date) string {
	if d.IsZero() {
		return "no published deadline"
	}
	return d.Format("2006-01-02")
}

func hasLive(made []Made, t Type) bool {
	for _, m := range made {
		if m.Type == t && m.State.Live() {
			return true
		}
	}
	return false
}

// withdrawal returns the withdrawal date in force: the latest withdrawal not
// followed by a resumption.
func withdrawal(changes []StatusChange) (time.Time, bool) {
	cs := append([]StatusChange(nil), changes...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].At.Before(cs[j].At) })
	var at time.Time
	in := false
	for _, c := range cs {
		switch c.Kind {
		case Withdrawn:
			at, in = c.At, true
		case Resumed:
			in = false
		}
	}
	return at, in
}

// Derive lists the declarations and outcomes the evidence earns today and
// refuses the ones it would earn but DfE would refuse or later void.
func Derive(ev Evidence, today time.Time) Result {
	var r Result
	made := append([]Made(nil), ev.Made...)
	for _, t := range ev.Schedule.Allowed() {
		if hasLive(made, t) {
			continue
		}
		c, ok := candidate(ev, made, t)
		if !ok {
			continue // a later type's evidence is then refused as out of order
		}
		if ref := check(ev, made, Proposed{Type: t, Date: c.DeclarationDate}, today); ref != nil {
			ref.EvidenceIDs = c.EvidenceIDs
			r.Refusals = append(r.Refusals, *ref)
			break
		}
		r.Due = append(r.Due, c)
		made = append(made, Made{Type: t, Date: c.DeclarationDate, State: Submitted, HasPassed: c.HasPassed})
	}
	r.Outcomes = outcomes(ev, made)
	return r
}

// candidate finds the evidence that earns type t, after the live
// declarations in made.
func candidate(ev Evidence, made []Made, t Type) (Due, bool) {
	if t == Completed {
		return completedCandidate(ev)
	}
	return engagementCandidate(ev, made, t)
}

func completedCandidate(ev Evidence) (Due, bool) {
	due := Due{Type: Completed, RuleVersion: RuleVersion}
	os := sortedOutcomes(ev.Outcomes)
	if len(os) == 0 {
		return due, false
	}
	o := os[0]
	due.DeclarationDate, due.EvidenceIDs = o.ReleasedAt, []string{o.ID}
	due.Why = fmt.Sprintf("Assessment outcome (%s) released on %s.", verdict(o.Passed), day(o.ReleasedAt).Format("2 January 2006"))
	if ev.Schedule.HasOutcomes() {
		p := o.Passed
		due.HasPassed = &p
	}
	return due, true
}

func verdict(passed bool) string {
	if passed {
		return "passed"
	}
	return "failed"
}

func engagementCandidate(ev Evidence, made []Made, t Type) (Due, bool) {
	due := Due{Type: t, RuleVersion: RuleVersion}
	from, to := ev.Schedule.Window(t)
	after := latestLive(made)
	need := 1
	if t != Started && ev.RetainedMin > 1 {
		need = ev.RetainedMin
	}
	var late Engagement
	var ids []string
	for _, e := range sortedEngagements(ev.Engagements) {
		d := day(e.At)
		if d.Before(from) || !e.At.After(after) {
			continue
		}
		if t != Started && !to.IsZero() && d.After(to) {
			if late.ID == "" {
				late = e
			}
			continue
		}
		if ids = append(ids, e.ID); len(ids) < need {
			continue
		}
		due.DeclarationDate, due.EvidenceIDs = e.At, ids
		due.Why = fmt.Sprintf("%d engagement(s) in the %s milestone window (%s to %s).", need, t, from.Format("2 January 2006"), deadline(to))
		if t == Started {
			due.Why = fmt.Sprintf("First attendance or completion on or after the schedule start (%s).", from.Format("2 January 2006"))
		}
		return due, true
	}
	if late.ID != "" { // only late evidence: Check refuses it as outside the window
		due.DeclarationDate, due.EvidenceIDs = late.At, []string{late.ID}
		due.Why = fmt.Sprintf("Engagement after the %s milestone deadline (%s).", t, deadline(to))
		return due, true
	}
	return due, false
}

// latestLive is the date of the latest live declaration, zero if none.
func latestLive(made []Made) time.Time {
	var after time.Time
	for _, m := range made {
		if m.State.Live() && m.Date.After(after) {
			after = m.Date
		}
	}
	return after
}

func sortedEngagements(es []Engagement) []Engagement {
	es = append([]Engagement(nil), es...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].At.Before(es[j].At) })
	return es
}

func sortedOutcomes(os []Outcome) []Outcome {
	os = append([]Outcome(nil), os...)
	sort.SliceStable(os, func(i, j int) bool { return os[i].ReleasedAt.Before(os[j].ReleasedAt) })
	return os
}

// outcomes compares the latest released outcome with the one DfE holds,
// from the live completed declaration and the outcomes already sent.
func outcomes(ev Evidence, made []Made) []OutcomeDue {
	os := sortedOutcomes(ev.Outcomes)
	if !ev.Schedule.HasOutcomes() || len(os) == 0 {
		return nil
	}
	var held *bool
	var heldOn Date
	for _, m := range made {
		if m.Type == Completed && m.State.Live() && m.HasPassed != nil {
			held, heldOn = m.HasPassed, day(m.Date)
		}
	}
	if held == nil {
		return nil // DfE refuses an outcome without a completed declaration
	}
	for _, s := range ev.SentOutcomes {
		if !s.CompletionDate.Before(heldOn) {
			p := s.Passed
			held, heldOn = &p, s.CompletionDate
		}
	}
	latest := os[len(os)-1]
	if latest.Passed == *held {
		return nil
	}
	return []OutcomeDue{{
		Passed:         latest.Passed,
		CompletionDate: day(latest.ReleasedAt),
		EvidenceIDs:    []string{latest.ID},
		Why:            fmt.Sprintf("A later assessment outcome (%s) was released on %s; DfE holds the earlier one.", verdict(latest.Passed), day(latest.ReleasedAt).Format("2 January 2006")),
	}}
}

// SendBefore lists the due declarations dated before a pending deferral or
// withdrawal: they must reach DfE before the status change, which DfE dates
// at the request time.
func SendBefore(ev Evidence, change StatusChange, today time.Time) []Due {
	var out []Due
	for _, d := range Derive(ev, today).Due {
		if d.DeclarationDate.Before(change.At) {
			out = append(out, d)
		}
	}
	return out
}

// CheckStatusChange refuses a pending deferral or withdrawal that DfE would
// refuse even after the declarations [SendBefore] lists have been sent: DfE
// defers only a participant with a declaration and withdraws only one with a
// started declaration. Such a case goes to the DfE contract manager.
func CheckStatusChange(ev Evidence, change StatusChange, today time.Time) *Refusal {
	made := append([]Made(nil), ev.Made...)
	for _, d := range SendBefore(ev, change, today) {
		made = append(made, Made{Type: d.Type, Date: d.DeclarationDate, State: Submitted})
	}
	refuse := func(code, detail string) *Refusal {
		return &Refusal{Date: change.At, Code: code, Title: "participant_id", Detail: detail}
	}
	switch {
	case change.Kind == Deferred && !anyLive(made):
		return refuse(RefuseDeferUndeclared, "You cannot defer an NPQ participant that has no declarations")
	case change.Kind == Withdrawn && !hasLive(made, Started):
		return refuse(RefuseWithdrawUnstarted, "An NPQ participant who has not got a started declaration cannot be withdrawn. Please contact support for assistance")
	}
	return nil
}

func anyLive(made []Made) bool {
	for _, m := range made {
		if m.State.Live() {
			return true
		}
	}
	return false
}
