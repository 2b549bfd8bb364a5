package admin

import (
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
}
