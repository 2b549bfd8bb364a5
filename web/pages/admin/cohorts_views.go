package admin

import (
	"strconv"
	"time"

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
	// Mode is how the dates after the start are shown: "" before they are proposed (only the
	// start date is asked for), "proposed" in plain words with hidden fields, "custom" as inputs.
	Mode         string
	Proposal     *programme.DatesProposal // the dates in plain words, in "proposed" mode
	ProposedFrom string                   // the start date the proposal came from (ISO)
	Notice       string                   // why the dates were proposed again, if they were
	Errors       components.Errors
}

// EnrolForm is the enrol one participant form.
type EnrolForm struct {
	Cohort            programme.Cohort
	Email, Name       string
	School            string
	Funding           string
	Fundings          []components.Option
	PaymentReceivedOn components.DateValue
	StartsOn          components.DateValue
	Errors            components.Errors
}

// courseSchedule says how long a course's study and assessment last, e.g. "18 months of
// study, then a 3-month assessment window".
func courseSchedule(c programme.Course) string {
	study := strconv.Itoa(c.StudyMonths) + " months of study"
	if c.StudyMonths == 1 {
		study = "1 month of study"
	}
	return study + ", then a " + strconv.Itoa(max(c.AssessmentMonths, 1)) + "-month assessment window"
}

// CohortsView is a page of the list of cohorts, searched by name.
type CohortsView struct {
	Query string
	Rows  []CohortListRow
	Pages components.SeekPagination
}

// CohortListRow is one cohort in the list: its page, course, partner, start, stage and
// participants.
type CohortListRow struct {
	Href, Name, Course, Partner, Stage string
	StartsOn                           time.Time
	Participants, Active               int
}

// cohortsSorted is how the list of cohorts is sorted.
func cohortsSorted() components.SortedBy {
	return components.SortedBy{Column: "Starts", Words: "latest first"}
}
