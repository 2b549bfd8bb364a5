package admin

import (
	"npq/internal/programme"
	"npq/web/components"
)

// ParticipantsView is a page of the participants list.
type ParticipantsView struct {
	Rows    []programme.ParticipantRow
	Filter  ParticipantsFilter
	Choices ParticipantsChoices
	Pages   components.SeekPagination
}

// ParticipantsFilter is the participants list's search and filters as the address gives them.
type ParticipantsFilter struct {
	Query, Course, Cohort, Partner, Status string
}

// ParticipantsChoices are the options of the participants list's filters.
type ParticipantsChoices struct {
	Courses, Cohorts, Partners, Statuses []components.Option
	CohortHint                           string // why the cohorts are not all listed, if they are not
}

// ParticipantsSorted is how the participants list is sorted.
var ParticipantsSorted = components.SortedBy{Column: "Name", Ascending: true, Words: "A to Z"}
