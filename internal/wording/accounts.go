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
