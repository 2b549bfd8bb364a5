// Package notify sends messages: every message is written to the outbox table, and a
// sender delivers it by SMTP when SMTP is configured.
package notify

import (
	"context"
	"fmt"
	"time"

	"npq/internal/database"
)

// Message is one email.
type Message struct {
	ToAddress string
	ToName    string
	Subject   string
	Body      string
	// An optional attachment, such as a calendar entry.
	AttachmentName string
	AttachmentType string
	Attachment     string
}

// Enqueue writes msg to the outbox, in the caller's transaction when db is one, so a message
// exists exactly when the change it reports does.
func Enqueue(ctx context.Context, db database.DB, msg Message) error {
	if _, err := db.Exec(ctx, `INSERT INTO outbox (to_address, to_name, subject, body, attachment_name, attachment_type, attachment)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		msg.ToAddress, msg.ToName, msg.Subject, msg.Body, msg.AttachmentName, msg.AttachmentType, msg.Attachment); err != nil {
		return fmt.Errorf("notify: enqueue %q: %w", msg.Subject, err)
	}
	return nil
}

// OutboxEntry is a message as stored.
type OutboxEntry struct {
	ID        int64
	Message   Message
	CreatedAt time.Time
	SentAt    *time.Time
	LastError string
}

// OutboxPageSize is how many messages one page of the outbox shows.
const OutboxPageSize = 50

// Outbox returns one page of messages, newest first, and the total number of messages.
func Outbox(ctx context.Context, db database.DB, page int) ([]OutboxEntry, int, error) {
	if page < 1 {
		page = 1
	}
	var total int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("notify: count outbox: %w", err)
	}
	rows, err := db.Query(ctx, `
		SELECT id, to_address, to_name, subject, body, created_at, sent_at, last_error
		FROM outbox ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
		OutboxPageSize, (page-1)*OutboxPageSize)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		if err := rows.Scan(&e.ID, &e.Message.ToAddress, &e.Message.ToName, &e.Message.Subject, &e.Message.Body,
			&e.CreatedAt, &e.SentAt, &e.LastError); err != nil {
			return nil, 0, fmt.Errorf("notify: outbox: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// OutboxEntryByID returns one message.
func OutboxEntryByID(ctx context.Context, db database.DB, id int64) (OutboxEntry, error) {
	var e OutboxEntry
	err := db.QueryRow(ctx, `
		SELECT id, to_address, to_name, subject, body, created_at, sent_at, last_error, attachment_name, attachment_type, attachment
		FROM outbox WHERE id = $1`, id).
		Scan(&e.ID, &e.Message.ToAddress, &e.Message.ToName, &e.Message.Subject, &e.Message.Body,
			&e.CreatedAt, &e.SentAt, &e.LastError, &e.Message.AttachmentName, &e.Message.AttachmentType, &e.Message.Attachment)
	if err != nil {
		if database.IsNoRows(err) {
			return e, database.ErrNotFound
		}
		return e, fmt.Errorf("notify: outbox entry %d: %w", id, err)
	}
	return e, nil
}
