package events

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/scope"
	"npq/internal/timefmt"
)

// ListStatus picks the events a list shows by where they stand.
type ListStatus string

// The statuses an events list can be filtered by.
const (
	ListUpcoming         ListStatus = "upcoming"           // not yet ended and not cancelled, soonest first
	ListPast             ListStatus = "past"               // ended and not cancelled, latest first
	ListRegisterNotTaken ListStatus = "register-not-taken" // ended, not cancelled, someone booked still unmarked
	ListCancelled        ListStatus = "cancelled"          // cancelled, latest first
	ListAll              ListStatus = "all"                // every event, latest first
)

// ListStatuses are the statuses in the order a filter offers them.
var ListStatuses = []ListStatus{ListUpcoming, ListPast, ListRegisterNotTaken, ListCancelled, ListAll}

// Label is how a status is written in a filter.
func (s ListStatus) Label() string {
	switch s {
	case ListUpcoming:
		return "Upcoming"
	case ListPast:
		return "Past"
	case ListRegisterNotTaken:
		return "Past, register not taken"
	case ListCancelled:
		return "Cancelled"
	case ListAll:
		return "All"
	}
	return string(s)
}

// Soonest reports whether a list of this status runs from the soonest event to the latest.
func (s ListStatus) Soonest() bool { return s == ListUpcoming || s == "" }

// ParseListStatus reads a status from an address; "" is upcoming, and anything unknown is false.
func ParseListStatus(v string) (ListStatus, bool) {
	if v == "" {
		return ListUpcoming, true
	}
	for _, s := range ListStatuses {
		if string(s) == v {
			return s, true
		}
	}
	return "", false
}

// Kinds are the kinds of event in the order a filter offers them.
var Kinds = []Kind{KindFaceToFace, KindWebinar, KindTutorSession, KindCoaching}

// ParseKind reads a kind from an address; "" is any kind, and anything unknown is false.
func ParseKind(v string) (Kind, bool) {
	if v == "" {
		return "", true
	}
	for _, k := range Kinds {
		if string(k) == v {
			return k, true
		}
	}
	return "", false
}

// EventFilter narrows an events list. Its zero value (but for Status) lists every event in
// scope; ids of rows outside the scope simply find nothing.
type EventFilter struct {
	Query     string // in the event's title, its activity's title or its venue
	CourseID  int64
	CohortID  int64
	PartnerID int64
	From, To  time.Time // London dates the event starts on or between, inclusive; zero for open
	Kind      Kind
	Status    ListStatus
}

// EventKey is an event's position in a list sorted by start: its start and id.
func EventKey(e Event) listing.Cursor {
	return listing.TimeKey(e.StartsAt, e.ID)
}

// statusCondition is the SQL condition of a status, with $1 the time now.
func statusCondition(s ListStatus) string {
	switch s {
	case ListPast:
		// An event starts before it ends, so the start bounds the index scan.
		return "e.ends_at < $1 AND e.starts_at < $1 AND e.cancelled_at IS NULL"
	case ListRegisterNotTaken:
		return `e.ends_at < $1 AND e.starts_at < $1 AND e.cancelled_at IS NULL AND EXISTS (SELECT 1 FROM bookings r
			WHERE r.event_id = e.id AND r.status = 'booked' AND r.attendance IS NULL)`
	case ListCancelled:
		return "e.cancelled_at IS NOT NULL"
	case ListAll:
		return "true"
	}
	// An event still running started at most the longest event's length ago (an index gives
	// that length at once), so the scan by start begins there, not at the first event ever.
	return `e.ends_at >= $1 AND e.cancelled_at IS NULL
		AND e.starts_at >= $1::timestamptz - (SELECT coalesce(max(d.ends_at - d.starts_at), interval '0') FROM events d)`
}

// EventsPage lists a page of the events within sc that pass f, at now: upcoming ones soonest
// first, any other status latest first. The rows come in the query's order for listing.Cut.
func (s Store) EventsPage(ctx context.Context, sc scope.Scope, f EventFilter, now time.Time, req listing.Request) ([]Event, error) {
	at, id, err := req.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(f.Status.Soonest(), req)
	var from, to *time.Time
	if !f.From.IsZero() {
		t := time.Date(f.From.Year(), f.From.Month(), f.From.Day(), 0, 0, 0, 0, timefmt.London)
		from = &t
	}
	if !f.To.IsZero() {
		t := time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, timefmt.London)
		to = &t
	}
	var w database.Conds
	status := statusCondition(f.Status)
	if strings.Contains(status, "$1") {
		w.Arg(now) // $1, the time now, in the status's condition
	}
	w.Where(status)
	if !sc.All() {
		w.Add("e.delivery_partner_id = $?", sc.PartnerID())
	}
	if f.Query != "" {
		w.Search("(e.title ILIKE $? OR i.title ILIKE $? OR e.venue ILIKE $?)", database.Contains(f.Query))
	}
	if f.CourseID != 0 {
		w.Add("b.course_id = $?", f.CourseID)
	}
	if f.CohortID != 0 {
		w.Add("EXISTS (SELECT 1 FROM event_cohorts fc WHERE fc.event_id = e.id AND fc.cohort_id = $?)", f.CohortID)
	}
	if f.PartnerID != 0 {
		w.Add("e.delivery_partner_id = $?", f.PartnerID)
	}
	if from != nil {
		w.Add("e.starts_at >= $?", *from)
	}
	if to != nil {
		w.Add("e.starts_at < $?", *to)
	}
	if f.Kind != "" {
		w.Where("e.kind = " + database.Literal(string(f.Kind)))
	}
	if id != 0 {
		w.Where("(e.starts_at, e.id) " + cmp + " (" + w.Arg(at) + ", " + w.Arg(id) + ")")
	}
	rows, err := s.DB.Query(ctx, `SELECT `+eventColumns+`, co.qualification_code, co.name `+eventFrom+`
		JOIN courses co ON co.id = b.course_id
		WHERE `+w.SQL()+`
		ORDER BY e.starts_at `+dir+`, e.id `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("events: page: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var code, name string
		e, err := scanEvent(r, &code, &name)
		e.CourseCode, e.CourseName = code, name
		return e, err
	})
}

// CohortNames is the names of the cohorts an event is offered to, joined with commas.
func (e Event) CohortNames() string {
	names := make([]string, len(e.Cohorts))
	for i, c := range e.Cohorts {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}
