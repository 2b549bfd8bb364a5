package wording

import "time"

// SignInAlert is what the holder of an account is told about failed sign-ins.
type SignInAlert struct {
	Name, Email   string
	Failures      int // failed attempts in the window
	WindowMinutes int // the length of the window, which is also how long until the next alert
}

// SignInAlertEmail words the email to an account's holder about failed sign-ins.
func SignInAlertEmail(d SignInAlert) (Text, error) { return render("sign-in-alert", d) }

// Invitation is what an invitation to set a password says.
type Invitation struct {
	Name  string
	Intro string // the opening paragraph; empty for the usual one naming the role
	// RoleWithArticle is the role the invitation is for, e.g. "an assessor".
	RoleWithArticle string
	BaseURL, Token  string
}

// InvitationEmail words an invitation to set a password.
func InvitationEmail(d Invitation) (Text, error) { return render("invitation", d) }

// Enrolment is what a participant is told about a new place.
type Enrolment struct {
	Name                   string
	CourseName, CohortName string
	StartsOn               time.Time
	BaseURL                string
}

// EnrolmentEmail words the email to someone with an account who has been enrolled.
func EnrolmentEmail(d Enrolment) (Text, error) { return render("enrolled", d) }

// EnrolmentIntro is the sentence about a new place that opens the invitation of someone who
// has no account yet.
func EnrolmentIntro(d Enrolment) (string, error) { return execute("enrolled", "intro", d) }

// PasswordReset is what a forgotten-password link says.
type PasswordReset struct {
	Name, Email    string
	BaseURL, Token string
	ValidMinutes   int
	ByAdmin        bool // an admin sent it, rather than the holder asking
}

// PasswordResetEmail words the email with a forgotten-password link.
func PasswordResetEmail(d PasswordReset) (Text, error) { return render("password-reset", d) }

// PasswordChanged is what an account's holder is told after their password changes.
type PasswordChanged struct {
	Name, Email string
	At          time.Time
	ByReset     bool // set with a forgotten-password link rather than from My account
	BaseURL     string
}

// PasswordChangedEmail words the notice that an account's password changed.
func PasswordChangedEmail(d PasswordChanged) (Text, error) { return render("password-changed", d) }

// EmailChange is what the messages about changing an account's email address say.
type EmailChange struct {
	Name               string
	OldEmail, NewEmail string
	At                 time.Time // when the change was asked for, or made
	BaseURL, Token     string
	ValidHours         int
}

// EmailChangeConfirmEmail words the email to a new address with the link that confirms it.
func EmailChangeConfirmEmail(d EmailChange) (Text, error) { return render("email-change-confirm", d) }

// EmailChangeRequestedEmail words the notice to an account's current address that a change
// of address was asked for.
func EmailChangeRequestedEmail(d EmailChange) (Text, error) {
	return render("email-change-requested", d)
}

// EmailChangeTakenEmail words the email to an address another account asked to move to,
// when that address has an account already.
func EmailChangeTakenEmail(d EmailChange) (Text, error) { return render("email-change-taken", d) }

// EmailChangedEmail words the notice to an account's old address once the change is made.
func EmailChangedEmail(d EmailChange) (Text, error) { return render("email-changed", d) }
