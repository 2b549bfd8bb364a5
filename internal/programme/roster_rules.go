package programme

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Roster sort columns.
var RosterSorts = []string{"name", "progress", "block", "activity"}

// RosterSortLabels names each sort as the page says it, ascending then descending.
var RosterSortLabels = map[string][2]string{
	"name":     {"name, A to Z", "name, Z to A"},
	"progress": {"progress, least first", "progress, most first"},
	"block":    {"current block, earliest first", "current block, latest first"},
	"activity": {"last active, longest ago first", "last active, most recent first"},
}

// The engagement filters of a roster.
const (
	EngagementInactive = "inactive"
	EngagementBehind   = "behind"
	EngagementUnbooked = "not-booked"
)

// Engagements lists the engagement filters in the order the page offers them.
var Engagements = []string{EngagementInactive, EngagementBehind, EngagementUnbooked}

// RosterFilter narrows a roster: a search of name, email and school, a status and an
// engagement filter ("" for any), with the inactivity threshold in days.
type RosterFilter struct {
	Query        string
	Status       Status
	Engagement   string
	InactiveDays int
}

// Match reports whether an entry passes the filter at now.
func (f RosterFilter) Match(e RosterEntry, now time.Time) bool {
	if f.Status != "" && e.Status != f.Status {
		return false
	}
	if !f.MatchEngagement(e, now) {
		return false
	}
	if q := strings.ToLower(f.Query); q != "" {
		return strings.Contains(strings.ToLower(e.Name), q) || strings.Contains(strings.ToLower(e.Email), q) ||
			strings.Contains(strings.ToLower(e.School), q)
	}
	return true
}

// MatchEngagement reports whether an entry passes the engagement filter alone.
func (f RosterFilter) MatchEngagement(e RosterEntry, now time.Time) bool {
	switch f.Engagement {
	case EngagementInactive:
		return e.Inactive(now, f.InactiveDays)
	case EngagementBehind:
		return e.Status == StatusActive && e.BlocksBehind > 0
	case EngagementUnbooked:
		return e.Status == StatusActive && e.UnbookedRequired > 0
	}
	return true
}

// FilterRoster keeps the entries that pass f, in their order.
func FilterRoster(entries []RosterEntry, f RosterFilter, now time.Time) []RosterEntry {
	var out []RosterEntry
	for _, e := range entries {
		if f.Match(e, now) {
			out = append(out, e)
		}
	}
	return out
}

// CompareRoster orders two entries by a column ("name", "progress", "block" or
// "activity") in direction "asc" or "desc": ties go by name, then enrolment, so the order is
// total and a page can start after any row. "activity" ascending puts the least recently
// active (and never active) first.
func CompareRoster(a, b RosterEntry, column, dir string) int {
	var c int
	switch column {
	case "progress":
		c = cmp.Compare(a.Progress.Percent(), b.Progress.Percent())
	case "block":
		c = cmp.Compare(a.CurrentBlockNo, b.CurrentBlockNo)
	case "activity":
		c = cmpTime(a.LastActivityAt, b.LastActivityAt)
	}
	if dir == "desc" {
		c = -c
	}
	if c != 0 {
		return c
	}
	c = cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.EnrolmentID, b.EnrolmentID))
	if column == "name" && dir == "desc" {
		c = -c
	}
	return c
}

// SortRoster orders a roster by a column in a direction, as CompareRoster does.
func SortRoster(entries []RosterEntry, column, dir string) {
	slices.SortStableFunc(entries, func(a, b RosterEntry) int { return CompareRoster(a, b, column, dir) })
}

// RosterKey is an entry's position in a roster sorted by column: the sort value, the name
// and the enrolment, as strings for a page cursor.
func RosterKey(e RosterEntry, column string) []string {
	var v string
	switch column {
	case "progress":
		v = strconv.Itoa(e.Progress.Percent())
	case "block":
		v = strconv.Itoa(e.CurrentBlockNo)
	case "activity":
		if e.LastActivityAt != nil {
			v = e.LastActivityAt.UTC().Format(time.RFC3339Nano)
		}
	}
	return []string{v, e.Name, strconv.FormatInt(e.EnrolmentID, 10)}
}

// errBadKey is a roster cursor that RosterKey did not write.
var errBadKey = errors.New("programme: not a roster position")

// rosterAt is a stand-in entry at a position RosterKey wrote, for comparing with CompareRoster.
func rosterAt(key []string, column string) (RosterEntry, error) {
	if len(key) != 3 {
		return RosterEntry{}, errBadKey
	}
	id, err := strconv.ParseInt(key[2], 10, 64)
	if err != nil {
		return RosterEntry{}, errBadKey
	}
	e := RosterEntry{Name: key[1], EnrolmentID: id}
	switch column {
	case "progress", "block":
		n, err := strconv.Atoi(key[0])
		if err != nil {
			return RosterEntry{}, errBadKey
		}
		e.Progress, e.CurrentBlockNo = Progress{Done: n, Required: 100}, n
	case "activity":
		if key[0] != "" {
			t, err := time.Parse(time.RFC3339Nano, key[0])
			if err != nil {
				return RosterEntry{}, errBadKey
			}
			e.LastActivityAt = &t
		}
	}
	return e, nil
}

// SeekRoster finds a page of a roster sorted by column and dir without counting rows: up to
// limit entries after the position key (or before it when backward, nearest first, as a
// reversed keyset query returns them); nil key starts at the top. A key it did not write is
// an error.
func SeekRoster(sorted []RosterEntry, column, dir string, key []string, backward bool, limit int) ([]RosterEntry, error) {
	if key == nil {
		return sorted[:min(limit, len(sorted))], nil
	}
	at, err := rosterAt(key, column)
	if err != nil {
		return nil, err
	}
	var out []RosterEntry
	if backward {
		for i := len(sorted) - 1; i >= 0 && len(out) < limit; i-- {
			if CompareRoster(sorted[i], at, column, dir) < 0 {
				out = append(out, sorted[i])
			}
		}
		return out, nil
	}
	for _, e := range sorted {
		if len(out) == limit {
			break
		}
		if CompareRoster(e, at, column, dir) > 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// ScheduleLabel is a DfE schedule identifier as people say it, e.g. "NPQ leadership autumn"
// for npq-leadership-autumn; an identifier it does not know is shown as it is.
func ScheduleLabel(id string) string {
	parts := strings.Split(id, "-")
	if len(parts) != 3 || parts[0] != "npq" {
		return id
	}
	kinds := map[string]string{"leadership": "NPQ leadership", "specialist": "NPQ specialist",
		"aso": "Additional support offer", "ehco": "Early headship coaching offer"}
	kind, ok := kinds[parts[1]]
	if !ok || parts[2] == "" {
		return id
	}
	when := parts[2]
	if slices.Contains([]string{"march", "june", "november", "december"}, when) {
		when = strings.ToUpper(when[:1]) + when[1:]
	}
	return kind + " " + when
}
