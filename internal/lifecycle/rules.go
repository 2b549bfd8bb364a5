// Package lifecycle handles requests to defer or withdraw: eligibility as the lead
// provider's policy sets it, DfE's reason codes, decisions confirmed in writing, return
// planning and monitoring returns from deferral. Rules are plain functions; the Store applies
// them in transactions.
package lifecycle

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"npq/internal/programme"
	"npq/internal/timefmt"
)

// Reason is a DfE reason code with the plain-English label people see.
type Reason struct {
	Code, Label string
}

// DeferralReasons are DfE's deferral reason codes.
var DeferralReasons = []Reason{
	{"bereavement", "Bereavement"},
	{"long-term-sickness", "Long-term sickness"},
	{"parental-leave", "Maternity, paternity, shared parental or adoption leave"},
	{"career-break", "Career break"},
	{"other", "Another reason"},
}

// WithdrawalReasons are DfE's withdrawal reason codes, literally: one ends with a full stop.
var WithdrawalReasons = []Reason{
	{"insufficient-capacity-to-undertake-programme", "I do not have the capacity to do the programme"},
	{"personal-reason-health-or-pregnancy-related", "Health or pregnancy"},
	{"personal-reason-moving-school", "Moving school"},
	{"personal-reason-other", "Another personal reason"},
	{"insufficient-capacity", "Not enough capacity"},
	{"change-in-developmental-or-personal-priorities", "My development or personal priorities have changed"},
	{"change-in-school-circumstances", "My school's circumstances have changed"},
	{"change-in-school-leadership", "My school's leadership has changed"},
	{"quality-of-programme-structure-not-suitable.", "The programme's structure does not suit me"},
	{"quality-of-programme-content-not-suitable", "The programme's content does not suit me"},
	{"quality-of-programme-facilitation-not-effective", "The facilitation was not effective"},
	{"quality-of-programme-accessibility", "The programme is not accessible to me"},
	{"quality-of-programme-other", "Another concern about the programme"},
	{"programme-not-appropriate-for-role-and-cpd-needs", "The programme does not fit my role or development needs"},
	{"started-in-error", "I started in error"},
	{"expected-commitment-unclear", "The expected commitment was not clear"},
	{"assessment-requirements-not-met", "I cannot meet the assessment requirements"},
	{"change-in-career", "I am changing career"},
	{"disengaged-and-unresponsive", "Disengaged and not responding (recorded by the provider)"},
	{"non-payment-of-invoice", "The invoice was not paid (recorded by the provider)"},
	{"other", "Another reason"},
}

// ReasonLabel is the label of a code for a kind of request.
func ReasonLabel(kind Kind, code string) string {
	if i := reasonIndex(kind, code); i >= 0 {
		return ReasonsFor(kind)[i].Label
	}
	return code
}

// ReasonsFor lists DfE's reason codes for a kind of request.
func ReasonsFor(kind Kind) []Reason {
	if kind == KindDeferral {
		return DeferralReasons
	}
	return WithdrawalReasons
}

// reasonIndex is the position of code among the kind's reasons, or -1.
func reasonIndex(kind Kind, code string) int {
	return slices.IndexFunc(ReasonsFor(kind), func(r Reason) bool { return r.Code == code })
}

// ValidReason reports whether code is one of DfE's codes for the kind of request.
func ValidReason(kind Kind, code string) bool { return reasonIndex(kind, code) >= 0 }

// Kind is what a request asks for.
type Kind string

// Kinds of request.
const (
	KindDeferral   Kind = "deferral"
	KindWithdrawal Kind = "withdrawal"
)

// State is where a request stands.
type State string

// States of a request.
const (
	StateOpen      State = "open"
	StateApproved  State = "approved"
	StateRefused   State = "refused"
	StateCancelled State = "cancelled"
	StateMoved     State = "moved" // an ineligible deferral answered by a move to another cohort
)

// ReturnAnswer is a deferred participant's answer to whether they will return.
type ReturnAnswer string

// Answers to whether a deferred participant will return.
const (
	Returning    ReturnAnswer = "yes"
	NotReturning ReturnAnswer = "no"
)

// MaxDeferral is how long a deferral should normally last.
const MaxDeferral = 12

// Facts are what eligibility depends on.
type Facts struct {
	Status            programme.Status
	FundingRoute      programme.FundingRoute
	PaymentReceivedOn *time.Time
	StartsOn          time.Time // the participant's start
}

// DeferralProblems lists why a participant cannot defer on today, as the policy says: the
// course must have started and, for school-funded and self-funded places, payment must have
// been received. A participant with these problems is offered a move to the next cohort.
func DeferralProblems(f Facts, today time.Time) []string {
	var out []string
	if today.Before(f.StartsOn) {
		out = append(out, "the course has not started yet (it starts on "+timefmt.Date(f.StartsOn)+")")
	}
	if f.FundingRoute != programme.FundingScholarship && f.PaymentReceivedOn == nil {
		out = append(out, "payment for the place has not been received")
	}
	return out
}

// StateProblem says why a request of this kind cannot be made or approved for an enrolment in
// this status, or "": a withdrawn participant cannot defer, and completed or withdrawn
// enrolments take no requests.
func StateProblem(kind Kind, s programme.Status) string {
	switch {
	case s == programme.StatusWithdrawn && kind == KindDeferral:
		return "A withdrawn participant cannot defer"
	case s == programme.StatusWithdrawn:
		return "This participant has already withdrawn"
	case s == programme.StatusCompleted:
		return "This participant has completed the course"
	case s == programme.StatusDeferred && kind == KindDeferral:
		return "This participant is already deferred"
	}
	return ""
}

// ReturnTooLate reports whether a planned return is more than twelve months after the
// deferral starts, which needs an explicit exception.
func ReturnTooLate(starts, plannedReturn time.Time) bool {
	return plannedReturn.After(starts.AddDate(0, MaxDeferral, 0))
}

// CohortSchedule is a cohort a participant could return to, with when each block opens.
type CohortSchedule struct {
	CohortID    int64
	Name        string
	PartnerID   int64
	PartnerName string
	BlockOpens  map[int]time.Time // block position -> open date
	BlockIDs    map[int]int64
}

// Stopped is where a participant stopped: the block to resume at (1-based position) and
// what they had done.
type Stopped struct {
	ResumeBlock int
	Summary     string
}

// StoppedAt works out where a participant stopped: the first block with required items left,
// so someone who finished a block resumes at the next.
func StoppedAt(blocks []programme.Block) Stopped {
	for _, b := range blocks {
		p := programme.ItemsProgress(b.Items)
		if !p.Complete() {
			return Stopped{ResumeBlock: b.Position, Summary: fmt.Sprintf("Stopped in block %d, %s: %d of %d required activities done", b.Position, b.Title, p.Done, p.Required)}
		}
	}
	if len(blocks) == 0 {
		return Stopped{ResumeBlock: 1, Summary: "The course has no blocks"}
	}
	last := blocks[len(blocks)-1]
	return Stopped{ResumeBlock: last.Position, Summary: "Every block's required activities are done"}
}

// Proposal is a planned return: which cohort, which block, and from when.
type Proposal struct {
	CohortSchedule
	Block    int
	BlockID  int64
	ReturnOn time.Time
	Note     string
}

// PlanReturn proposes where a deferred participant rejoins so that no content is missed: the
// cohort of the same course whose schedule reaches the block they stopped in on or soon after
// the planned return date, the earliest such date first, their own delivery partner first
// when dates are equal. ok is false when no cohort reaches that block on or after the date.
func PlanReturn(stopped Stopped, plannedReturn time.Time, partnerID int64, candidates []CohortSchedule) (Proposal, bool) {
	var options []Proposal
	for _, c := range candidates {
		opens, ok := c.BlockOpens[stopped.ResumeBlock]
		if !ok || opens.Before(plannedReturn) {
			continue // that cohort passed this block before the return (or never schedules it)
		}
		options = append(options, Proposal{CohortSchedule: c, Block: stopped.ResumeBlock, BlockID: c.BlockIDs[stopped.ResumeBlock], ReturnOn: opens})
	}
	if len(options) == 0 {
		return Proposal{}, false
	}
	sort.SliceStable(options, func(i, j int) bool {
		if !options[i].ReturnOn.Equal(options[j].ReturnOn) {
			return options[i].ReturnOn.Before(options[j].ReturnOn)
		}
		return options[i].PartnerID == partnerID && options[j].PartnerID != partnerID
	})
	p := options[0]
	if days := int(p.ReturnOn.Sub(plannedReturn).Hours() / 24); days > 0 {
		p.Note = fmt.Sprintf("%d days after the planned return, when block %d starts for this cohort", days, p.Block)
	} else {
		p.Note = fmt.Sprintf("On the planned return date, as block %d starts", p.Block)
	}
	if p.PartnerID != partnerID {
		p.Note += "; with another delivery partner, as none of theirs fits"
	}
	return p, true
}

// ReturnWindow is how long before a planned return the participant is asked to confirm it.
const ReturnWindow = 3

// DueForReturnCheck reports whether a deferral returning on returnOn should be in the
// monitoring list on today (within three months, or overdue).
func DueForReturnCheck(returnOn, today time.Time) bool {
	return !returnOn.After(today.AddDate(0, ReturnWindow, 0))
}

// ReturnReminderGap is how long after asking about a return the question can be asked again,
// as a reminder, while the participant has not answered.
const ReturnReminderGap = 7 * 24 * time.Hour

// AskReturnProblem says why a deferred participant cannot be asked now whether they will
// return, or "" if they can. A deferral has one open question: once answered, the answer
// stands; unanswered, it can be asked again as a reminder a week after the last time.
func AskReturnProblem(askedAt *time.Time, answer *ReturnAnswer, now time.Time) string {
	switch {
	case answer != nil && *answer == Returning:
		return "The participant has already answered that they will return"
	case answer != nil:
		return "The participant has already answered that they will not return"
	case askedAt != nil && now.Before(askedAt.Add(ReturnReminderGap)):
		return "The participant was asked on " + timefmt.Date(*askedAt) + ". You can remind them from " + timefmt.Date(askedAt.Add(ReturnReminderGap))
	}
	return ""
}
