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
