package wording

import "time"

// LetterTo is who a decision letter is to and about, and who it is from.
type LetterTo struct {
	Name                   string // the participant
	CourseName, CohortName string
	PartnerName            string // their delivery partner, who gets a copy
	From                   LetterFrom
}

// LetterFrom is who signs a letter for the lead provider, and where to write with questions.
// A letter without a name has no sign-off.
type LetterFrom struct {
	Name, ContactEmail string
}

// Deferral is what the letter agreeing a deferral says.
type Deferral struct {
	LetterTo
	Reason            string // the reason's label
	StartsOn          time.Time
	ReturnOn          time.Time
	ReturnCohortName  string
	Done, Required    int    // required activities done so far, of all
	ExceptionReason   string // why a return more than 12 months on was agreed
	BookingsCancelled int
	WaitingCancelled  int    // waiting-list places given up, which are not bookings
	Scholarship       bool   // a scholarship-funded place, to which the refund rule does not apply
	Notes             string // the programme team's note
}

// DeferralLetter words the letter agreeing a deferral.
func DeferralLetter(d Deferral) (Text, error) { return render("deferral-agreed", d) }

// Withdrawal is what the letter confirming a withdrawal says.
type Withdrawal struct {
	LetterTo
	Reason            string // the reason's label
	WithdrawnOn       time.Time
	BookingsCancelled int
	WaitingCancelled  int // waiting-list places given up, which are not bookings
	// Refund is the refund decided: "full", "partial" or another word for none; empty when
	// no refund applies (a scholarship place, or none decided).
	Refund      string
	RefundPence int // the amount of a partial refund
	Notes       string
}

// WithdrawalLetter words the letter confirming a withdrawal.
func WithdrawalLetter(d Withdrawal) (Text, error) { return render("withdrawal-confirmed", d) }

// Refusal is what the letter refusing a request says.
type Refusal struct {
	LetterTo
	Kind   string // deferral or withdrawal
	Reason string // why it was refused
}

// RefusalLetter words the letter refusing a deferral or withdrawal.
func RefusalLetter(d Refusal) (Text, error) { return render("request-refused", d) }

// CohortMove is what the letter moving a participant to another cohort says.
type CohortMove struct {
	LetterTo
	Problems      []string // why they cannot defer yet
	NewCohortName string
	StartsOn      time.Time
}

// CohortMoveLetter words the letter moving a participant to the next cohort instead of deferring.
func CohortMoveLetter(d CohortMove) (Text, error) { return render("cohort-move", d) }

// Return is what the letters about returning from a deferral say.
type Return struct {
	LetterTo
	ReturnOn         time.Time // when the deferral ends, or when they are back
	ReturnCohortName string
	BaseURL          string
}

// ReturnRequestLetter words the letter asking a deferred participant to confirm their return.
func ReturnRequestLetter(d Return) (Text, error) { return render("return-request", d) }

// ReturnLetter words the letter welcoming a participant back from a deferral.
func ReturnLetter(d Return) (Text, error) { return render("return-welcome", d) }

// Reinstatement is what the letter restoring a place withdrawn in error says.
type Reinstatement struct {
	LetterTo
	RestoredOn time.Time
	Reason     string
}

// ReinstatementLetter words the letter restoring a place withdrawn in error.
func ReinstatementLetter(d Reinstatement) (Text, error) { return render("reinstatement", d) }

// LetterSent is a letter as it is emailed: to the participant, or as a copy to their
// delivery partner's staff.
type LetterSent struct {
	Letter           Text
	ID               int64 // the letter's id, for the link to read and print it
	Name, CohortName string
	BaseURL          string
}

// LetterEmail words the email carrying a letter to the participant.
func LetterEmail(d LetterSent) (Text, error) { return render("letter-email", d) }

// LetterCopyEmail words the copy of a letter sent to the participant's delivery partner.
func LetterCopyEmail(d LetterSent) (Text, error) { return render("letter-copy", d) }
