package statuses

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/problem"
)

// StatusChange is one row of dfe_status_changes with who it is for.
type StatusChange struct {
	ID                int64
	EnrolmentID       int64
	RequestID         int64 // 0 for a reinstatement
	Name, Email       string
	Course            string // our course's name
	DfECourse         string // DfE's course identifier
	Cohort            string // our cohort's name
	DfECohort         string
	Action            Action
	Reason            string // DfE's reason code ("" for a resume)
	EffectiveOn       time.Time
	State             State
	DfETrainingStatus string
	Error             string
	Attempts          int
	CreatedAt         time.Time
	LastAttemptAt     *time.Time
	SentAt            *time.Time
}

// ReasonLabel is the change's reason in words ("" for a resume).
func (c StatusChange) ReasonLabel() string { return ReasonLabel(c.Action, c.Reason) }

const columns = `c.id, c.enrolment_id, coalesce(c.request_id, 0), u.name, u.email, co.name, coalesce(e.dfe_course_identifier, ''), h.name,
	coalesce(e.dfe_cohort, ''), c.action, c.reason, c.effective_on, c.state, c.dfe_training_status, c.error, c.attempts,
	c.created_at, c.last_attempt_at, c.sent_at`

const from = `FROM dfe_status_changes c JOIN enrolments e ON e.id = c.enrolment_id JOIN users u ON u.id = e.user_id
	JOIN cohorts h ON h.id = e.cohort_id JOIN courses co ON co.id = h.course_id`

func scan(r pgx.CollectableRow) (StatusChange, error) {
	var c StatusChange
	err := r.Scan(&c.ID, &c.EnrolmentID, &c.RequestID, &c.Name, &c.Email, &c.Course, &c.DfECourse, &c.Cohort, &c.DfECohort,
		&c.Action, &c.Reason, &c.EffectiveOn, &c.State, &c.DfETrainingStatus, &c.Error, &c.Attempts, &c.CreatedAt, &c.LastAttemptAt, &c.SentAt)
	return c, err
}

// Filter narrows the list: a state and a search of the participant's name, email address and
// TRN.
type Filter struct {
	State State
	Query string
}

// Key is a change's position in the list: effective date, oldest first.
func Key(c StatusChange) listing.Cursor { return listing.TimeKey(c.EffectiveOn, c.ID) }

// Store reads the status changes and records admins' requests to send refused ones again.
type Store struct {
	DB database.DB
}

// List is one page of status changes in a state, oldest effective date first, fetched by
// keyset (r.Limit() rows; cut them with listing.Cut and Key). The statement holds only the
// filters chosen.
func (s Store) List(ctx context.Context, f Filter, r listing.Request) ([]StatusChange, error) {
	at, id, err := r.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(true, r)
	var w database.Conds
	w.Where("c.state = " + database.Literal(string(f.State)))
	if f.Query != "" {
		trn := w.Arg(f.Query)
		w.Search("(u.name ILIKE $? OR u.email ILIKE $? OR u.trn = "+trn+")", database.Contains(f.Query))
	}
	if id != 0 {
		w.Where("(c.effective_on, c.id) " + cmp + " (" + w.Arg(at) + "::date, " + w.Arg(id) + ")")
	}
	rows, err := s.DB.Query(ctx, `SELECT `+columns+` `+from+`
		WHERE `+w.SQL()+`
		ORDER BY c.effective_on `+dir+`, c.id `+dir+` LIMIT `+strconv.Itoa(r.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("statuses: list: %w", err)
	}
	return pgx.CollectRows(rows, scan)
}

// ForEnrolment returns an enrolment's status changes, newest first.
func (s Store) ForEnrolment(ctx context.Context, enrolmentID int64) ([]StatusChange, error) {
	var out []StatusChange
	b := &pgx.Batch{}
	QueueForEnrolment(b, enrolmentID, &out)
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	return out, nil
}

// QueueForEnrolment queues in b the read of an enrolment's status changes, newest first,
// into out, for a page that reads them with other things in one round trip.
func QueueForEnrolment(b *pgx.Batch, enrolmentID int64, out *[]StatusChange) {
	b.Queue(`SELECT `+columns+` `+from+`
		WHERE c.enrolment_id = $1 ORDER BY c.effective_on DESC, c.id DESC`, enrolmentID).Query(func(rows pgx.Rows) error {
		var err error
		if *out, err = pgx.CollectRows(rows, scan); err != nil {
			return fmt.Errorf("statuses: changes of enrolment %d: %w", enrolmentID, err)
		}
		return nil
	})
}

// Resend makes a change DfE refused due again, at an admin's request (after the cause was
// put right at DfE or here), audited in the same transaction; the next run of the
// declarations job sends it. A change that is not refused is left as it is, so a double
// click does nothing more.
func (s Store) Resend(ctx context.Context, id, actorID int64, now time.Time) (StatusChange, error) {
	var c StatusChange
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+columns+` `+from+` WHERE c.id = $1 FOR UPDATE OF c`, id)
		if err != nil {
			return err
		}
		c, err = pgx.CollectExactlyOneRow(rows, scan)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if c.State != StateFailed {
			return problem.New("Only a change DfE refused can be sent again")
		}
		if _, err := tx.Exec(ctx, `UPDATE dfe_status_changes SET state = 'due', error = '' WHERE id = $1`, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "dfe.status_change_resent", fmt.Sprintf("enrolment:%d", c.EnrolmentID),
			map[string]any{"status_change_id": id, "action": string(c.Action), "reason": c.Reason, "dfe_error": c.Error,
				"effective_on": c.EffectiveOn.Format(time.DateOnly), "at": now.UTC().Format(time.RFC3339)})
	})
	if err != nil {
		return c, fmt.Errorf("statuses: send %d again: %w", id, err)
	}
	return c, nil
}
