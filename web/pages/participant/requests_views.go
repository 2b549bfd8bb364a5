package participant

import (
	"npq/internal/lifecycle"
	"npq/web/components"
)

// RequestsView is the participant's Requests page.
type RequestsView struct {
	Enrolment   *EnrolmentView
	Switcher    CourseSwitcher
	Standing    lifecycle.StandingView
	Requests    []lifecycle.Request
	Letters     []lifecycle.Letter
	CanDefer    bool
	CanWithdraw bool
	PartnerName string
}

// AwaitsReturnAnswer reports whether a deferral's return question waits for the participant.
func AwaitsReturnAnswer(r lifecycle.Request) bool {
	return r.Kind == lifecycle.KindDeferral && r.State == lifecycle.StateApproved && r.ReturnAskedAt != nil &&
		r.ReturnedAt == nil && r.ReturnAnswer == nil && r.ReturnOn != nil
}

// current reports whether a request is still to be acted on: waiting for a decision, or
// for the participant's answer about returning.
func current(r lifecycle.Request) bool {
	return r.State == lifecycle.StateOpen || AwaitsReturnAnswer(r)
}

// Current is the requests still to be acted on, which the page starts with.
func (v RequestsView) Current() []lifecycle.Request {
	var out []lifecycle.Request
	for _, r := range v.Requests {
		if current(r) {
			out = append(out, r)
		}
	}
	return out
}

// Past is the requests that have been decided, cancelled or answered.
func (v RequestsView) Past() []lifecycle.Request {
	var out []lifecycle.Request
	for _, r := range v.Requests {
		if !current(r) {
			out = append(out, r)
		}
	}
	return out
}

// AskTestID marks the ask buttons as the page's main action unless a request comes first.
func (v RequestsView) AskTestID() string {
	if len(v.Current()) > 0 {
		return "ask"
	}
	return "main-action"
}

// RequestForm is the ask-to-defer or ask-to-withdraw form.
type RequestForm struct {
	Kind          lifecycle.Kind
	Enrolment     EnrolmentView
	PartnerName   string
	Ineligible    []string
	Discussed     string
	Reason        string
	Reasons       []components.Option
	Details       string
	StartsOn      components.DateValue
	PlannedReturn components.DateValue
	Errors        components.Errors
}
