package admin

import (
	"npq/internal/programme"
	"npq/web/components"
)

// CohortForm is the add cohort form: first the course, then the details with block dates.
type CohortForm struct {
	CourseID                                                 string
	Courses                                                  []components.Option
	Course                                                   *programme.Course
	PartnerID, Name, Schedule                                string
	Partners, Schedules                                      []components.Option
	StartsOn, StudyEndsOn, AssessmentOpens, AssessmentCloses components.DateValue
	Blocks                                                   []programme.StructureBlock
	BlockOpens                                               map[int64]components.DateValue
	Errors                                                   components.Errors
}

// EnrolForm is the enrol one participant form.
type EnrolForm struct {
	Cohort            programme.Cohort
	Email, Name       string
	Funding           string
	Fundings          []components.Option
	PaymentReceivedOn components.DateValue
	StartsOn          components.DateValue
	Errors            components.Errors
}
