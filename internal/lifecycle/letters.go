package lifecycle

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/notify"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/web/layout"
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
func (s Store) letter(ctx context.Context, tx pgx.Tx, r Request, kind, subject, body string) (int64, error) {
	body += signOff(s.Signature)
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO letters (enrolment_id, request_id, kind, subject, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		r.EnrolmentID, database.NullID(r.ID), kind, subject, body).Scan(&id); err != nil {
		return 0, err
	}
	link := fmt.Sprintf("\n\nYou can read and print this letter at %s/letters/%d\n", s.BaseURL, id)
	if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: r.Email, ToName: r.Name, Subject: subject, Body: body + link}); err != nil {
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
	for _, t := range list {
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: t.email, ToName: t.name, Subject: "For your information: " + r.Name + ": " + subject,
			Body: fmt.Sprintf("This is a copy of a letter sent to %s, a participant in %s.\n\n%s%s", r.Name, r.CohortName, body, link)}); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// signOff ends every letter: who it is from, and where to write with a question.
func signOff(from Signature) string {
	return fmt.Sprintf("\nYours sincerely,\n\n%s\n\nIf you have a question about this letter, email %s.\n", from.Name, from.ContactEmail)
}

func pounds(p int) string { return fmt.Sprintf("£%d.%02d", p/100, p%100) }

func deferralLetter(r Request, cancelled events.Cancelled) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\nWe have agreed your request to defer your place on %s (%s).\n\n", r.Name, r.CourseName, r.CohortName)
	fmt.Fprintf(&b, "Your deferral starts on %s. Reason: %s.\n\n", layout.Date(*r.EffectiveOn), r.ReasonLabel())
	fmt.Fprintf(&b, "Expected date of return: %s.\n", layout.Date(*r.ReturnOn))
	fmt.Fprintf(&b, "Arrangements for rejoining: you will rejoin in cohort %s at the start of its block, so that no programme content is missed. Your progress so far is kept (%d of %d required activities done).\n\n",
		r.ReturnCohortName, r.Done, r.Required)
	if r.ExceptionReason != "" {
		fmt.Fprintf(&b, "Your return is more than 12 months after your deferral starts. We have agreed this because: %s\n\n", r.ExceptionReason)
	}
	if places := cancelled.Places(); places != "" {
		fmt.Fprintf(&b, "We have cancelled %s; you can book again when you return.\n\n", places)
	}
	b.WriteString("While you are deferred, the course content is closed. We will contact you within 3 months before your return date to ask you to confirm that you intend to return. If you choose not to return, the withdrawal policy will apply.\n\n")
	if r.FundingRoute != programme.FundingScholarship {
		b.WriteString("As your place is not scholarship funded, no refund is available at the point of deferral as you are expected to return to the programme.\n\n")
	}
	if r.DecisionNotes != "" {
		fmt.Fprintf(&b, "Note from the programme team: %s\n\n", r.DecisionNotes)
	}
	fmt.Fprintf(&b, "Your delivery partner, %s, has a copy of this letter.\n", r.PartnerName)
	return b.String()
}

func withdrawalLetter(r Request, cancelled events.Cancelled) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\nWe confirm your withdrawal from %s (%s).\n\n", r.Name, r.CourseName, r.CohortName)
	fmt.Fprintf(&b, "Date of withdrawal: %s. Reason: %s.\n\n", layout.Date(*r.EffectiveOn), r.ReasonLabel())
	b.WriteString("You have been removed from your course on the learning platform, and our records have been updated. Your records are kept.\n\n")
	if places := cancelled.Places(); places != "" {
		fmt.Fprintf(&b, "We have cancelled %s.\n\n", places)
	}
	if r.FundingRoute != programme.FundingScholarship && r.Refund != nil {
		switch *r.Refund {
		case "full":
			b.WriteString("Refund: we will refund the fees in full.\n\n")
		case "partial":
			fmt.Fprintf(&b, "Refund: we will refund %s of the fees.\n\n", pounds(*r.RefundPence))
		default:
			b.WriteString("Refund: no refund is due, given the timing of the withdrawal and the costs already incurred.\n\n")
		}
	}
	if r.DecisionNotes != "" {
		fmt.Fprintf(&b, "Note from the programme team: %s\n\n", r.DecisionNotes)
	}
	fmt.Fprintf(&b, "Your delivery partner, %s, has a copy of this letter.\n", r.PartnerName)
	return b.String()
}

func refusalLetter(r Request, d Decision) string {
	what := "defer"
	if r.Kind == KindWithdrawal {
		what = "withdraw"
	}
	return fmt.Sprintf("Dear %s,\n\nWe have considered your request to %s from %s and we are not able to agree it.\n\nReason: %s\n\nYour place continues as before. Please talk to your delivery partner, %s, about the support available.\n",
		r.Name, what, r.CourseName, d.Notes, r.PartnerName)
}

// LettersFor lists the letters within sc, newest first.
func (s Store) LettersFor(ctx context.Context, sc scope.Scope, limit int) ([]Letter, error) {
	rows, err := s.DB.Query(ctx, `SELECT l.id, l.enrolment_id, l.kind, l.subject, l.body, l.created_at, u.name, p.name
		FROM letters l JOIN enrolments e ON e.id = l.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE ($1 OR h.delivery_partner_id = $2 OR e.user_id = $3) ORDER BY l.created_at DESC, l.id DESC LIMIT $4`,
		sc.All(), sc.PartnerID(), sc.UserID(), limit)
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
	rows, err := s.DB.Query(ctx, `SELECT l.id, l.enrolment_id, l.kind, l.subject, l.body, l.created_at, u.name, p.name
		FROM letters l JOIN enrolments e ON e.id = l.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE l.enrolment_id = $1 ORDER BY l.created_at DESC, l.id DESC`, enrolmentID)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: letters for %d: %w", enrolmentID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Letter, error) {
		var l Letter
		return l, r.Scan(&l.ID, &l.EnrolmentID, &l.Kind, &l.Subject, &l.Body, &l.CreatedAt, &l.Name, &l.PartnerName)
	})
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
