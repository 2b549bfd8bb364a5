package personaldata

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/problem"
)

// Request is a person's request about their personal data.
type Request struct {
	ID          int64
	UserID      int64
	Name, Email string
	Kind        string
	ReceivedOn  time.Time
	DueOn       time.Time
	Note        string
	CreatedAt   time.Time
	ExportedAt  *time.Time
	CompletedAt *time.Time
}

// Overdue reports whether the request is still open after its due date.
func (r Request) Overdue(today time.Time) bool { return r.CompletedAt == nil && today.After(r.DueOn) }

// NewRequest is a request as an admin logs it.
type NewRequest struct {
	Email      string
	ReceivedOn time.Time // zero when the form's date could not be read
	Note       string
}

// Check applies the rules for logging a request received by today.
func (n NewRequest) Check(today time.Time) problem.Problems {
	var p problem.Problems
	if n.Email == "" {
		p.Add("email", "Enter the email address of the person's account")
	}
	if !n.ReceivedOn.IsZero() && n.ReceivedOn.After(today) {
		p.Add("received-day", "The date received must be today or in the past")
	}
	if !n.ReceivedOn.IsZero() && n.ReceivedOn.Before(today.AddDate(-1, 0, 0)) {
		p.Add("received-day", "The date received must be within the last year")
	}
	p.MaxLength("note", "Note", n.Note, 2000)
	return p
}

const requestColumns = `d.id, d.user_id, u.name, u.email, d.kind, d.received_on, d.due_on, d.note, d.created_at, d.exported_at, d.completed_at`

func scanRequest(r pgx.Row) (Request, error) {
	var q Request
	err := r.Scan(&q.ID, &q.UserID, &q.Name, &q.Email, &q.Kind, &q.ReceivedOn, &q.DueOn, &q.Note, &q.CreatedAt, &q.ExportedAt, &q.CompletedAt)
	return q, err
}

// Log records a subject access request for the account with the email, due a month after it
// was received.
func (s Store) Log(ctx context.Context, n NewRequest, actorID int64) (int64, error) {
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, strings.ToLower(n.Email)).Scan(&userID)
		if database.IsNoRows(err) {
			return problem.Problem{Field: "email", Message: "No account has this email address: check it, or search for the person under Participants"}
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO data_requests (user_id, kind, received_on, due_on, note, logged_by)
			VALUES ($1, 'access', $2, $3, $4, $5) RETURNING id`, userID, n.ReceivedOn, DueOn(n.ReceivedOn), n.Note, database.NullID(actorID)).Scan(&id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "data_request.logged", fmt.Sprintf("user:%d", userID), map[string]any{"request": id})
	})
	return id, err
}

// Requests lists the open requests, soonest due first, then the latest 50 completed ones.
func (s Store) Requests(ctx context.Context) ([]Request, error) {
	rows, err := s.DB.Query(ctx, `(SELECT `+requestColumns+` FROM data_requests d JOIN users u ON u.id = d.user_id
		  WHERE d.completed_at IS NULL ORDER BY d.due_on, d.id)
		UNION ALL
		(SELECT `+requestColumns+` FROM data_requests d JOIN users u ON u.id = d.user_id
		  WHERE d.completed_at IS NOT NULL ORDER BY d.completed_at DESC, d.id DESC LIMIT 50)`)
	if err != nil {
		return nil, fmt.Errorf("personal data: requests: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) { return scanRequest(r) })
}

// RequestByID reads one request; database.ErrNotFound if there is none.
func (s Store) RequestByID(ctx context.Context, id int64) (Request, error) {
	q, err := scanRequest(s.DB.QueryRow(ctx, `SELECT `+requestColumns+` FROM data_requests d JOIN users u ON u.id = d.user_id WHERE d.id = $1`, id))
	if database.IsNoRows(err) {
		return q, database.ErrNotFound
	}
	return q, err
}

// Exported records that an admin downloaded a request's export.
func (s Store) Exported(ctx context.Context, q Request, actorID int64, now time.Time) error {
	b := &pgx.Batch{}
	if err := queueExported(ctx, b, q, actorID, now); err != nil {
		return err
	}
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("personal data: exported %d: %w", q.ID, err)
	}
	return nil
}

// queueExported queues on b the record of an export's download and its audit entry; a batch
// runs in one implicit transaction.
func queueExported(ctx context.Context, b *pgx.Batch, q Request, actorID int64, now time.Time) error {
	b.Queue(`UPDATE data_requests SET exported_at = coalesce(exported_at, $2) WHERE id = $1`, q.ID, now)
	return audit.Queue(ctx, b, actorID, "data_request.exported", fmt.Sprintf("user:%d", q.UserID), map[string]any{"request": q.ID})
}

// Complete records that a request was answered. Completing it again changes nothing.
func (s Store) Complete(ctx context.Context, id, actorID int64, now time.Time) error {
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `UPDATE data_requests SET completed_at = $2, completed_by = $3 WHERE id = $1 AND completed_at IS NULL RETURNING user_id`,
			id, now, database.NullID(actorID)).Scan(&userID)
		if database.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "data_request.completed", fmt.Sprintf("user:%d", userID), map[string]any{"request": id})
	})
}
