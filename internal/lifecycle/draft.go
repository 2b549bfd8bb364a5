package lifecycle

import (
	"slices"

	"npq/internal/problem"
	"npq/internal/programme"
)

// Choices of decision on a request.
const (
	ChoiceApprove = "approve"
	ChoiceRefuse  = "refuse"
)

// Refund decisions on a withdrawal of a paid place.
var refunds = []string{"none", "partial", "full"}

// RefundApplies reports whether approving a request needs a refund decision: withdrawals of
// school-funded and self-funded places do; deferrals and scholarship places have nothing to
// refund.
func RefundApplies(kind Kind, route programme.FundingRoute) bool {
	return kind == KindWithdrawal && route != programme.FundingScholarship
}

// DecisionDraft is an admin's decision as read from the form, before its rules are checked.
// A date that could not be read is zero, and the rules that need it are left out: the form
// has already said what is wrong with it.
type DecisionDraft struct {
	Decision
	Choice       string                 // ChoiceApprove or ChoiceRefuse, as chosen
	Kind         Kind                   // of the request
	FundingRoute programme.FundingRoute // of the place
}

// Check applies the rules for deciding a request: a refusal says why; an approved deferral
// returns after it starts, with the reason for an exception when that is more than 12 months
// later; an approved withdrawal of a paid place records the refund. Its problems are keyed by
// the form's field names.
func (d DecisionDraft) Check() problem.Problems {
	var p problem.Problems
	switch d.Choice {
	case ChoiceApprove:
		if d.Kind == KindDeferral && !d.EffectiveOn.IsZero() && !d.ReturnOn.IsZero() {
			if !d.ReturnOn.After(d.EffectiveOn) {
				p.Add("return_on-day", "Return date must be after the effective date")
			}
			if ReturnTooLate(d.EffectiveOn, d.ReturnOn) && d.ExceptionReason == "" {
				p.Add("exception", "The return is more than 12 months after the deferral starts: record the reason for the exception")
			}
		}
		if RefundApplies(d.Kind, d.FundingRoute) && !slices.Contains(refunds, d.Refund) {
			p.Add("refund", "Record the refund decision")
		}
	case ChoiceRefuse:
		p.Required("notes", d.Notes, "Say why the request is refused: it goes in the letter")
	default:
		p.Add("decision", "Choose approve or refuse")
		return p
	}
	p.MaxLength("notes", "Notes", d.Notes, 2000)
	return p
}
