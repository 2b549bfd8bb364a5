package participant

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"npq/internal/assessment"
	"npq/internal/lifecycle"
	"npq/web/components"
)

// AssessmentView is the participant's assessment page.
type AssessmentView struct {
	Switcher   CourseSwitcher
	Enrolment  EnrolmentView          // the course the page is about
	Standing   lifecycle.StandingView // where they stand on the course, when it is not about the assessment itself
	Course     string                 // ?course= for the page's forms and links, when the URL named it
	Window     *assessment.Window
	Today      bool // the window is open today
	Submission *assessment.Submission
	Spec       assessment.Spec
	Findings   []assessment.Finding
	Result     *assessment.Result
	Comments   map[string]string // criterion key -> the comment that decided it
	Feedback   []string
	CanStart   bool // a first attempt or a resubmission may begin
	Errors     components.Errors
	Texts      map[string]string // what was sent, when the form is shown again
	Query      string            // the page's query, kept in the links it gives
}

// FindingHref links a finding of the check to its place on the page: the task's text, the
// document's upload, or the word counts for a limit across every task.
func (v AssessmentView) FindingHref(f assessment.Finding) string {
	if f.Slot != "" {
		for i, sl := range v.Spec.DocumentSlots() {
			if sl.Key() == f.Slot {
				return "#" + slotID(i)
			}
		}
	}
	if f.Task != "" {
		return "#text-" + f.Task
	}
	return "#word-counts"
}

// CheckSummary says in a sentence what is left before the draft can be submitted.
func CheckSummary(findings []assessment.Finding) string {
	fix, check := assessment.Tally(findings)
	switch {
	case fix == 0 && check == 0:
		return "Nothing is left to fix: you can submit."
	case fix == 0:
		return "Nothing stops you submitting. " + things(check) + " to check first."
	case check == 0:
		return things(fix) + " to fix before you can submit."
	}
	return things(fix) + " to fix before you can submit, and " + strings.ToLower(things(check)) + " to check."
}

func things(n int) string {
	if n == 1 {
		return "1 thing"
	}
	return strconv.Itoa(n) + " things"
}

// WithQuery adds the page's query to a link, so the course it shows is kept.
func (v AssessmentView) WithQuery(path string) string {
	if v.Query == "" {
		return path
	}
	return path + "?" + v.Query
}

// WordCount is the server's count of a task's text.
func (v AssessmentView) WordCount(task string) int { return assessment.WordCount(v.Text(task)) }

// TotalWords is the server's count across every task.
func (v AssessmentView) TotalWords() int {
	n := 0
	for _, t := range v.Spec.Tasks {
		n += v.WordCount(t.Key)
	}
	return n
}

func limitNote(min, max int) string {
	switch {
	case min > 0 && max > 0:
		return " (between " + strconv.Itoa(min) + " and " + strconv.Itoa(max) + ")"
	case max > 0:
		return " (limit " + strconv.Itoa(max) + ")"
	case min > 0:
		return " (at least " + strconv.Itoa(min) + ")"
	}
	return ""
}

// Text is the text of a task, as sent or as saved.
func (v AssessmentView) Text(task string) string {
	if t, ok := v.Texts[task]; ok {
		return t
	}
	if v.Submission != nil {
		return v.Submission.Texts[task]
	}
	return ""
}

// FilesIn lists the files attached to a document slot.
func (v AssessmentView) FilesIn(slot string) []assessment.File {
	var out []assessment.File
	for _, f := range v.Submission.Files {
		if f.SlotKey == slot {
			out = append(out, f)
		}
	}
	return out
}

// CriteriaOf lists the criteria assessed in a task.
func (v AssessmentView) CriteriaOf(task string) []assessment.Criterion {
	var out []assessment.Criterion
	for _, c := range v.Spec.Criteria {
		if c.Task == task {
			out = append(out, c)
		}
	}
	return out
}

func wordLimitHint(t assessment.Task) string {
	switch {
	case t.WordLimit > 0 && t.MinWords > 0:
		return "Between " + strconv.Itoa(t.MinWords) + " and " + strconv.Itoa(t.WordLimit) + " words."
	case t.WordLimit > 0:
		return "Up to " + strconv.Itoa(t.WordLimit) + " words."
	case t.MinWords > 0:
		return "At least " + strconv.Itoa(t.MinWords) + " words."
	}
	return ""
}

func slotID(i int) string { return "slot-" + strconv.Itoa(i) }

func fileSize(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

// action is a form address on the assessment page, keeping the course the URL named.
func (v AssessmentView) action(path string) templ.SafeURL {
	if v.Course == "" {
		return templ.SafeURL(path)
	}
	return templ.SafeURL(path + "?course=" + v.Course)
}
