package lifecycle

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/notify"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/wording"
)

// Letter is a decision confirmed in writing.
type Letter struct {
	ID, EnrolmentID     int64
	Kind, Subject, Body string
	CreatedAt           time.Time
	Name                string
	PartnerName         string
}

// letter keeps a letter and sends it to the participant and their delivery partner (its
// contact and its staff), in the caller's transaction.
func (s Store) letter(ctx context.Context, tx pgx.Tx, r Request, kind string, text wording.Text) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO letters (enrolment_id, request_id, kind, subject, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		r.EnrolmentID, database.NullID(r.ID), kind, text.Subject, text.Body).Scan(&id); err != nil {
		return 0, err
	}
	sent := wording.LetterSent{Letter: text, ID: id, Name: r.Name, CohortName: r.CohortName, BaseURL: s.BaseURL}
	email, err := wording.LetterEmail(sent)
	if err != nil {
		return 0, err
	}
	if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: r.Email, ToName: r.Name, Subject: email.Subject, Body: email.Body}); err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT email, name FROM users WHERE delivery_partner_id = $1 AND role = 'partner_staff'
		UNION SELECT contact_email, contact_name FROM delivery_partners WHERE id = $1 AND contact_email <> ''`, r.PartnerID)
	if err != nil {
		return 0, err
	}
	type to struct{ email, name string }
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (to, error) {
		var t to
		return t, row.Scan(&t.email, &t.name)
	})
	if err != nil {
		return 0, err
	}
	cc, err := wording.LetterCopyEmail(sent)
	if err != nil {
		return 0, err
	}
	for _, t := range list {
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: t.email, ToName: t.name, Subject: cc.Subject, Body: cc.Body}); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// letterTo is who a letter about r is to, signed by the provider.
func (s Store) letterTo(r Request) wording.LetterTo {
	return wording.LetterTo{Name: r.Name, CourseName: r.CourseName, CohortName: r.CohortName, PartnerName: r.PartnerName,
		From: wording.LetterFrom{Name: s.Signature.Name, ContactEmail: s.Signature.ContactEmail}}
}

func (s Store) deferralLetter(r Request, cancelled events.Cancelled) (wording.Text, error) {
	return wording.DeferralLetter(wording.Deferral{LetterTo: s.letterTo(r), Reason: r.ReasonLabel(), StartsOn: *r.EffectiveOn,
		ReturnOn: *r.ReturnOn, ReturnCohortName: r.ReturnCohortName, Done: r.Done, Required: r.Required,
		ExceptionReason: r.ExceptionReason, BookingsCancelled: cancelled.Booked, WaitingCancelled: cancelled.Waiting,
		Scholarship: r.FundingRoute == programme.FundingScholarship, Notes: r.DecisionNotes})
}

func (s Store) withdrawalLetter(r Request, cancelled events.Cancelled) (wording.Text, error) {
	w := wording.Withdrawal{LetterTo: s.letterTo(r), Reason: r.ReasonLabel(), WithdrawnOn: *r.EffectiveOn,
		BookingsCancelled: cancelled.Booked, WaitingCancelled: cancelled.Waiting, Notes: r.DecisionNotes}
	if r.FundingRoute != programme.FundingScholarship && r.Refund != nil {
		w.Refund = *r.Refund
		if r.RefundPence != nil {
			w.RefundPence = *r.RefundPence
		}
	}
	return wording.WithdrawalLetter(w)
}

func (s Store) refusalLetter(r Request, d Decision) (wording.Text, error) {
	return wording.RefusalLetter(wording.Refusal{LetterTo: s.letterTo(r), Kind: string(r.Kind), Reason: d.Notes})
}

// LettersFor lists the letters within sc, newest first.
func (s Store) LettersFor(ctx context.Context, sc scope.Scope, limit int) ([]Letter, error) {
	var w database.Conds
	addScope(&w, sc, "h.delivery_partner_id")
	rows, err := s.DB.Query(ctx, `SELECT l.id, l.enrolment_id, l.kind, l.subject, l.body, l.created_at, u.name, p.name
		FROM letters l JOIN enrolments e ON e.id = l.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE `+w.SQL()+` ORDER BY l.created_at DESC, l.id DESC LIMIT `+strconv.Itoa(limit), w.Args...)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: letters: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Letter, error) {
		var l Letter
		return l, r.Scan(&l.ID, &l.EnrolmentID, &l.Kind, &l.Subject, &l.Body, &l.CreatedAt, &l.Name, &l.PartnerName)
	})
}

// LetterByID returns a letter within sc, or database.ErrNotFound.
func (s Store) LetterByID(ctx context.Context, id int64, sc scope.Scope) (Letter, error) {
	var l Letter
	err := s.DB.QueryRow(ctx, `SELECT l.id, l.enrolment_id, l.kind, l.subject, l.body, l.created_at, u.name, p.name
		FROM letters l JOIN enrolments e ON e.id = l.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE l.id = $1 AND ($2 OR h.delivery_partner_id = $3 OR e.user_id = $4)`, id, sc.All(), sc.PartnerID(), sc.UserID()).
		Scan(&l.ID, &l.EnrolmentID, &l.Kind, &l.Subject, &l.Body, &l.CreatedAt, &l.Name, &l.PartnerName)
	if database.IsNoRows(err) {
		return l, database.ErrNotFound
	}
	return l, err
}

// Decided lists approved requests of a kind for export, by effective date.
func (s Store) Decided(ctx context.Context, kind Kind) ([]Request, error) {
	return s.requests(ctx, "r.kind = $1 AND r.state = 'approved' ORDER BY r.effective_on, r.id", kind)
}

// LettersForEnrolment lists an enrolment's letters, newest first (for admins).
func (s Store) LettersForEnrolment(ctx context.Context, enrolmentID int64) ([]Letter, error) {
	rows, err := s.DB.Query(ctx, lettersForEnrolmentSQL, enrolmentID)
	list, err := collectLetters(rows, err)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: letters for %d: %w", enrolmentID, err)
	}
	return list, nil
}

const lettersForEnrolmentSQL = `SELECT l.id, l.enrolment_id, l.kind, l.subject, l.body, l.created_at, u.name, p.name
		FROM letters l JOIN enrolments e ON e.id = l.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE l.enrolment_id = $1 ORDER BY l.created_at DESC, l.id DESC`

func collectLetters(rows pgx.Rows, err error) ([]Letter, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Letter, error) {
		var l Letter
		return l, r.Scan(&l.ID, &l.EnrolmentID, &l.Kind, &l.Subject, &l.Body, &l.CreatedAt, &l.Name, &l.PartnerName)
	})
}

// RequestsAndLetters returns an enrolment's requests, newest first, and its letters, as
// RequestsForEnrolment and LettersForEnrolment do, in one round trip.
func (s Store) RequestsAndLetters(ctx context.Context, enrolmentID int64) ([]Request, []Letter, error) {
	var requests []Request
	var letters []Letter
	b := &pgx.Batch{}
	b.Queue(`SELECT `+requestColumns+` `+requestFrom+` WHERE `+requestsForEnrolmentWhere, enrolmentID).Query(func(rows pgx.Rows) error {
		var err error
		requests, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) { return scanRequest(r) })
		return err
	})
	b.Queue(lettersForEnrolmentSQL, enrolmentID).Query(func(rows pgx.Rows) error {
		var err error
		letters, err = collectLetters(rows, nil)
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("lifecycle: requests and letters for %d: %w", enrolmentID, err)
	}
	return requests, letters, nil
}

// CandidatesAndLetters returns the cohorts of a course a deferral could return to, as
// Candidates does, and an enrolment's letters, in one round trip: what deciding a request
// shows beside the request.
func (s Store) CandidatesAndLetters(ctx context.Context, courseID, enrolmentID int64) ([]CohortSchedule, []Letter, error) {
	var candidates []CohortSchedule
	var letters []Letter
	b := &pgx.Batch{}
	b.Queue(candidatesSQL, courseID).Query(func(rows pgx.Rows) error {
		var err error
		candidates, err = collectCandidates(rows)
		return err
	})
	b.Queue(lettersForEnrolmentSQL, enrolmentID).Query(func(rows pgx.Rows) error {
		var err error
		letters, err = collectLetters(rows, nil)
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("lifecycle: candidates and letters for %d: %w", enrolmentID, err)
	}
	return candidates, letters, nil
}

// BlockAt is the id of a cohort's course block at a position (0 if it has none).
func (s Store) BlockAt(ctx context.Context, cohortID int64, position int) (int64, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT b.id FROM cohorts h JOIN blocks b ON b.course_id = h.course_id WHERE h.id = $1 AND b.position = $2`, cohortID, position).Scan(&id)
	if database.IsNoRows(err) {
		return 0, nil
	}
	return id, err
}
