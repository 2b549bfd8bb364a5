// Package notify sends messages: every message is written to the outbox table, and a
// sender delivers it by SMTP when SMTP is configured.
package notify

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
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
	// PartnerID is the delivery partner whose work the message is about (its staff may see
	// that it was sent), or 0.
	PartnerID int64
	// StaffMessageID is the staff message this is one copy of, or 0.
	StaffMessageID int64
}

// Enqueue writes msg to the outbox, in the caller's transaction when db is one, so a message
// exists exactly when the change it reports does.
func Enqueue(ctx context.Context, db database.DB, msg Message) error {
	if _, err := db.Exec(ctx, `INSERT INTO outbox (to_address, to_name, subject, body, attachment_name, attachment_type, attachment,
		delivery_partner_id, staff_message_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		msg.ToAddress, msg.ToName, msg.Subject, msg.Body, msg.AttachmentName, msg.AttachmentType, msg.Attachment,
		database.NullID(msg.PartnerID), database.NullID(msg.StaffMessageID)); err != nil {
		return fmt.Errorf("notify: enqueue %q: %w", msg.Subject, err)
	}
	return nil
}

// EnqueueAll writes many messages to the outbox in one statement, in the caller's
// transaction when db is one.
func EnqueueAll(ctx context.Context, db database.DB, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	cols := make([][]string, 7)
	var partners, staff []*int64
	for _, m := range msgs {
		for i, v := range []string{m.ToAddress, m.ToName, m.Subject, m.Body, m.AttachmentName, m.AttachmentType, m.Attachment} {
			cols[i] = append(cols[i], v)
		}
		partners = append(partners, database.NullID(m.PartnerID))
		staff = append(staff, database.NullID(m.StaffMessageID))
	}
	if _, err := db.Exec(ctx, `INSERT INTO outbox (to_address, to_name, subject, body, attachment_name, attachment_type, attachment,
		delivery_partner_id, staff_message_id)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])`,
		cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], partners, staff); err != nil {
		return fmt.Errorf("notify: enqueue %d messages: %w", len(msgs), err)
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
	Attempts  int
}

// Delivery is where a message stands, as the outbox list filters it.
type Delivery string

// The deliveries a message can be in.
const (
	DeliveryQueued Delivery = "queued" // not sent, and no attempt has failed
	DeliverySent   Delivery = "sent"
	DeliveryFailed Delivery = "failed" // not sent, and the last attempt failed (it may be retried)
)

// Deliveries are the deliveries in the order a filter offers them.
var Deliveries = []Delivery{DeliveryQueued, DeliverySent, DeliveryFailed}

// Label is how a delivery is written.
func (d Delivery) Label() string {
	switch d {
	case DeliveryQueued:
		return "Queued"
	case DeliverySent:
		return "Sent"
	case DeliveryFailed:
		return "Failed"
	}
	return "Any"
}

// ParseDelivery reads a delivery from an address: "" is any, and anything unknown is false.
func ParseDelivery(v string) (Delivery, bool) {
	if v == "" {
		return "", true
	}
	for _, d := range Deliveries {
		if string(d) == v {
			return d, true
		}
	}
	return "", false
}

// Delivery is where the message stands.
func (e OutboxEntry) Delivery() Delivery {
	switch {
	case e.SentAt != nil:
		return DeliverySent
	case e.LastError != "":
		return DeliveryFailed
	}
	return DeliveryQueued
}

// GaveUp reports whether delivery was tried MaxAttempts times and will not be tried again.
func (e OutboxEntry) GaveUp() bool { return e.SentAt == nil && e.Attempts >= MaxAttempts }

// OutboxFilter narrows the outbox list; its zero value lists every message.
type OutboxFilter struct {
	Query    string // in the recipient's address or name, or the subject
	Delivery Delivery
}

// OutboxKey is a message's position in the outbox list: when it was written, and its id.
func OutboxKey(e OutboxEntry) listing.Cursor {
	return listing.TimeKey(e.CreatedAt, e.ID)
}

// deliveryCondition is the SQL condition of a delivery.
func deliveryCondition(d Delivery) string {
	switch d {
	case DeliveryQueued:
		return "sent_at IS NULL AND last_error = ''"
	case DeliverySent:
		return "sent_at IS NOT NULL"
	case DeliveryFailed:
		return "sent_at IS NULL AND last_error <> ''"
	}
	return "true"
}

// OutboxPage returns a page of the messages that pass f, newest first, in the query's order
// for listing.Cut.
func OutboxPage(ctx context.Context, db database.DB, f OutboxFilter, req listing.Request) ([]OutboxEntry, error) {
	at, id, err := req.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(false, req)
	var w database.Conds
	w.Where(deliveryCondition(f.Delivery))
	if f.Query != "" {
		w.Search("(to_address ILIKE $? OR to_name ILIKE $? OR subject ILIKE $?)", database.Contains(f.Query))
	}
	if id != 0 {
		w.Where("(created_at, id) " + cmp + " (" + w.Arg(at) + ", " + w.Arg(id) + ")")
	}
	rows, err := db.Query(ctx, `
		SELECT id, to_address, to_name, subject, body, created_at, sent_at, last_error, attempts
		FROM outbox
		WHERE `+w.SQL()+`
		ORDER BY created_at `+dir+`, id `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("notify: outbox: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxEntry, error) {
		var e OutboxEntry
		return e, r.Scan(&e.ID, &e.Message.ToAddress, &e.Message.ToName, &e.Message.Subject, &e.Message.Body,
			&e.CreatedAt, &e.SentAt, &e.LastError, &e.Attempts)
	})
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
