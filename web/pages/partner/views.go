// Package partner holds the pages of delivery-partner staff, which admins share for every partner: cohorts, rosters, engagement, events and decisions.
package partner

import (
	"net/url"
	"strconv"
	"time"

	"npq/internal/programme"
	"npq/web/components"
)

// CohortRow is one cohort in a list.
type CohortRow struct {
	Href, Name, Course, Partner, Stage string
	StartsOn                           time.Time
	Participants, Active               int
}

// RosterView is a cohort's page with one page of its roster, searched, filtered and sorted
// as its address asks.
type RosterView struct {
	Cohort       programme.Cohort
	Stage        string
	Blocks       []programme.Block
	Entries      []programme.RosterEntry // this page's rows
	Matching     int                     // rows that pass the search and filters, on every page
	Now          time.Time
	Sort, Dir    string
	Filter       programme.RosterFilter
	Counts       map[string]int // active participants per engagement filter
	InactiveDays int
	Size         int    // rows on a page; 0 for the default
	BasePath     string // "/partner/cohorts/7" or "/admin/cohorts/7"
	Admin        bool
	// PersonHref is the participant record a name opens; EnrolmentHref (admins) the enrolment.
	PersonHref, EnrolmentHref func(programme.RosterEntry) string
	PrevHref, NextHref        string
}

// params is the address's search, filters, sort and page size, without the page position.
func (v RosterView) params() url.Values {
	q := url.Values{}
	set := func(k, val string) {
		if val != "" {
			q.Set(k, val)
		}
	}
	set("q", v.Filter.Query)
	set("status", string(v.Filter.Status))
	set("engagement", v.Filter.Engagement)
	if v.InactiveDays != programme.InactiveDays {
		q.Set("inactive", strconv.Itoa(v.InactiveDays))
	}
	if v.Size != 0 {
		q.Set("size", strconv.Itoa(v.Size))
	}
	set("sort", v.Sort)
	set("dir", v.Dir)
	return q
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// SortHref is the link that sorts the roster by column, toggling direction, keeping the
// search and filters and starting at the top.
func (v RosterView) SortHref(column string) string {
	dir := "asc"
	if v.Sort == column && v.Dir == "asc" {
		dir = "desc"
	}
	q := v.params()
	q.Set("sort", column)
	q.Set("dir", dir)
	return withQuery(v.BasePath, q)
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

// SortMarker is the arrow shown beside the sorted column's heading; "" for the others.
func (v RosterView) SortMarker(column string) string {
	switch {
	case v.Sort != column:
		return ""
	case v.Dir == "desc":
		return "▼"
	}
	return "▲"
}

// SortedBy says how the roster is sorted, e.g. "name, A to Z".
func (v RosterView) SortedBy() string {
	l := programme.RosterSortLabels[v.Sort]
	if v.Dir == "desc" {
		return l[1]
	}
	return l[0]
}

// CSVHref downloads every row that passes the search and filters, in the shown order.
func (v RosterView) CSVHref() string {
	q := v.params()
	q.Del("size")
	return withQuery(v.BasePath+"/roster.csv", q)
}

// EngagementHref is the roster filtered to one engagement filter, as a to-do item links it.
func (v RosterView) EngagementHref(engagement string) string {
	q := url.Values{"engagement": {engagement}}
	if v.InactiveDays != programme.InactiveDays {
		q.Set("inactive", strconv.Itoa(v.InactiveDays))
	}
	return withQuery(v.BasePath, q)
}

// Filtered reports whether a search or filter narrows the roster.
func (v RosterView) Filtered() bool {
	return v.Filter.Query != "" || v.Filter.Status != "" || v.Filter.Engagement != ""
}

// EngagementLabel names an engagement filter.
func (v RosterView) EngagementLabel(engagement string) string {
	switch engagement {
	case programme.EngagementInactive:
		return "Not active for " + strconv.Itoa(v.InactiveDays) + " days or more"
	case programme.EngagementBehind:
		return "Behind the block dates"
	case programme.EngagementUnbooked:
		return "Not booked a required session"
	}
	return "Any"
}

// StatusOptions are the status filter's choices.
func (v RosterView) StatusOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "Any status"}}
	for _, s := range programme.Statuses {
		out = append(out, components.Option{Value: string(s), Label: s.Label()})
	}
	return out
}

// EngagementOptions are the engagement filter's choices, each with its count.
func (v RosterView) EngagementOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "Any"}}
	for _, e := range programme.Engagements {
		out = append(out, components.Option{Value: e, Label: v.EngagementLabel(e) + " (" + strconv.Itoa(v.Counts[e]) + ")"})
	}
	return out
}

// MatchingLabel says how many participants the roster shows, e.g. "Showing 3 of 40
// participants" when filtered, "40 participants" when not.
func (v RosterView) MatchingLabel() string {
	people := func(n int) string {
		if n == 1 {
			return "1 participant"
		}
		return strconv.Itoa(n) + " participants"
	}
	if v.Filtered() {
		return "Showing " + strconv.Itoa(v.Matching) + " of " + people(v.Cohort.Participants)
	}
	return people(v.Matching)
}

// CSVLabel is the download link's text: the whole roster, or the rows the filters keep.
func (v RosterView) CSVLabel() string {
	switch {
	case !v.Filtered():
		return "Download the roster (CSV)"
	case v.Matching == 1:
		return "Download this participant (CSV)"
	}
	return "Download these " + strconv.Itoa(v.Matching) + " participants (CSV)"
}
