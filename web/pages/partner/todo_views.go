package partner

import (
	"time"

	"npq/web/components"
)

// HomeView is the partner staff's home: what needs doing, then their cohorts.
type HomeView struct {
	PartnerName string
	Todo        []components.TodoItem
	AsOf        time.Time // when the to-do lines were worked out
	Cohorts     []CohortRow
}

// TodoView is the list of the rows behind one line of a to-do list.
type TodoView struct {
	Title       string
	Explain     string
	AtHeading   string
	Rows        []TodoRow
	Total       int    // how many rows the to-do line counted, on every page
	ShowPartner bool   // admins see every partner's rows
	MessageHref string // where to write to everyone listed, or "" where rows are not people
	Back        string
	PrevHref    string // the page before, or ""
	NextHref    string // the page after, or ""
}

// TodoRow is one row of a to-do list.
type TodoRow struct {
	Name, Href string // the event, participant, candidate or email, and where to deal with it
	Email      string
	Detail     string
	Course     string
	Cohort     string
	CohortHref string
	Partner    string
	When, Age  string
}

// Paged reports whether the list is longer than one page.
func (v TodoView) Paged() bool { return v.PrevHref != "" || v.NextHref != "" }
