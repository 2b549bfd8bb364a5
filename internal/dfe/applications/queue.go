package applications

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe/identifiers"
	"npq/internal/listing"
)

// Status is DfE's status of an application.
type Status string

// DfE's application statuses.
const (
	StatusPending  Status = "pending"
	StatusAccepted Status = "accepted"
	StatusRejected Status = "rejected"
)

// Statuses are the statuses a queue filter offers, in order.
var Statuses = []Status{StatusPending, StatusAccepted, StatusRejected}

// Label is the status in words.
func (s Status) Label() string {
	switch s {
	case StatusPending:
		return "Pending"
	case StatusAccepted:
		return "Accepted"
	case StatusRejected:
		return "Rejected"
	}
	return string(s)
}

// ParseStatus reads a queue's ?status=: "" is pending, "all" is every status (returned as "").
func ParseStatus(v string) (Status, bool) {
	switch v {
	case "":
		return StatusPending, true
	case "all":
		return "", true
	}
	for _, s := range Statuses {
		if string(s) == v {
			return s, true
		}
	}
	return "", false
}

// Application is one DfE application as the sync copied it, with our decision on it.
type Application struct {
	ID                 string
	ParticipantID      string
	FullName, Email    string
	TRN                string
	Course             string
	SchoolURN          string
	Cohort             string
	Schedule           string
	FundedPlace        *bool
	EligibleForFunding bool
	Status             Status
	CreatedAt          time.Time
	UpdatedAt          time.Time
	EnrolmentID        *int64
	DecidedBy          string
	DecidedAt          *time.Time
	RejectReason       string
}

const columns = `a.id::text, a.participant_id::text, a.full_name, a.email, a.trn, a.course_identifier, a.school_urn, a.cohort,
	a.schedule_identifier, a.funded_place, a.eligible_for_funding, a.status, a.dfe_created_at, a.dfe_updated_at,
	a.enrolment_id, coalesce(u.name, ''), a.decided_at, a.reject_reason`

const from = `FROM dfe_applications a LEFT JOIN users u ON u.id = a.decided_by`

func scan(r pgx.Row) (Application, error) {
	var a Application
	err := r.Scan(&a.ID, &a.ParticipantID, &a.FullName, &a.Email, &a.TRN, &a.Course, &a.SchoolURN, &a.Cohort,
		&a.Schedule, &a.FundedPlace, &a.EligibleForFunding, &a.Status, &a.CreatedAt, &a.UpdatedAt,
		&a.EnrolmentID, &a.DecidedBy, &a.DecidedAt, &a.RejectReason)
	return a, err
}

// Filter narrows the queue: a search of name, email and TRN, a DfE course identifier, and a
// status ("" for every status).
type Filter struct {
	Query  string
	Course string
	Status Status
}

// Key is an application's position in the queue (oldest first).
func Key(a Application) listing.Cursor {
	return listing.Cursor{a.CreatedAt.UTC().Format(time.RFC3339Nano), a.ID}
}

func parseKey(c listing.Cursor) (time.Time, string, error) {
	if c == nil {
		return time.Time{}, "", nil
	}
	if len(c) != 2 || !identifiers.IsUUID(c[1]) {
		return time.Time{}, "", listing.ErrBadRequest
	}
	t, err := time.Parse(time.RFC3339Nano, c[0])
	if err != nil {
		return time.Time{}, "", listing.ErrBadRequest
	}
	return t, c[1], nil
}

// Store reads the applications and records decisions on them.
type Store struct {
	DB database.DB
}

// Queue is one page of applications, oldest first, fetched by keyset (r.Limit() rows; cut
// them with listing.Cut and Key).
func (s Store) Queue(ctx context.Context, f Filter, r listing.Request) ([]Application, error) {
	at, id, err := parseKey(r.Cursor())
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(true, r)
	rows, err := s.DB.Query(ctx, `SELECT `+columns+` `+from+`
		WHERE ($1 = '' OR a.status = $1) AND ($2 = '' OR a.course_identifier = $2)
		  AND ($3 = '' OR a.full_name ILIKE $3 OR a.email ILIKE $3 OR a.trn = $4)
		  AND ($5::timestamptz IS NULL OR (a.dfe_created_at, a.id) `+cmp+` ($5, $6::uuid))
		ORDER BY a.dfe_created_at `+dir+`, a.id `+dir+` LIMIT $7`,
		string(f.Status), f.Course, database.Contains(f.Query), f.Query, nullTime(at), nullUUID(id), r.Limit())
	if err != nil {
		return nil, fmt.Errorf("applications: queue: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) { return scan(r) })
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullUUID(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ByID returns an application; an id that is not a UUID is not found.
func (s Store) ByID(ctx context.Context, id string) (Application, error) {
	if !identifiers.IsUUID(id) {
		return Application{}, database.ErrNotFound
	}
	a, err := scan(s.DB.QueryRow(ctx, `SELECT `+columns+` `+from+` WHERE a.id = $1`, id))
	if database.IsNoRows(err) {
		return a, database.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("applications: %s: %w", id, err)
	}
	return a, nil
}

// CohortChoice is one of our cohorts an application may be accepted into.
type CohortChoice struct {
	ID          int64
	Name        string
	PartnerName string
	Schedule    string
	StartsOn    time.Time
	// Suggested is set on cohorts of the application's course that start in its DfE cohort's
	// year.
	Suggested bool
}

// CohortChoices lists the cohorts of an application's course that have not ended, the
// suggested ones (starting in the DfE cohort's year) first.
func (s Store) CohortChoices(ctx context.Context, a Application, today time.Time) ([]CohortChoice, error) {
	rows, err := s.DB.Query(ctx, `SELECT h.id, h.name, p.name, h.schedule_identifier, h.starts_on,
			to_char(h.starts_on, 'YYYY') = left($2, 4)
		FROM cohorts h JOIN courses c ON c.id = h.course_id JOIN qualifications q ON q.code = c.qualification_code
		JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE q.course_identifier = $1 AND h.study_ends_on >= $3
		ORDER BY 6 DESC, h.starts_on, h.name`, a.Course, a.Cohort, today)
	if err != nil {
		return nil, fmt.Errorf("applications: cohorts for %s: %w", a.ID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CohortChoice, error) {
		var c CohortChoice
		return c, r.Scan(&c.ID, &c.Name, &c.PartnerName, &c.Schedule, &c.StartsOn, &c.Suggested)
	})
}
