package partner

import (
	"net/url"
	"strconv"
	"strings"

	"npq/internal/events"
	"npq/internal/programme"
	"npq/internal/timefmt"
)

// EngagementView is a cohort's engagement page.
type EngagementView struct {
	Cohort       programme.Cohort
	BasePath     string // the cohort's page
	Area         string // "/partner" or "/admin": where the viewer's pages are
	Path         string // this page's address with its query, where a message sent from it returns
	Engagement   events.Engagement
	Inactive     []programme.RosterEntry
	InactiveDays int
}

// PersonLine is one person in an engagement list: who they are and why they are on it.
type PersonLine struct {
	UserID      int64
	Name, Email string
	Detail      string
}

// MessageAction is the compose page the lists' "Email these people" forms open.
func (v EngagementView) MessageAction() string { return v.Area + "/messages/new" }

// RecordHref is a participant's record.
func (v EngagementView) RecordHref(userID int64) string {
	return v.Area + "/participants/" + strconv.FormatInt(userID, 10)
}

// CSVHref is the download of one list: "unbooked" (with the session's item), "no-shows" or
// "inactive".
func (v EngagementView) CSVHref(list string, itemID int64) string {
	q := url.Values{"list": {list}}
	switch list {
	case "unbooked":
		q.Set("item", strconv.FormatInt(itemID, 10))
	case "inactive":
		q.Set("inactive", strconv.Itoa(v.InactiveDays))
	}
	return v.BasePath + "/engagement.csv?" + q.Encode()
}

// UnbookedLines are the people who have not booked a session.
func (v EngagementView) UnbookedLines(u events.UnbookedItem) []PersonLine {
	out := make([]PersonLine, 0, len(u.People))
	for _, p := range u.People {
		out = append(out, PersonLine{UserID: p.UserID, Name: p.Name, Email: p.Email})
	}
	return out
}

// NoShowLines are the people marked absent, once each, with the events they missed.
func (v EngagementView) NoShowLines() []PersonLine {
	var out []PersonLine
	at := map[int64]int{}
	for _, n := range v.Engagement.NoShows {
		missed := n.EventTitle + ", " + timefmt.Date(n.StartsAt)
		if i, ok := at[n.UserID]; ok {
			out[i].Detail += "; " + missed
			continue
		}
		at[n.UserID] = len(out)
		out = append(out, PersonLine{UserID: n.UserID, Name: n.Name, Email: n.Email, Detail: missed})
	}
	return out
}

// InactiveLines are the people not active for InactiveDays or more.
func (v EngagementView) InactiveLines() []PersonLine {
	out := make([]PersonLine, 0, len(v.Inactive))
	for _, e := range v.Inactive {
		last := "Never active"
		if e.LastActivityAt != nil {
			last = "Last active " + timefmt.Date(*e.LastActivityAt)
		}
		out = append(out, PersonLine{UserID: e.UserID, Name: e.Name, Email: e.Email, Detail: last})
	}
	return out
}

// Unbooked finds the session item among the lists, by id.
func (v EngagementView) Unbooked(itemID int64) (events.UnbookedItem, bool) {
	for _, u := range v.Engagement.Unbooked {
		if u.ItemID == itemID {
			return u, true
		}
	}
	return events.UnbookedItem{}, false
}

// fileWord is text made safe for a file name: lower case letters, digits and hyphens.
func fileWord(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// CSVName is the file name of a list's download: what the list is, the cohort and the date.
func (v EngagementView) CSVName(what string, today string) string {
	return fileWord(what) + "-" + fileWord(v.Cohort.Name) + "-" + today + ".csv"
}
