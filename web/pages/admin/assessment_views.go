package admin

import (
	"strconv"

	"npq/internal/assessment"
	"npq/web/components"
)

// AssessmentView is the admins' overview of assessment: stages, submissions, release and reports.
type AssessmentView struct {
	Stage       assessment.Stage // the filter: "" for those waiting, "all" for every one
	Filter      SubmissionsFilter
	Courses     []components.Option
	Cohorts     []components.Option
	CohortHint  string // why the cohorts are not all listed, if they are not
	Partners    []components.Option
	Ages        []components.Option
	Submissions []assessment.Listed // one page
	Pages       components.SeekPagination
	Errors      components.Errors
	Selected    map[int64]bool // outcomes ticked for release, when coming back to change them
}

// SubmissionsFilter is the submissions list's search and filters as the address gives them.
type SubmissionsFilter struct {
	Query, Course, Cohort, Partner, Age string
}

// Active reports whether any search or filter is set.
func (v AssessmentView) Active() bool { return v.Filter != SubmissionsFilter{} || v.Stage != "" }

// StageOptions are the stage filter's options.
func (v AssessmentView) StageOptions() []components.Option {
	opts := []components.Option{{Value: "", Label: "Waiting (handed in, not released)"}}
	for _, st := range Stages {
		opts = append(opts, components.Option{Value: string(st), Label: st.Label()})
	}
	return append(opts, components.Option{Value: string(assessment.AnyStage), Label: "All"})
}

// SubmissionsSorted is how the submissions list is sorted.
var SubmissionsSorted = components.SortedBy{Column: "Handed in", Ascending: true, Words: "longest waiting first"}

// Stages lists the workflow stages in order, for the counts and the filter.
var Stages = []assessment.Stage{assessment.StageDraft, assessment.StageSubmitted, assessment.StageInMarking,
	assessment.StageModeration, assessment.StageReady, assessment.StageReleased}

// Ready lists the submissions ready for release.
func (v AssessmentView) Ready() []assessment.Listed {
	var out []assessment.Listed
	for _, s := range v.Submissions {
		if s.Stage == assessment.StageReady {
			out = append(out, s)
		}
	}
	return out
}

// SubmissionView is one submission for admins, with every sheet and the allocation form.
type SubmissionView struct {
	Submission assessment.Submission
	Spec       assessment.Spec
	Sheets     map[string]assessment.Sheet
	Agreed     map[string]assessment.Agreed
	Result     *assessment.Result
	Assessors  []components.Option
	Errors     components.Errors
	Form       AllocateForm
	Moderating bool // the admin is this submission's moderator
}

// AllocateForm is the allocation form.
type AllocateForm struct{ Role, Marker string }

// Roles lists the roles an admin can allocate now.
func (v SubmissionView) Roles() []components.Option {
	switch v.Submission.Stage {
	case assessment.StageSubmitted, assessment.StageInMarking:
		return []components.Option{{Value: assessment.RoleFirst, Label: "First marker"}}
	case assessment.StageModeration:
		return []components.Option{{Value: assessment.RoleSecond, Label: "Second marker"}, {Value: assessment.RoleModerator, Label: "Moderator"}}
	}
	return nil
}

func submissionPath(id int64) string { return "/admin/assessment/" + strconv.FormatInt(id, 10) }

func roleName(role string) string {
	return map[string]string{assessment.RoleFirst: "First marker", assessment.RoleSecond: "Second marker", assessment.RoleModerator: "Moderator"}[role]
}

func judgementText(j assessment.Judgement) string {
	switch j {
	case assessment.Met:
		return "Met"
	case assessment.NotMet:
		return "Not met"
	}
	return "–"
}

func outcomeText(passed *bool) string {
	switch {
	case passed == nil:
		return "–"
	case *passed:
		return "Pass"
	}
	return "Fail"
}

// SettingsForm is a course's assessment settings form.
type SettingsForm struct {
	CourseID      int64
	CourseName    string
	Attempts      string
	SamplePercent string
	NoOwnPartner  bool
	Errors        components.Errors
}

// AssessorsView lists assessors and the delivery partners each works for.
type AssessorsView struct {
	Assessors []assessment.Assessor
	Partners  []components.Option
}

// WorksFor reports whether an assessor works for a partner.
func WorksFor(a assessment.Assessor, partner string) bool {
	for _, p := range a.Partners {
		if strconv.FormatInt(p, 10) == partner {
			return true
		}
	}
	return false
}
