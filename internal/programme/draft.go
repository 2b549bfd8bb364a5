package programme

import (
	"strconv"
	"time"

	"npq/internal/problem"
)

// CohortDraft is a new cohort as read from the form, before its rules are checked. A date
// that could not be read is zero, and the rules that need it are left out: the form has
// already said what is wrong with it.
type CohortDraft struct {
	NewCohort
	Blocks []Block // the course's blocks in order, each with the date it opens (OpensOn)
}

// BlockOpensField is the form field of the date a block opens.
func BlockOpensField(blockID int64) string {
	return "block_" + strconv.FormatInt(blockID, 10) + "-day"
}

// Check applies the rules for a new cohort: a name; study ends after it starts; every block
// opens within the study period; the assessment window opens on or after the end of study
// and closes after it opens. Its problems are keyed by the form's field names.
func (d CohortDraft) Check() problem.Problems {
	var p problem.Problems
	p.Required("name", d.Name, "Enter the cohort name")
	p.MaxLength("name", "Cohort name", d.Name, 200)
	if known(d.StartsOn, d.StudyEndsOn) && !d.StudyEndsOn.After(d.StartsOn) {
		p.Add("study_ends_on-day", "End of study must be after the start date")
	}
	studyKnown := known(d.StartsOn, d.StudyEndsOn) && p.For("study_ends_on-day") == ""
	for _, b := range d.Blocks {
		if studyKnown && known(b.OpensOn) && (b.OpensOn.Before(d.StartsOn) || !b.OpensOn.Before(d.StudyEndsOn)) {
			p.Add(BlockOpensField(b.ID), "Block "+strconv.Itoa(b.Position)+" must open between the start date and the end of study")
		}
	}
	if known(d.StudyEndsOn, d.AssessmentOpensOn) && p.For("study_ends_on-day") == "" && d.AssessmentOpensOn.Before(d.StudyEndsOn) {
		p.Add("assessment_opens-day", "The assessment window must open on or after the end of study")
	}
	if known(d.AssessmentOpensOn, d.AssessmentClosesOn) && p.For("assessment_opens-day") == "" && !d.AssessmentClosesOn.After(d.AssessmentOpensOn) {
		p.Add("assessment_closes-day", "The assessment window must close after it opens")
	}
	return p
}

// Cohort is the cohort to create, with each block's opening date.
func (d CohortDraft) Cohort() NewCohort {
	n := d.NewCohort
	n.BlockOpens = map[int64]time.Time{}
	for _, b := range d.Blocks {
		n.BlockOpens[b.ID] = b.OpensOn
	}
	return n
}

// known reports whether every date was read.
func known(dates ...time.Time) bool {
	for _, t := range dates {
		if t.IsZero() {
			return false
		}
	}
	return true
}

// MaxItemStatements is the most framework statements one activity can cover.
const MaxItemStatements = 500

// Check applies the rules for an activity: a kind from the list, a title, and content and
// statements within their limits. Its problems are keyed by the form's field names.
func (n NewItem) Check() problem.Problems {
	var p problem.Problems
	switch {
	case n.Kind == "":
		p.Add("kind", "Choose the kind of activity")
	case !n.Kind.Valid():
		p.Add("kind", "Choose one of the kinds listed")
	}
	p.Required("title", n.Title, "Enter the title")
	p.MaxLength("title", "Title", n.Title, 200)
	p.MaxLength("body", "Content", n.Body, 20000)
	if len(n.Statements) > MaxItemStatements {
		p.Add("statements", "Choose "+strconv.Itoa(MaxItemStatements)+" statements or fewer")
	}
	return p
}
