package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/lifecycle"
	"npq/internal/programme"
)

// loadJourneys gives the demo accounts the statuses a participant can be in, each with a
// sign-in: deferred, asked to confirm a return, returning, withdrawn, and participant3@ with
// a second, active course beside the NPQSL they passed.
func loadJourneys(ctx context.Context, tx pgx.Tx, now time.Time) error {
	const npqh, npqh27 = "NPQH Spring 2026 – Barnsley and Doncaster", "NPQH Spring 2027 – Barnsley and Doncaster"
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var cohortID, returnCohort int64
	var starts, returnOn time.Time
	if err := tx.QueryRow(ctx, `SELECT id, starts_on FROM cohorts WHERE name = $1`, npqh).Scan(&cohortID, &starts); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT id, starts_on FROM cohorts WHERE name = $1`, npqh27).Scan(&returnCohort, &returnOn); err != nil {
		return err
	}
	var admin int64
	if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = 'admin@demo.test'`).Scan(&admin); err != nil {
		return err
	}
	// enrol puts a demo account on the NPQH cohort with block 1 done.
	enrol := func(email string) (int64, error) {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO enrolments (user_id, cohort_id, funding_route, payment_received_on, starts_on, last_activity_at)
			SELECT id, $2, 'school_funded', $3::date, $3::date, now() - interval '3 days' FROM users WHERE email = $1 RETURNING id`,
			email, cohortID, starts).Scan(&id); err != nil {
			return 0, fmt.Errorf("enrol %s: %w", email, err)
		}
		if err := programme.RecordStatus(ctx, tx, id, programme.StatusActive, starts, "Enrolled", 0); err != nil {
			return 0, err
		}
		_, err := tx.Exec(ctx, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at)
			SELECT $1, bi.id, CASE WHEN bi.kind IN ('webinar', 'face_to_face', 'tutor_session', 'coaching') THEN 'attendance' ELSE 'participant' END, $2
			FROM cohort_blocks cb JOIN blocks b ON b.id = cb.block_id JOIN block_items bi ON bi.block_id = b.id
			WHERE cb.cohort_id = $3 AND b.position = 1 AND bi.required`, id, starts.AddDate(0, 1, 0), cohortID)
		return id, err
	}
	if _, err := enrol("participant3@demo.test"); err != nil {
		return err
	}
	s := lifecycle.Store{DB: tx, BaseURL: "http://localhost:8080"}
	block, err := s.BlockAt(ctx, returnCohort, 2)
	if err != nil {
		return err
	}
	// deferral approves a deferral from two months ago, back in next spring's cohort.
	deferral := func(email string) (int64, error) {
		id, err := enrol(email)
		if err != nil {
			return 0, err
		}
		from := today.AddDate(0, -2, 0)
		req, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindDeferral, Reason: "parental-leave",
			Details: "Maternity leave.", StartsOn: from, PlannedReturnOn: &returnOn, Source: "participant", DiscussedWithPartner: true})
		if err != nil {
			return 0, err
		}
		_, err = s.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: from, ReturnCohortID: returnCohort,
			ReturnBlockID: block, ReturnOn: returnOn, ActorID: admin, Now: now.AddDate(0, -2, 0), Notes: "Congratulations, and see you in the spring."})
		return req, err
	}
	if _, err := deferral("deferred@demo.test"); err != nil {
		return fmt.Errorf("demo deferred: %w", err)
	}
	for _, email := range []string{"return-asked@demo.test", "returning@demo.test"} {
		req, err := deferral(email)
		if err != nil {
			return fmt.Errorf("demo %s: %w", email, err)
		}
		if err := s.AskReturn(ctx, req, admin, now.AddDate(0, 0, -5)); err != nil {
			return fmt.Errorf("demo %s: %w", email, err)
		}
		if email == "returning@demo.test" {
			var user int64
			if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&user); err != nil {
				return err
			}
			if err := s.AnswerReturn(ctx, req, user, lifecycle.Returning); err != nil {
				return fmt.Errorf("demo %s: %w", email, err)
			}
		}
	}
	id, err := enrol("withdrawn@demo.test")
	if err != nil {
		return err
	}
	from := today.AddDate(0, 0, -10)
	req, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindWithdrawal, Reason: "personal-reason-moving-school",
		StartsOn: from, Source: "participant", DiscussedWithPartner: true})
	if err != nil {
		return err
	}
	if _, err := s.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: from, Refund: "none", ActorID: admin, Now: now.AddDate(0, 0, -10)}); err != nil {
		return fmt.Errorf("demo withdrawn: %w", err)
	}
	return nil
}
