// Package partner holds the pages of delivery-partner staff, which admins share for every partner: cohorts, rosters, engagement, events and decisions.
package partner

import (
	"net/url"
	"strconv"
	"time"

	"npq/internal/programme"
)

// CohortRow is one cohort in a list.
type CohortRow struct {
	Href, Name, Course, Partner, Stage string
	StartsOn                           time.Time
	Participants, Active               int
}

// RosterView is a cohort's page with its roster.
type RosterView struct {
	Cohort        programme.Cohort
	Stage         string
	Blocks        []programme.Block
	Entries       []programme.RosterEntry
	Now           time.Time
	Sort, Dir     string
	InactiveDays  int
	BasePath      string // "/partner/cohorts/7" or "/admin/cohorts/7"
	Admin         bool
	EnrolmentHref func(programme.RosterEntry) string
}

// SortHref is the link that sorts the roster by column, toggling direction.
func (v RosterView) SortHref(column string) string {
	dir := "asc"
	if v.Sort == column && v.Dir == "asc" {
		dir = "desc"
	}
	q := url.Values{"sort": {column}, "dir": {dir}, "inactive": {strconv.Itoa(v.InactiveDays)}}
	return v.BasePath + "?" + q.Encode()
}

// AriaSort is the aria-sort value of a column header.
func (v RosterView) AriaSort(column string) string {
	if v.Sort != column {
		return "none"
	}
	if v.Dir == "desc" {
		return "descending"
	}
	return "ascending"
}

// InactiveCount counts highlighted participants.
func (v RosterView) InactiveCount() int {
	n := 0
	for _, e := range v.Entries {
		if e.Inactive(v.Now, v.InactiveDays) {
			n++
		}
	}
	return n
}
