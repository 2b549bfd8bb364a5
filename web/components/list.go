package components

// ListFiltersProps describes the search and filter form above a long list. The form sends
// GET, so the filtered list has an address that can be bookmarked and shared.
type ListFiltersProps struct {
	Action string // the list's path
	Label  string // names the search landmark, e.g. "Find events"
	Active bool   // some filter is set, so "Clear filters" is offered
}

// SortedBy says how a list is sorted, for the line above it and the sorted column's header.
type SortedBy struct {
	Column    string // the column's heading
	Ascending bool
	Words     string // how the order reads, e.g. "soonest first"
}

// AriaSort is the aria-sort value of column heading: ascending or descending on the sorted
// column, "" on any other.
func (s SortedBy) AriaSort(heading string) string {
	switch {
	case heading != s.Column:
		return ""
	case s.Ascending:
		return "ascending"
	}
	return "descending"
}
