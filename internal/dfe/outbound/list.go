package outbound

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe/declarations"
	"npq/internal/listing"
)

// Declaration is one row of dfe_declarations with who and what it is for.
type Declaration struct {
	ID              int64
	EnrolmentID     int64
	Name, Email     string
	TRN             string
	Course          string // our course's name
	DfECourse       string // DfE's course identifier
	Cohort          string // our cohort's name
	DfECohort       string
	Schedule        string
	Type            declarations.Type
	DeclarationDate time.Time
	HasPassed       *bool
	RuleVersion     string
	Evidence        []string
	Why             string
	State           State
	DfEID           string
	DfEState        string
	MatchedExisting bool
	Error           string
	Attempts        int
	CreatedAt       time.Time
	LastAttemptAt   *time.Time
	SentAt          *time.Time
	VoidedAt        *time.Time
	VoidedBy        string
	VoidReason      string
	// NextCutOff and PaymentDate are the next statement of the DfE cohort a due declaration
	// would join if sent today, when DfE's statements have been read.
	NextCutOff  *time.Time
	PaymentDate *time.Time
}

const columns = `d.id, d.enrolment_id, u.name, u.email, coalesce(u.trn, ''), c.name, coalesce(e.dfe_course_identifier, ''), h.name,
	coalesce(e.dfe_cohort, ''), coalesce(e.dfe_schedule_identifier, h.schedule_identifier), d.declaration_type, d.declaration_date,
	d.has_passed, d.rule_version, d.evidence, d.why, d.state, coalesce(d.dfe_id::text, ''), d.dfe_state, d.matched_existing,
	d.error, d.attempts, d.created_at, d.last_attempt_at, d.sent_at, d.voided_at, coalesce(v.name, ''), d.void_reason,
	st.cut_off_date, st.payment_date`

const from = `FROM dfe_declarations d JOIN enrolments e ON e.id = d.enrolment_id JOIN users u ON u.id = e.user_id
	JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id LEFT JOIN users v ON v.id = d.voided_by
	LEFT JOIN LATERAL (SELECT s.cut_off_date, s.payment_date FROM dfe_statements s
		WHERE s.cohort = left(e.dfe_cohort, 4) AND s.cut_off_date >= $1::date ORDER BY s.cut_off_date LIMIT 1) st ON d.state = 'due'`

func scan(r pgx.Row) (Declaration, error) {
	var d Declaration
	err := r.Scan(&d.ID, &d.EnrolmentID, &d.Name, &d.Email, &d.TRN, &d.Course, &d.DfECourse, &d.Cohort, &d.DfECohort, &d.Schedule,
		&d.Type, &d.DeclarationDate, &d.HasPassed, &d.RuleVersion, &d.Evidence, &d.Why, &d.State, &d.DfEID, &d.DfEState,
		&d.MatchedExisting, &d.Error, &d.Attempts, &d.CreatedAt, &d.LastAttemptAt, &d.SentAt, &d.VoidedAt, &d.VoidedBy, &d.VoidReason,
		&d.NextCutOff, &d.PaymentDate)
	return d, err
}

// Types are the declaration types a list filter offers, in order.
var Types = []declarations.Type{declarations.Started, declarations.Retained1, declarations.Retained2, declarations.Completed}

// ParseType reads the list's ?type=: "" is every type.
func ParseType(v string) (declarations.Type, bool) {
	t := declarations.Type(v)
	return t, v == "" || slices.Contains(Types, t)
}

// Filter narrows the list: a state, a type ("" for any) and a search of the participant's
// name, email address and TRN.
type Filter struct {
	State State
	Type  declarations.Type
	Query string
}

// Key is a declaration's position in the list: declaration date, oldest first.
func Key(d Declaration) listing.Cursor { return listing.TimeKey(d.DeclarationDate, d.ID) }

// Store reads the declarations and records admins' decisions on them.
type Store struct {
	DB database.DB
}

// List is one page of declarations in a state, oldest declaration date first, fetched by
// keyset (r.Limit() rows; cut them with listing.Cut and Key); today picks the next statement.
// The statement holds only the filters chosen (see database.Conds).
func (s Store) List(ctx context.Context, f Filter, r listing.Request, today time.Time) ([]Declaration, error) {
	at, id, err := r.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(true, r)
	var w database.Conds
	w.Arg(today) // $1, the next statement's cut-off in from
	w.Where("d.state = " + database.Literal(string(f.State)))
	if f.Type != "" {
		w.Add("d.declaration_type = $?", string(f.Type))
	}
	if f.Query != "" {
		trn := w.Arg(f.Query)
		w.Search("(u.name ILIKE $? OR u.email ILIKE $? OR u.trn = "+trn+")", database.Contains(f.Query))
	}
	if id != 0 {
		w.Where("(d.declaration_date, d.id) " + cmp + " (" + w.Arg(at) + ", " + w.Arg(id) + ")")
	}
	rows, err := s.DB.Query(ctx, `SELECT `+columns+` `+from+`
		WHERE `+w.SQL()+`
		ORDER BY d.declaration_date `+dir+`, d.id `+dir+` LIMIT `+strconv.Itoa(r.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("outbound: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Declaration, error) { return scan(r) })
}

// ByID returns one declaration; today picks the next statement.
func (s Store) ByID(ctx context.Context, id int64, today time.Time) (Declaration, error) {
	d, err := scan(s.DB.QueryRow(ctx, `SELECT `+columns+` `+from+` WHERE d.id = $2`, today, id))
	if database.IsNoRows(err) {
		return d, database.ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("outbound: declaration %d: %w", id, err)
	}
	return d, nil
}
