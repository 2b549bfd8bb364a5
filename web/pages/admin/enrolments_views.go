package admin

import (
	"github.com/a-h/templ"

	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/web/components"
)

// ImportView is the CSV import page, with the report after an upload.
type ImportView struct {
	Cohorts  []programme.Cohort
	Problems []programme.ImportProblem
	FileName string
	Errors   components.Errors
}

// EnrolmentPage is one enrolment with its status history.
type EnrolmentPage struct {
	Enrolment programme.Enrolment
	History   []programme.StatusChange
	Progress  programme.Progress
	Requests  []lifecycle.Request
	Letters   []lifecycle.Letter
	// DfE is the section with DfE's identifiers (DfEIdentifiers).
	DfE templ.Component
}
