package admin

import (
	"npq/internal/programme"
	"npq/web/components"
)

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

// RemovePage asks before removing a block or an activity, or says why it cannot be removed
// and offers to archive it instead.
type RemovePage struct {
	CourseName string
	CoursePath string
	Path       string // the block's or activity's address: /remove and /archive follow it
	Kind       string // "block" or "activity"
	Name       string // "block 2: Leading culture", or the activity's title
	Detail     string // what else goes with it
	Refusal    string // why it cannot be removed; empty when it can
	Archived   bool
}
