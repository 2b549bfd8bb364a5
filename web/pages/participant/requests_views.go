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
