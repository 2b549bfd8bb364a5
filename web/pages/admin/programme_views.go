package admin

import (
	"time"

	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/web/components"
)

// PartnerForm is the add/edit delivery partner form.
type PartnerForm struct {
	ID                                      int64
	Name, ContactName, ContactEmail, Region string
	Errors                                  components.Errors
}

// CourseForm is the add course form.
type CourseForm struct {
	Qualification, Name, Description string
	StudyMonths, AssessmentMonths    string
	Qualifications                   []components.Option
	Errors                           components.Errors
}

// OverviewLine is one line of a course's hours overview.
type OverviewLine struct {
	Category string
	Minutes  int
}

// CoursePage is a course with its structure.
type CoursePage struct {
	Course    programme.Course
	Blocks    []programme.StructureBlock
	Overview  []OverviewLine
	Total     int
	BlockForm BlockForm
}

// BlockForm is the add block form on the course page.
type BlockForm struct {
	Title, Description string
	Errors             components.Errors
}

// ItemForm is the add/edit item form.
type ItemForm struct {
	CourseID, BlockID, ItemID int64
	BlockTitle                string
	Kind, Title, Body         string
	Hours                     string
	Required                  string
	Statements                map[string]bool
	Kinds                     []components.Option
	StatementGroups           []components.CheckboxGroup
	Errors                    components.Errors
}

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

// ImportView is the CSV import page, with the report after an upload.
type ImportView struct {
	Cohorts  []programme.Cohort
	Problems []programme.ImportProblem
	FileName string
	Errors   components.Errors
}

// ParticipantsView is the participant search.
type ParticipantsView struct {
	Query    string
	Matches  []programme.ParticipantMatch
	Searched bool
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

// NewsView lists posts.
type NewsView struct {
	Posts []programme.NewsPost
}

// NewsForm is the post news form.
type NewsForm struct {
	Title, Body, Audience string
	Audiences             []components.Option
	Errors                components.Errors
}

// Today is used by pages that show stages.
var Today = func() time.Time { return programme.Today(time.Now()) }
