package wording

import "time"

// TwoStepNotice is what an account's holder is told when their two-step sign-in is removed.
type TwoStepNotice struct {
	Name, Email string
	At          time.Time
	BaseURL     string
}

// TwoStepResetEmail words the notice that an admin reset an account's two-step sign-in.
func TwoStepResetEmail(d TwoStepNotice) (Text, error) { return render("two-step-reset", d) }

// TwoStepOffEmail words the notice that someone turned off their own two-step sign-in.
func TwoStepOffEmail(d TwoStepNotice) (Text, error) { return render("two-step-off", d) }

// TwoStepEmailCode is the code emailed to someone who must set up two-step sign-in.
type TwoStepEmailCode struct {
	Name, Code string
	Minutes    int
	At         time.Time
	BaseURL    string
}

// TwoStepEmailCodeEmail words the email with the code that lets someone set up two-step sign-in.
func TwoStepEmailCodeEmail(d TwoStepEmailCode) (Text, error) { return render("two-step-email-code", d) }
