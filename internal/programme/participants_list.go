package programme

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/scope"
)

// ParticipantRow is one line of the participants list: a participant and one of their
// enrolments, or no enrolment (EnrolmentID 0) for someone not enrolled.
type ParticipantRow struct {
	UserID                 int64
	Name, Email            string
	Activated              bool
	EnrolmentID            int64
	Status                 Status
	CohortName             string
	CourseCode, CourseName string
	PartnerName            string
}

// ParticipantFilter narrows the participants list; its zero value lists everyone in scope.
type ParticipantFilter struct {
	Query     string // in the name or email
	CourseID  int64
	CohortID  int64
	PartnerID int64
	Status    Status // "" for any
}

// Statuses are the enrolment statuses in the order a filter offers them.
var Statuses = []Status{StatusActive, StatusDeferred, StatusWithdrawn, StatusCompleted}

// ParseStatus reads an enrolment status from an address: "" is any, and anything unknown is false.
func ParseStatus(v string) (Status, bool) {
	if v == "" {
		return "", true
	}
	for _, s := range Statuses {
		if string(s) == v {
			return s, true
		}
	}
	return "", false
}

// ParticipantKey is a row's position in the participants list: name, person and enrolment.
func ParticipantKey(p ParticipantRow) listing.Cursor {
	return listing.Cursor{p.Name, strconv.FormatInt(p.UserID, 10), strconv.FormatInt(p.EnrolmentID, 10)}
}

// participantKey reads a cursor written by ParticipantKey.
func participantKey(c listing.Cursor) (name string, user, enrolment int64, err error) {
	if c == nil {
		return "", 0, 0, nil
	}
	if len(c) != 3 {
		return "", 0, 0, listing.ErrBadRequest
	}
	user, err = strconv.ParseInt(c[1], 10, 64)
	if err != nil || user <= 0 {
		return "", 0, 0, listing.ErrBadRequest
	}
	enrolment, err = strconv.ParseInt(c[2], 10, 64)
	if err != nil || enrolment < 0 {
		return "", 0, 0, listing.ErrBadRequest
	}
	return c[0], user, enrolment, nil
}

// ParticipantsPage lists a page of participants within sc that pass f, by name, one row per
// enrolment, in the query's order for listing.Cut. Partner staff see their partner's
// enrolments only; admins also see people not enrolled.
func (s Store) ParticipantsPage(ctx context.Context, sc scope.Scope, f ParticipantFilter, req listing.Request) ([]ParticipantRow, error) {
	name, user, enrolment, err := participantKey(req.Cursor())
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(true, req)
	var w database.Conds
	w.Where("u.role = 'participant'")
	if !sc.All() {
		w.Add("h.delivery_partner_id = $?", sc.PartnerID())
	}
	if f.Query != "" {
		w.Search("(lower(u.name) || ' ' || u.email) ILIKE $?", database.Contains(f.Query))
	}
	for _, c := range []struct {
		cond string
		id   int64
	}{{"h.course_id = $?", f.CourseID}, {"h.id = $?", f.CohortID}, {"h.delivery_partner_id = $?", f.PartnerID}} {
		if c.id != 0 {
			w.Add(c.cond, c.id)
		}
	}
	if f.Status != "" {
		w.Where("e.status = " + database.Literal(string(f.Status)))
	}
	if user != 0 {
		w.Where("(u.name, u.id, coalesce(e.id, 0)) " + cmp + " (" + w.Arg(name) + ", " + w.Arg(user) + ", " + w.Arg(enrolment) + ")")
	}
	rows, err := s.DB.Query(ctx, `
		SELECT u.id, u.name, u.email, u.password_hash <> '', coalesce(e.id, 0), coalesce(e.status, ''), coalesce(h.name, ''),
		       coalesce(c.qualification_code, ''), coalesce(c.name, ''), coalesce(p.name, '')
		FROM users u LEFT JOIN enrolments e ON e.user_id = u.id LEFT JOIN cohorts h ON h.id = e.cohort_id
		LEFT JOIN courses c ON c.id = h.course_id LEFT JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE `+w.SQL()+`
		ORDER BY u.name `+dir+`, u.id `+dir+`, coalesce(e.id, 0) `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("programme: participants page: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ParticipantRow, error) {
		var p ParticipantRow
		return p, r.Scan(&p.UserID, &p.Name, &p.Email, &p.Activated, &p.EnrolmentID, &p.Status, &p.CohortName,
			&p.CourseCode, &p.CourseName, &p.PartnerName)
	})
}
