// Package messages sends what partner staff and admins write to a chosen group of
// participants: one email per person through the outbox, sent once however often the form is
// submitted, and never to anyone outside the sender's scope.
package messages

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/problem"
	"npq/internal/scope"
	"npq/internal/wording"
)

// Limits of a message.
const (
	MaxSubject    = 150
	MaxBody       = 5000
	MaxRecipients = 500
)

// Draft is a message as the compose form sends it.
type Draft struct {
	Key     string // the form's own key, so one form sends once
	To      []int64
	Subject string
	Body    string
}

// NewKey is a fresh key for a compose form.
func NewKey() string {
	b := make([]byte, 16)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// Check finds what is wrong with a draft, keyed by the form's fields: "to", "subject" and
// "body". A missing or malformed key is "key", which no field shows: the form was not ours.
func (d Draft) Check() problem.Problems {
	var ps problem.Problems
	switch {
	case len(d.To) == 0:
		ps.Add("to", "Choose at least one person to send the message to")
	case len(d.To) > MaxRecipients:
		ps.Add("to", "A message can go to at most "+strconv.Itoa(MaxRecipients)+" people at once")
	}
	ps.Required("subject", d.Subject, "Enter a subject")
	ps.MaxLength("subject", "Subject", d.Subject, MaxSubject)
	if strings.ContainsAny(d.Subject, "\r\n") {
		ps.Add("subject", "Subject must be one line")
	}
	ps.Required("body", d.Body, "Enter the message")
	ps.MaxLength("body", "Message", d.Body, MaxBody)
	if len(d.Key) != 32 || strings.Trim(d.Key, "0123456789abcdef") != "" {
		ps.Add("key", "The form could not be read. Go back and start the message again.")
	}
	return ps
}

// Recipient is a participant a message can go to.
type Recipient struct {
	UserID      int64
	Name, Email string
}

// Store sends messages.
type Store struct {
	DB      database.DB
	BaseURL string
	// ProviderName signs admins' messages.
	ProviderName string
}

// recipientsSQL finds the participants among $1 that the scope ($2 every partner, $3 the
// partner) may message: partner staff only those with an enrolment with their partner.
const recipientsSQL = `
	SELECT u.id, u.name, u.email FROM users u
	WHERE u.id = ANY($1) AND u.role = 'participant' AND ($2 OR EXISTS (
		SELECT 1 FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id
		WHERE e.user_id = u.id AND h.delivery_partner_id = $3))
	ORDER BY u.name, u.id`

// Recipients returns the people among ids that sc may message, by name. Ids outside the scope
// (another partner's participants, staff, unknown ids) are left out: compare the lengths.
func (s Store) Recipients(ctx context.Context, ids []int64, sc scope.Scope) ([]Recipient, error) {
	return recipients(ctx, s.DB, ids, sc)
}

func recipients(ctx context.Context, db database.DB, ids []int64, sc scope.Scope) ([]Recipient, error) {
	rows, err := db.Query(ctx, recipientsSQL, ids, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("messages: recipients: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Recipient, error) {
		var p Recipient
		return p, r.Scan(&p.UserID, &p.Name, &p.Email)
	})
}

// Sender is who sends a message.
type Sender struct {
	UserID int64
	Name   string
}

// Result is what a send did.
type Result struct {
	Recipients int
	// AlreadySent says the form's key had been used: this is a repeat, and nothing more was
	// sent.
	AlreadySent bool
}

// ErrOutOfScope is the refusal when a draft names someone the sender may not message.
var ErrOutOfScope = problem.Problem{Field: "to",
	Message: "Some of the people chosen cannot be messaged by you, so nothing was sent. Start again from your list."}

// Send checks d and sends it to each recipient through the outbox, in one transaction with an
// audit entry. A draft whose key was used before sends nothing and reports AlreadySent; one
// naming anyone outside sc sends nothing and returns ErrOutOfScope.
func (s Store) Send(ctx context.Context, d Draft, from Sender, sc scope.Scope) (Result, error) {
	if ps := d.Check(); len(ps) > 0 {
		return Result{}, ps[0]
	}
	var res Result
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO staff_messages (send_key, sender_id, delivery_partner_id, subject, body, recipients)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (send_key) DO NOTHING RETURNING id`,
			d.Key, from.UserID, database.NullID(sc.PartnerID()), d.Subject, d.Body, len(d.To)).Scan(&id)
		if database.IsNoRows(err) {
			res.AlreadySent = true
			return tx.QueryRow(ctx, `SELECT recipients FROM staff_messages WHERE send_key = $1`, d.Key).Scan(&res.Recipients)
		}
		if err != nil {
			return err
		}
		people, err := recipients(ctx, tx, d.To, sc)
		if err != nil {
			return err
		}
		if len(people) != len(d.To) {
			return ErrOutOfScope
		}
		org, err := s.organisation(ctx, tx, sc)
		if err != nil {
			return err
		}
		mail := make([]notify.Message, 0, len(people))
		for _, p := range people {
			text, err := wording.StaffMessageEmail(wording.StaffMessage{Name: p.Name, Subject: d.Subject, Body: d.Body,
				SenderName: from.Name, From: org, BaseURL: s.BaseURL})
			if err != nil {
				return err
			}
			mail = append(mail, notify.Message{ToAddress: p.Email, ToName: p.Name, Subject: text.Subject, Body: text.Body,
				PartnerID: sc.PartnerID(), StaffMessageID: id})
		}
		if err := notify.EnqueueAll(ctx, tx, mail); err != nil {
			return err
		}
		res.Recipients = len(people)
		return audit.Record(ctx, tx, from.UserID, "message.sent", fmt.Sprintf("staff_message:%d", id),
			map[string]any{"recipients": len(people), "subject": d.Subject})
	})
	if err != nil {
		return Result{}, fmt.Errorf("messages: send: %w", err)
	}
	return res, nil
}

// organisation is who a message comes from: the sender's delivery partner, or the lead
// provider for admins.
func (s Store) organisation(ctx context.Context, tx pgx.Tx, sc scope.Scope) (string, error) {
	if sc.PartnerID() == 0 {
		return s.ProviderName, nil
	}
	var name string
	err := tx.QueryRow(ctx, `SELECT name FROM delivery_partners WHERE id = $1`, sc.PartnerID()).Scan(&name)
	return name, err
}
