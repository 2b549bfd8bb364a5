package personaldata

import (
	"fmt"
	"time"
)

// Policy is how long the platform keeps accounts and personal data.
type Policy struct {
	// DeactivateAfterDays: an account nobody has signed in to for this many days, and whose
	// holder has no course still running (or ended fewer days ago), is deactivated.
	DeactivateAfterDays int
	// AnonymiseAfterYears: the personal data of a participant whose last course ended this many
	// years ago is anonymised. What DfE needs to audit funding (enrolments, status history,
	// attendance, completions, outcomes and reason codes) is kept without the name.
	AnonymiseAfterYears int
}

// DefaultPolicy is the policy unless the configuration sets another.
var DefaultPolicy = Policy{DeactivateAfterDays: 366, AnonymiseAfterYears: 7}

// Action is what the policy does to one account.
type Action string

// The policy's actions.
const (
	Keep       Action = ""
	Deactivate Action = "deactivate"
	Anonymise  Action = "anonymise"
)

// Holder is what the policy needs to know about one account.
type Holder struct {
	Participant bool
	CreatedAt   time.Time
	LastSignIn  *time.Time
	Deactivated bool
	Anonymised  bool
	Running     bool       // a course not yet ended: active, deferred, or awaiting its assessment
	LastEnded   *time.Time // when their last course ended, if any has
	LastAdmin   bool       // the only active provider admin, who is never deactivated
}

// Decide says what the policy does to an account today, and why.
func (p Policy) Decide(h Holder, today time.Time) (Action, string) {
	if h.Anonymised {
		return Keep, ""
	}
	if h.Participant && !h.Running && h.LastEnded != nil && p.AnonymiseAfterYears > 0 &&
		!h.LastEnded.After(today.AddDate(-p.AnonymiseAfterYears, 0, 0)) {
		return Anonymise, fmt.Sprintf("Their last course ended on %s, more than %d years ago", h.LastEnded.Format("2 January 2006"), p.AnonymiseAfterYears)
	}
	if h.Deactivated || h.LastAdmin || h.Running || p.DeactivateAfterDays <= 0 {
		return Keep, ""
	}
	cutoff := today.AddDate(0, 0, -p.DeactivateAfterDays)
	last := h.CreatedAt
	if h.LastSignIn != nil {
		last = *h.LastSignIn
	}
	if !last.Before(cutoff) || (h.LastEnded != nil && !h.LastEnded.Before(cutoff)) {
		return Keep, ""
	}
	if h.LastSignIn == nil {
		return Deactivate, fmt.Sprintf("Never signed in, and the account is more than %d days old", p.DeactivateAfterDays)
	}
	return Deactivate, fmt.Sprintf("Last signed in on %s, more than %d days ago", h.LastSignIn.Format("2 January 2006"), p.DeactivateAfterDays)
}
