package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe/identifiers"
	"npq/internal/dfe/statuses"
	"npq/internal/listing"
)

// Row is a mismatch with whom it concerns.
type Row struct {
	ID            int64
	ParticipantID string
	Course        string // DfE's course identifier
	EnrolmentID   int64  // 0 when no enrolment carries the participant
	DeclarationID int64  // our declaration, when the mismatch is about one of ours
	Name          string // ours, or DfE's when no enrolment carries the participant
	CourseName    string // our course's name; "" without an enrolment
	Cohort        string // our cohort's name; "" without an enrolment
	Kind          Kind
	Subject       string
	Ours, Theirs  string
	Action        string
	FirstFoundAt  time.Time
}

const rowColumns = `m.id, m.participant_id::text, m.course_identifier, coalesce(m.enrolment_id, 0), coalesce(m.declaration_id, 0),
	coalesce(u.name, p.full_name, ''), coalesce(c.name, ''), coalesce(h.name, ''), m.kind, m.subject, m.ours, m.theirs,
	m.action, m.first_found_at`

const rowFrom = `FROM dfe_mismatches m LEFT JOIN enrolments e ON e.id = m.enrolment_id LEFT JOIN users u ON u.id = e.user_id
	LEFT JOIN cohorts h ON h.id = e.cohort_id LEFT JOIN courses c ON c.id = h.course_id
	LEFT JOIN dfe_participants p ON p.participant_id = m.participant_id AND p.course_identifier = m.course_identifier`

func scanRow(r pgx.CollectableRow) (Row, error) {
	var m Row
	err := r.Scan(&m.ID, &m.ParticipantID, &m.Course, &m.EnrolmentID, &m.DeclarationID, &m.Name, &m.CourseName, &m.Cohort, &m.Kind, &m.Subject,
		&m.Ours, &m.Theirs, &m.Action, &m.FirstFoundAt)
	return m, err
}

// Filter narrows the mismatches: a kind ("" for any) and a search of the participant's name,
// email address or DfE participant id.
type Filter struct {
	Kind  Kind
	Query string
}

// Key is a mismatch's position in the list: oldest first found first.
func Key(m Row) listing.Cursor { return listing.TimeKey(m.FirstFoundAt, m.ID) }

// Store reads the mismatches.
type Store struct{ DB database.DB }

// Checked says when the last reconciliation ran and how many mismatches it left (zero time
// when none has run).
type Checked struct {
	At    time.Time
	Count int
}

// List is one page of mismatches, oldest first found first, fetched by keyset (r.Limit()
// rows; cut them with listing.Cut and Key), with when the last reconciliation ran: one round
// trip.
func (s Store) List(ctx context.Context, f Filter, r listing.Request) ([]Row, Checked, error) {
	at, id, err := r.Cursor().TimeID()
	if err != nil {
		return nil, Checked{}, err
	}
	cmp, dir := listing.Seek(true, r)
	var w database.Conds
	if f.Kind != "" {
		w.Where("m.kind = " + database.Literal(string(f.Kind)))
	}
	if f.Query != "" {
		like := w.Arg(database.Contains(f.Query))
		w.Where("(u.name ILIKE " + like + " OR u.email ILIKE " + like + " OR p.full_name ILIKE " + like +
			" OR m.participant_id::text = " + w.Arg(f.Query) + ")")
	}
	if id != 0 {
		w.Where("(m.first_found_at, m.id) " + cmp + " (" + w.Arg(at) + ", " + w.Arg(id) + ")")
	}
	var rows []Row
	var checked Checked
	b := &pgx.Batch{}
	b.Queue(`SELECT `+rowColumns+` `+rowFrom+` WHERE `+w.SQL()+`
		ORDER BY m.first_found_at `+dir+`, m.id `+dir+` LIMIT `+strconv.Itoa(r.Limit()), w.Args...).Query(func(rs pgx.Rows) error {
		rows, err = pgx.CollectRows(rs, scanRow)
		return err
	})
	b.Queue(`SELECT (SELECT ran_at FROM dfe_sync_state WHERE list = 'reconciled'), (SELECT count(*) FROM dfe_mismatches)`).QueryRow(func(r pgx.Row) error {
		var at *time.Time
		err := r.Scan(&at, &checked.Count)
		if at != nil {
			checked.At = *at
		}
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, Checked{}, fmt.Errorf("reconcile: list: %w", err)
	}
	return rows, checked, nil
}

// Enrolment is one enrolment's record with DfE: DfE's copy of it, the declarations we hold
// for it with DfE's state of each, and what differs.
type Enrolment struct {
	IDs            identifiers.EnrolmentIDs
	Known          bool // DfE's participants have been read and list this one
	TrainingStatus string
	Schedule       string
	Cohort         string
	SyncedAt       time.Time
	Declarations   []EnrolmentDeclaration
	StatusChanges  []statuses.StatusChange // newest first
	Mismatches     []Row
}

// EnrolmentDeclaration is one of our declarations for an enrolment.
type EnrolmentDeclaration struct {
	ID       int64
	Type     string
	Date     time.Time
	State    string // ours: due, sent, failed, voided
	DfEState string // "" until DfE holds it
	Error    string // DfE's reason, when it refused it
}

// ForEnrolment returns an enrolment's record with DfE, with its DfE identifiers, in one
// round trip.
func (s Store) ForEnrolment(ctx context.Context, enrolmentID int64) (Enrolment, error) {
	var e Enrolment
	b := &pgx.Batch{}
	identifiers.QueueForEnrolment(b, enrolmentID, &e.IDs)
	statuses.QueueForEnrolment(b, enrolmentID, &e.StatusChanges)
	b.Queue(`SELECT p.training_status, p.schedule_identifier, p.cohort, p.synced_at
		FROM enrolments e JOIN users u ON u.id = e.user_id
		JOIN dfe_participants p ON p.participant_id = u.dfe_participant_id AND p.course_identifier = e.dfe_course_identifier
		WHERE e.id = $1`, enrolmentID).QueryRow(func(r pgx.Row) error {
		err := r.Scan(&e.TrainingStatus, &e.Schedule, &e.Cohort, &e.SyncedAt)
		if database.IsNoRows(err) {
			return nil
		}
		e.Known = err == nil
		return err
	})
	b.Queue(`SELECT id, declaration_type, declaration_date, state, dfe_state, error FROM dfe_declarations
		WHERE enrolment_id = $1 ORDER BY declaration_date, id`, enrolmentID).Query(func(rs pgx.Rows) error {
		var err error
		e.Declarations, err = pgx.CollectRows(rs, pgx.RowToStructByPos[EnrolmentDeclaration])
		return err
	})
	b.Queue(`SELECT `+rowColumns+` `+rowFrom+` WHERE m.enrolment_id = $1 ORDER BY m.first_found_at, m.id`, enrolmentID).Query(func(rs pgx.Rows) error {
		var err error
		e.Mismatches, err = pgx.CollectRows(rs, scanRow)
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		if errors.Is(err, database.ErrNotFound) {
			return e, err
		}
		return e, fmt.Errorf("reconcile: enrolment %d: %w", enrolmentID, err)
	}
	return e, nil
}
