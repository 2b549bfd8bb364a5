// Package marking holds the assessors' pages. They show candidate numbers, never names.
package marking

import (
	"strconv"

	"npq/internal/assessment"
	"npq/web/components"
)

// HomeView is an assessor's list of allocated submissions.
type HomeView struct {
	Name      string
	Allocated []assessment.Allocated
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
}

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
