package partner

import (
	"net/url"
	"strconv"

	"npq/internal/records"
)

// RecordView is one participant's record, as partner staff or an admin sees it.
type RecordView struct {
	Record records.Record
	// Admin is true for admins, who see every partner's enrolments, provisional outcomes,
	// every email and links into the admin pages.
	Admin bool
	// Path is the record's own address, where a message sent from it returns.
	Path string
}

// area is the start of the viewer's addresses: "/admin" or "/partner".
func (v RecordView) area() string {
	if v.Admin {
		return "/admin"
	}
	return "/partner"
}

// MessageHref is the compose page for a message to this participant, returning here.
func (v RecordView) MessageHref() string {
	q := url.Values{"to": {strconv.FormatInt(v.Record.UserID, 10)}, "back": {v.Path}}
	return v.area() + "/messages/new?" + q.Encode()
}

// EventHref is an event's page for the viewer.
func (v RecordView) EventHref(id int64) string {
	return v.area() + "/events/" + strconv.FormatInt(id, 10)
}

// CohortHref is a cohort's roster for the viewer.
func (v RecordView) CohortHref(id int64) string {
	return v.area() + "/cohorts/" + strconv.FormatInt(id, 10)
}
