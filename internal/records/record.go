// Package records gathers one participant's record for staff: who they are, each enrolment
// with its status history, progress by block, bookings, requests, letters and assessment, and
// the mail sent to them. Partner staff see only their own partner's enrolments and mail.
package records

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/internal/scope"
)

// DB is what the record reads through: a pool that can send a batch of queries at once.
type DB interface {
	database.DB
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store reads participant records.
type Store struct {
	DB DB
}

// Record is everything staff may see about one participant.
type Record struct {
	UserID      int64
	Name, Email string
	Enrolments  []Enrolment
	Emails      []Email
	// MoreEmails says older mail was left out (EmailLimit are shown).
	MoreEmails bool
}

// Enrolment is one of the participant's places on a course, with what happened on it.
type Enrolment struct {
	ID                     int64
	CohortID               int64
	CohortName, CourseName string
	PartnerID              int64
	PartnerName            string
	Status                 programme.Status
	FundingRoute           programme.FundingRoute
	StartsOn               time.Time
	LastActivityAt         *time.Time
	History                []programme.StatusChange
	Blocks                 []BlockProgress
	Bookings               []Booking
	Requests               []Request
	Letters                []lifecycle.Letter
	Submissions            []Submission
}

// Progress is the enrolment's required activities done, across every block.
func (e Enrolment) Progress() programme.Progress {
	var p programme.Progress
	for _, b := range e.Blocks {
		p = p.Add(b.Progress)
	}
	return p
}

// BlockProgress is how far the participant is through one block.
type BlockProgress struct {
	Position int
	Title    string
	OpensOn  *time.Time
	Progress programme.Progress
}

// Booking is a place or waiting-list entry on an event, with its attendance.
type Booking struct {
	EventID    int64
	EventTitle string
	ItemTitle  string
	StartsAt   time.Time
	Status     string
	Attendance string
	Cancelled  bool // the event itself was cancelled
}

// Request is a deferral or withdrawal request.
type Request struct {
	ID        int64
	Kind      lifecycle.Kind
	Reason    string
	State     lifecycle.State
	CreatedAt time.Time
}

// ReasonLabel is the request's reason as people say it.
func (r Request) ReasonLabel() string { return lifecycle.ReasonLabel(r.Kind, r.Reason) }

// Submission is one assessment attempt.
type Submission struct {
	ID          int64
	Attempt     int
	Stage       string
	SubmittedAt *time.Time
	Passed      *bool
	ReleasedAt  *time.Time
}

// Email is one message sent (or waiting to be sent) to the participant.
type Email struct {
	ID        int64
	Subject   string
	CreatedAt time.Time
	SentAt    *time.Time
	Failed    bool
}

// EmailLimit is how many of the latest messages a record lists.
const EmailLimit = 50

// The queries of a record, each limited to the scope: $1 the participant, $2 sees every
// partner, $3 the partner seen.
const (
	personSQL = `
		SELECT u.id, u.name, u.email FROM users u
		WHERE u.id = $1 AND u.role = 'participant' AND ($2 OR EXISTS (
			SELECT 1 FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id
			WHERE e.user_id = u.id AND h.delivery_partner_id = $3))`
	// scopedEnrolments are the participant's enrolments the scope sees.
	scopedEnrolments = `
		SELECT e.* FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id
		WHERE e.user_id = $1 AND ($2 OR h.delivery_partner_id = $3)`
	enrolmentsSQL = `
		SELECT e.id, e.cohort_id, h.name, c.name, h.delivery_partner_id, p.name, e.status, e.funding_route, e.starts_on, e.last_activity_at
		FROM (` + scopedEnrolments + `) e JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
		JOIN delivery_partners p ON p.id = h.delivery_partner_id
		ORDER BY h.starts_on DESC, e.id DESC`
	historySQL = `
		SELECT s.enrolment_id, s.status, s.effective_on, s.reason, coalesce(u.name, 'System'), s.recorded_at
		FROM (` + scopedEnrolments + `) e JOIN enrolment_status_history s ON s.enrolment_id = e.id
		LEFT JOIN users u ON u.id = s.changed_by ORDER BY s.id`
	blocksSQL = `
		SELECT e.id, b.position, b.title, cb.opens_on,
		       count(i.id) FILTER (WHERE i.required),
		       count(i.id) FILTER (WHERE i.required AND coalesce(done.completed, false))
		FROM (` + scopedEnrolments + `) e JOIN cohorts h ON h.id = e.cohort_id
		JOIN blocks b ON b.course_id = h.course_id
		LEFT JOIN cohort_blocks cb ON cb.cohort_id = h.id AND cb.block_id = b.id
		LEFT JOIN block_items i ON i.block_id = b.id
		LEFT JOIN LATERAL (SELECT c.completed FROM item_completions c WHERE c.enrolment_id = e.id AND c.item_id = i.id
		                   ORDER BY c.id DESC LIMIT 1) done ON true
		GROUP BY e.id, b.id, b.position, b.title, cb.opens_on ORDER BY e.id, b.position`
	bookingsSQL = `
		SELECT b.enrolment_id, v.id, v.title, i.title, v.starts_at, b.status, coalesce(b.attendance, ''), v.cancelled_at IS NOT NULL
		FROM (` + scopedEnrolments + `) e JOIN bookings b ON b.enrolment_id = e.id
		JOIN events v ON v.id = b.event_id JOIN block_items i ON i.id = b.item_id
		ORDER BY v.starts_at DESC, v.id DESC`
	requestsSQL = `
		SELECT r.enrolment_id, r.id, r.kind, r.reason, r.state, r.created_at
		FROM (` + scopedEnrolments + `) e JOIN status_requests r ON r.enrolment_id = e.id ORDER BY r.created_at DESC, r.id DESC`
	lettersSQL = `
		SELECT l.enrolment_id, l.id, l.kind, l.subject, l.created_at
		FROM (` + scopedEnrolments + `) e JOIN letters l ON l.enrolment_id = e.id ORDER BY l.created_at DESC, l.id DESC`
	submissionsSQL = `
		SELECT s.enrolment_id, s.id, s.attempt, s.stage, s.submitted_at, s.passed, s.released_at
		FROM (` + scopedEnrolments + `) e JOIN submissions s ON s.enrolment_id = e.id ORDER BY s.attempt DESC`
	// Admins see all mail to the address; partner staff only mail about their partner's work.
	emailsSQL = `
		SELECT o.id, o.subject, o.created_at, o.sent_at, o.sent_at IS NULL AND o.last_error <> ''
		FROM users u JOIN outbox o ON o.to_address = u.email
		WHERE u.id = $1 AND ($2 OR o.delivery_partner_id = $3)
		ORDER BY o.created_at DESC, o.id DESC LIMIT $4`
)

// RecordFor reads the record of participant userID as sc sees it, in one round trip. For
// partner staff a participant with no enrolment with their partner is database.ErrNotFound,
// and so, for everyone, is an account that is not a participant's.
func (s Store) RecordFor(ctx context.Context, userID int64, sc scope.Scope) (Record, error) {
	args := []any{userID, sc.All(), sc.PartnerID()}
	b := &pgx.Batch{}
	var rec Record
	found := false
	byID := map[int64]*Enrolment{}
	b.Queue(personSQL, args...).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&rec.UserID, &rec.Name, &rec.Email)
		if database.IsNoRows(err) {
			return nil
		}
		found = err == nil
		return err
	})
	b.Queue(enrolmentsSQL, args...).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Enrolment, error) {
			var e Enrolment
			return e, r.Scan(&e.ID, &e.CohortID, &e.CohortName, &e.CourseName, &e.PartnerID, &e.PartnerName, &e.Status,
				&e.FundingRoute, &e.StartsOn, &e.LastActivityAt)
		})
		rec.Enrolments = list
		for i := range rec.Enrolments {
			byID[rec.Enrolments[i].ID] = &rec.Enrolments[i]
		}
		return err
	})
	queueEach(b, historySQL, args, byID, func(r pgx.Rows) (id int64, c programme.StatusChange, err error) {
		err = r.Scan(&id, &c.Status, &c.EffectiveOn, &c.Reason, &c.ChangedBy, &c.RecordedAt)
		return
	}, func(e *Enrolment, c programme.StatusChange) { e.History = append(e.History, c) })
	queueEach(b, blocksSQL, args, byID, func(r pgx.Rows) (id int64, p BlockProgress, err error) {
		err = r.Scan(&id, &p.Position, &p.Title, &p.OpensOn, &p.Progress.Required, &p.Progress.Done)
		return
	}, func(e *Enrolment, p BlockProgress) { e.Blocks = append(e.Blocks, p) })
	queueEach(b, bookingsSQL, args, byID, func(r pgx.Rows) (id int64, k Booking, err error) {
		err = r.Scan(&id, &k.EventID, &k.EventTitle, &k.ItemTitle, &k.StartsAt, &k.Status, &k.Attendance, &k.Cancelled)
		return
	}, func(e *Enrolment, k Booking) { e.Bookings = append(e.Bookings, k) })
	queueEach(b, requestsSQL, args, byID, func(r pgx.Rows) (id int64, q Request, err error) {
		err = r.Scan(&id, &q.ID, &q.Kind, &q.Reason, &q.State, &q.CreatedAt)
		return
	}, func(e *Enrolment, q Request) { e.Requests = append(e.Requests, q) })
	queueEach(b, lettersSQL, args, byID, func(r pgx.Rows) (id int64, l lifecycle.Letter, err error) {
		err = r.Scan(&id, &l.ID, &l.Kind, &l.Subject, &l.CreatedAt)
		l.EnrolmentID = id
		return
	}, func(e *Enrolment, l lifecycle.Letter) { e.Letters = append(e.Letters, l) })
	queueEach(b, submissionsSQL, args, byID, func(r pgx.Rows) (id int64, m Submission, err error) {
		err = r.Scan(&id, &m.ID, &m.Attempt, &m.Stage, &m.SubmittedAt, &m.Passed, &m.ReleasedAt)
		return
	}, func(e *Enrolment, m Submission) { e.Submissions = append(e.Submissions, m) })
	b.Queue(emailsSQL, append(args, EmailLimit+1)...).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Email, error) {
			var m Email
			return m, r.Scan(&m.ID, &m.Subject, &m.CreatedAt, &m.SentAt, &m.Failed)
		})
		if len(list) > EmailLimit {
			list, rec.MoreEmails = list[:EmailLimit], true
		}
		rec.Emails = list
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return rec, fmt.Errorf("records: participant %d: %w", userID, err)
	}
	if !found {
		return Record{}, database.ErrNotFound
	}
	return rec, nil
}

// queueEach queues a query whose rows start with an enrolment id: scan reads a row, and put
// adds what it read to that enrolment.
func queueEach[T any](b *pgx.Batch, sql string, args []any, byID map[int64]*Enrolment,
	scan func(pgx.Rows) (int64, T, error), put func(*Enrolment, T)) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		defer rows.Close()
		for rows.Next() {
			id, v, err := scan(rows)
			if err != nil {
				return err
			}
			if e, ok := byID[id]; ok {
				put(e, v)
			}
		}
		return rows.Err()
	})
}
