// Package marking holds the assessors' pages. They show candidate numbers, never names.
package marking

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"npq/internal/assessment"
	"npq/web/components"
)

// HomeView is an assessor's list of allocated submissions.
type HomeView struct {
	Name      string
	Allocated []assessment.Allocated // still to mark, all of them
	Earlier   []assessment.Allocated // a page of the rest, latest allocation first
	Pages     components.SeekPagination
	Today     time.Time // the date due dates are read against
}

// SheetView is the marking page of one submission in one role.
type SheetView struct {
	Submission assessment.Submission
	Spec       assessment.Spec
	Role       string
	Sheet      assessment.Sheet
	Others     map[string]assessment.Sheet // what the moderator sees of the two markers
	Keys       []string                    // the criteria this role judges
	Editable   bool
	Errors     components.Errors
	Path       string // where the sheet is read and saved
	Back       string // the list it belongs to
	Passages   []assessment.Passage
	Tagged     map[string][]int // passage numbers by criterion key
}

// Judged reports whether this sheet shows a form (or a judgement) for the criterion.
func (v SheetView) Judged(key string) bool {
	for _, k := range v.Keys {
		if k == key {
			return true
		}
	}
	return false
}

// CriterionLabel names a criterion for a marker: its code, with its task where the
// assessment has more than one.
func (v SheetView) CriterionLabel(key string) string {
	c := v.Criterion(key)
	if len(v.Spec.Tasks) < 2 {
		return "criterion " + c.Code
	}
	for _, t := range v.Spec.Tasks {
		if t.Key == c.Task {
			return "criterion " + c.Code + " (" + t.Name + ")"
		}
	}
	return "criterion " + c.Code
}

// TaskPassages lists the passages written for one task.
func (v SheetView) TaskPassages(task string) []assessment.Passage {
	var out []assessment.Passage
	for _, p := range v.Passages {
		if p.Task == task {
			out = append(out, p)
		}
	}
	return out
}

// CriterionAnchor is the id of a criterion's place on the marking page, e.g. criterion-task-1-1-2-1.
func CriterionAnchor(key string) string {
	var b strings.Builder
	b.WriteString("criterion-")
	dash := false
	for _, r := range strings.ToLower(key) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return b.String()
}

// PassageAnchor is the id of a numbered passage of the submission.
func PassageAnchor(n int) string { return "passage-" + strconv.Itoa(n) }

// Criterion returns a criterion by key.
func (v SheetView) Criterion(key string) assessment.Criterion {
	for _, c := range v.Spec.Criteria {
		if c.Key() == key {
			return c
		}
	}
	return assessment.Criterion{Code: key}
}

// RoleLabel names a marking role.
func RoleLabel(role string) string {
	return map[string]string{assessment.RoleFirst: "First marking", assessment.RoleSecond: "Second marking", assessment.RoleModerator: "Moderation"}[role]
}

// SheetPath is the address of a marking page.
func SheetPath(submissionID int64, role string) string {
	return "/marking/" + strconv.FormatInt(submissionID, 10) + "/" + role
}

func fieldID(prefix string, i int) string { return prefix + "-" + strconv.Itoa(i) }

func judgementLabel(j assessment.Judgement) string {
	for _, s := range assessment.Scale {
		if s.Value == j {
			return s.Label
		}
	}
	return "Not judged"
}

func scaleOptions() []components.Option {
	var out []components.Option
	for _, s := range assessment.Scale {
		out = append(out, components.Option{Value: string(s.Value), Label: s.Label})
	}
	return out
}
