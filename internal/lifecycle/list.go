package lifecycle

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/scope"
)

// States are the states in the order a filter offers them.
var States = []State{StateOpen, StateApproved, StateRefused, StateMoved, StateCancelled}

// Label is how a state is written.
func (s State) Label() string {
	switch s {
	case StateOpen:
		return "Open"
	case StateApproved:
		return "Approved"
	case StateRefused:
		return "Refused"
	case StateCancelled:
		return "Cancelled"
	case StateMoved:
		return "Moved to another cohort"
	}
	return string(s)
}

// ParseState reads a state from an address: "" is any, and anything unknown is false.
func ParseState(v string) (State, bool) {
	if v == "" {
		return "", true
	}
	for _, s := range States {
		if string(s) == v {
			return s, true
		}
	}
	return "", false
}

// ParseKind reads a kind of request from an address: "" is any, and anything unknown is false.
func ParseKind(v string) (Kind, bool) {
	switch k := Kind(v); k {
	case "", KindDeferral, KindWithdrawal:
		return k, true
	}
	return "", false
}

// LetterRef names a letter sent about a request.
type LetterRef struct {
	ID      int64  `json:"id"`
	Subject string `json:"subject"`
}

// RequestFilter narrows a list of requests. Its zero value lists every request in scope,
// newest first.
type RequestFilter struct {
	Query     string // in the participant's name or email
	Kind      Kind   // "" for both
	State     State  // "" for any
	CourseID  int64
	CohortID  int64
	PartnerID int64
	OlderThan int  // days since it was asked; 0 for any
	Oldest    bool // oldest first, as a queue is worked through
	// Progress reads each request's progress and places booked ahead (Done, Required,
	// FutureBookings), as a queue shows them to decide; a list that does not show them
	// leaves them 0 and skips their cost, most of the statement's.
	Progress bool
}

// RequestKey is a request's position in a list: when it was asked, and its id.
func RequestKey(r Request) listing.Cursor { return listing.TimeKey(r.CreatedAt, r.ID) }

// RequestsPage lists a page of the requests within sc that pass f at now, with the letters
// sent about each, in the query's order for listing.Cut.
func (s Store) RequestsPage(ctx context.Context, sc scope.Scope, f RequestFilter, now time.Time, req listing.Request) ([]Request, error) {
	at, id, err := req.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(f.Oldest, req)
	var w database.Conds
	addScope(&w, sc, "r.delivery_partner_id")
	if f.Query != "" {
		w.Search("(u.name ILIKE $? OR u.email ILIKE $?)", database.Contains(f.Query))
	}
	// Kind and state come from fixed sets, and how many rows they select differs a great deal
	// (open deferrals are few, decided ones many): written into the statement, each
	// combination is planned once knowing them.
	if f.Kind != "" {
		w.Where("r.kind = " + database.Literal(string(f.Kind)))
	}
	if f.State != "" {
		w.Where("r.state = " + database.Literal(string(f.State)))
	}
	for _, c := range []struct {
		cond string
		id   int64
	}{{"h.course_id = $?", f.CourseID}, {"h.id = $?", f.CohortID}, {"r.delivery_partner_id = $?", f.PartnerID}} {
		if c.id != 0 {
			w.Add(c.cond, c.id)
		}
	}
	if f.OlderThan != 0 {
		w.Add("r.created_at < $?::timestamptz", now.AddDate(0, 0, -f.OlderThan))
	}
	if id != 0 {
		w.Where("(r.created_at, r.id) " + cmp + " (" + w.Arg(at) + ", " + w.Arg(id) + ")")
	}
	columns, from := requestColumnsWithoutProgress, requestBaseFrom
	if f.Progress {
		columns, from = requestColumns, requestFrom
	}
	rows, err := s.DB.Query(ctx, `SELECT `+columns+`,
		coalesce((SELECT jsonb_agg(jsonb_build_object('id', l.id, 'subject', l.subject) ORDER BY l.id) FROM letters l WHERE l.request_id = r.id), '[]')
		`+from+` WHERE `+w.SQL()+`
		ORDER BY r.created_at `+dir+`, r.id `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: requests page: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) {
		var letters []LetterRef
		q, err := scanRequest(r, &letters)
		q.Letters = letters
		return q, err
	})
}
