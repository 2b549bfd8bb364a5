package partner

import (
	"net/url"
	"strconv"
	"strings"

	"npq/internal/programme"
)

// MessageHref is the compose page for a message to people, returning to back; area is
// "/partner" or "/admin".
func MessageHref(area string, userIDs []int64, back string) string {
	q := url.Values{"back": {back}}
	for _, id := range userIDs {
		q.Add("to", strconv.FormatInt(id, 10))
	}
	return area + "/messages/new?" + q.Encode()
}

// Emailable are the people listed on this page of the roster (after its search and filters)
// a message goes to: all but the withdrawn.
func (v RosterView) Emailable() []int64 {
	var ids []int64
	for _, e := range v.Entries {
		if e.Status != programme.StatusWithdrawn {
			ids = append(ids, e.UserID)
		}
	}
	return ids
}

// EmailLabel is the roster's link to message the n people Emailable finds.
func (v RosterView) EmailLabel(n int) string {
	switch {
	case v.PrevHref != "" || v.NextHref != "":
		return "Email the " + People(n) + " on this page still enrolled"
	case v.Filtered():
		return "Email these " + People(n) + " still enrolled"
	}
	return "Email everyone still enrolled (" + People(n) + ")"
}

// EmailEveryoneHref is the compose page for the people Emailable finds, returning to the
// roster as it was.
func (v RosterView) EmailEveryoneHref() string {
	area := "/partner"
	if v.Admin {
		area = "/admin"
	}
	return MessageHref(area, v.Emailable(), v.BasePath)
}

// Absent are the people the register has marked absent.
func (v RegisterView) Absent() []int64 {
	var ids []int64
	for _, b := range v.Rows {
		if b.Attendance == "absent" {
			ids = append(ids, b.UserID)
		}
	}
	return ids
}

// EmailAbsentHref is the compose page for the people marked absent, returning to the register.
func (v RegisterView) EmailAbsentHref() string {
	return MessageHref(strings.TrimSuffix(v.BasePath, "/events"), v.Absent(), eventHref(v.BasePath, v.Event)+"/register")
}
