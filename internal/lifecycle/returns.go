package lifecycle

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/wording"
)

// AskReturn asks a deferred participant to confirm they intend to return. Asking again is
// refused once they have answered, and within a week of the last time (AskReturnProblem).
func (s Store) AskReturn(ctx context.Context, requestID, actorID int64, now time.Time) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		r, err := lockedRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if r.Kind != KindDeferral || r.State != StateApproved || r.ReturnedAt != nil {
			return problem.New("Only a deferral that has not ended can be asked about its return")
		}
		if p := AskReturnProblem(r.ReturnAskedAt, r.ReturnAnswer, now); p != "" {
			return problem.New(p)
		}
		// The same rule as a condition, so no sequence of requests can send the question twice
		// or clear an answer.
		tag, err := tx.Exec(ctx, `UPDATE status_requests SET return_asked_at = $2
			WHERE id = $1 AND kind = 'deferral' AND state = 'approved' AND returned_at IS NULL AND return_answer IS NULL
			  AND (return_asked_at IS NULL OR return_asked_at <= $3)`, r.ID, now, now.Add(-ReturnReminderGap))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return problem.New("The participant has already been asked")
		}
		text, err := wording.ReturnRequestLetter(wording.Return{LetterTo: s.letterTo(r), ReturnOn: *r.ReturnOn,
			ReturnCohortName: r.ReturnCohortName, BaseURL: s.BaseURL})
		if err != nil {
			return err
		}
		if _, err := s.letter(ctx, tx, r, "return-request", text); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "deferral.return_asked", fmt.Sprintf("request:%d", r.ID), nil)
	})
	return wrap("ask return", err)
}

// AnswerReturn records a participant's answer. NotReturning opens a withdrawal case for the
// admin.
func (s Store) AnswerReturn(ctx context.Context, requestID, userID int64, answer ReturnAnswer) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		r, err := lockedRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if r.UserID != userID {
			return database.ErrNotFound
		}
		if r.Kind != KindDeferral || r.State != StateApproved || r.ReturnedAt != nil || r.ReturnAskedAt == nil {
			return problem.New("There is no return to confirm")
		}
		if answer != Returning && answer != NotReturning {
			return problem.New("Choose yes or no")
		}
		if _, err := tx.Exec(ctx, `UPDATE status_requests SET return_answer = $2, return_answered_at = now() WHERE id = $1`, r.ID, answer); err != nil {
			return err
		}
		if answer == NotReturning {
			if err := openWithdrawalCase(ctx, tx, r, "Chose not to return from deferral"); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, userID, "deferral.return_answered", fmt.Sprintf("request:%d", r.ID), map[string]any{"answer": answer})
	})
	return wrap("answer return", err)
}

// openWithdrawalCase opens a withdrawal request for the admin to decide, once per deferral.
func openWithdrawalCase(ctx context.Context, tx pgx.Tx, r Request, why string) error {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO status_requests (enrolment_id, kind, reason, details, starts_on, source)
		VALUES ($1, 'withdrawal', 'other', $2, $3, 'system') ON CONFLICT DO NOTHING RETURNING id`, r.EnrolmentID, why, *r.ReturnOn).Scan(&id)
	if database.IsNoRows(err) {
		return nil // a request is already open
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE status_requests SET withdrawal_case_id = $2 WHERE id = $1`, r.ID, id)
	return err
}

// ConfirmReturn makes a deferred enrolment active again in its return cohort, at the planned
// block, and tells the participant what happens next.
func (s Store) ConfirmReturn(ctx context.Context, requestID, actorID int64, now time.Time) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		return s.confirmReturn(ctx, tx, requestID, actorID, now)
	})
	return wrap("confirm return", err)
}

func (s Store) confirmReturn(ctx context.Context, tx pgx.Tx, requestID, actorID int64, now time.Time) error {
	r, err := lockedRequest(ctx, tx, requestID)
	if err != nil {
		return err
	}
	if r.Kind != KindDeferral || r.State != StateApproved || r.ReturnedAt != nil {
		return problem.New("This deferral has already ended")
	}
	st, err := lockEnrolmentStatus(ctx, tx, r.EnrolmentID)
	if err != nil {
		return err
	}
	if st != programme.StatusDeferred {
		return problem.New("The participant is no longer deferred")
	}
	if r.ReturnCohortID != nil && *r.ReturnCohortID != r.CohortID {
		if _, err := tx.Exec(ctx, `UPDATE enrolments SET cohort_id = $2 WHERE id = $1`, r.EnrolmentID, *r.ReturnCohortID); err != nil {
			if database.IsUniqueViolation(err, "") {
				return problem.New("The participant already has a place in the return cohort")
			}
			return err
		}
	}
	effective := *r.ReturnOn
	if today := programme.Today(now); today.Before(effective) {
		effective = today
	}
	if err := programme.RecordStatus(ctx, tx, r.EnrolmentID, programme.StatusActive, effective, "Returned from deferral to "+r.ReturnCohortName, actorID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE status_requests SET returned_at = now() WHERE id = $1`, r.ID); err != nil {
		return err
	}
	text, err := wording.ReturnLetter(wording.Return{LetterTo: s.letterTo(r), ReturnOn: effective, ReturnCohortName: r.ReturnCohortName})
	if err != nil {
		return err
	}
	if _, err := s.letter(ctx, tx, r, "return", text); err != nil {
		return err
	}
	return audit.Record(ctx, tx, actorID, "deferral.returned", fmt.Sprintf("request:%d", r.ID), nil)
}

// RunDailyChecks ends deferrals that reach their return date: a participant who said yes
// becomes active again; one who said no or did not answer becomes a withdrawal case. Each
// deferral is locked while it is handled, so several instances can run this together.
func (s Store) RunDailyChecks(ctx context.Context, now time.Time) (returned, cases int, err error) {
	rows, err := s.DB.Query(ctx, `SELECT id FROM status_requests WHERE kind = 'deferral' AND state = 'approved' AND returned_at IS NULL
		AND withdrawal_case_id IS NULL AND return_on <= $1`, programme.Today(now))
	if err != nil {
		return 0, 0, fmt.Errorf("lifecycle: daily checks: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
			var answer *ReturnAnswer
			var returnedAt *time.Time
			var caseID *int64
			if err := tx.QueryRow(ctx, `SELECT return_answer, returned_at, withdrawal_case_id FROM status_requests WHERE id = $1 FOR UPDATE SKIP LOCKED`, id).
				Scan(&answer, &returnedAt, &caseID); err != nil {
				if database.IsNoRows(err) {
					return nil // another instance has it
				}
				return err
			}
			if returnedAt != nil || caseID != nil {
				return nil
			}
			if answer != nil && *answer == Returning {
				returned++
				return s.confirmReturn(ctx, tx, id, 0, now)
			}
			r, err := lockedRequest(ctx, tx, id)
			if err != nil {
				return err
			}
			cases++
			return openWithdrawalCase(ctx, tx, r, "Did not confirm their return from deferral by the return date")
		})
		if err != nil {
			return returned, cases, wrap("daily check", err)
		}
	}
	return returned, cases, nil
}

// Reinstate makes a participant withdrawn in error active again, with the reason recorded.
func (s Store) Reinstate(ctx context.Context, enrolmentID int64, reason string, actorID int64, now time.Time) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := lockEnrolmentStatus(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if st != programme.StatusWithdrawn {
			return problem.New("Only a withdrawn participant can be reinstated")
		}
		if err := programme.RecordStatus(ctx, tx, enrolmentID, programme.StatusActive, programme.Today(now), "Reinstated: "+reason, actorID); err != nil {
			return err
		}
		r, err := s.latestRequest(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		text, err := wording.ReinstatementLetter(wording.Reinstatement{LetterTo: s.letterTo(r), RestoredOn: programme.Today(now), Reason: reason})
		if err != nil {
			return err
		}
		if _, err := s.letter(ctx, tx, r, "reinstatement", text); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "enrolment.reinstated", fmt.Sprintf("enrolment:%d", enrolmentID), map[string]any{"reason": reason})
	})
	return wrap("reinstate", err)
}

// latestRequest loads the enrolment's facts through its latest request, or just the facts.
func (s Store) latestRequest(ctx context.Context, tx pgx.Tx, enrolmentID int64) (Request, error) {
	r, err := scanRequest(tx.QueryRow(ctx, `SELECT `+requestColumns+` `+requestFrom+` WHERE r.enrolment_id = $1 ORDER BY r.id DESC LIMIT 1`, enrolmentID))
	if database.IsNoRows(err) {
		// No request (withdrawn by import or by hand): a letter needs only the enrolment's facts.
		var e Request
		err := tx.QueryRow(ctx, `SELECT e.id, u.name, u.email, c.name, h.name, h.delivery_partner_id, p.name
			FROM enrolments e JOIN users u ON u.id = e.user_id JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
			JOIN delivery_partners p ON p.id = h.delivery_partner_id WHERE e.id = $1`, enrolmentID).
			Scan(&e.EnrolmentID, &e.Name, &e.Email, &e.CourseName, &e.CohortName, &e.PartnerID, &e.PartnerName)
		return e, err
	}
	r.ID = 0 // the letter is not about that request
	return r, err
}
