package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/config"
	"npq/internal/database"
	"npq/internal/lifecycle"
)

// loadLifecycle adds deferral and withdrawal cases: open requests of each kind (one from
// someone not yet eligible to defer), an approved deferral due back within three months, and
// a past withdrawal with its letter.
func loadLifecycle(ctx context.Context, tx pgx.Tx, now time.Time) error {
	pick := func(cohort, extra string) (int64, error) {
		var id int64
		err := tx.QueryRow(ctx, `SELECT e.id FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id JOIN users u ON u.id = e.user_id
			WHERE h.name = $1 AND e.status = 'active' AND u.email NOT LIKE '%@demo.test' AND NOT EXISTS (SELECT 1 FROM status_requests r WHERE r.enrolment_id = e.id)
			`+extra+` ORDER BY e.id LIMIT 1`, cohort).Scan(&id)
		if database.IsNoRows(err) {
			return 0, fmt.Errorf("no demo participant in %s", cohort)
		}
		return id, err
	}
	s := lifecycle.Store{DB: tx, BaseURL: "http://localhost:8080", Signature: lifecycle.Signature{Name: config.DefaultProviderName, ContactEmail: config.DefaultProviderContactEmail}}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	const npqh, npqh27, npqsl = "NPQH Spring 2026 – Barnsley and Doncaster", "NPQH Spring 2027 – Barnsley and Doncaster", "NPQSL Autumn 2025 – Barnsley and Doncaster"

	// An open, eligible deferral request.
	id, err := pick(npqh, "AND e.funding_route = 'scholarship'")
	if err != nil {
		return err
	}
	ret := today.AddDate(0, 9, 0)
	if _, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindDeferral, Reason: "parental-leave",
		Details: "Maternity leave from January.", StartsOn: today.AddDate(0, 1, 0), PlannedReturnOn: &ret, Source: "participant", DiscussedWithPartner: true}); err != nil {
		return err
	}
	// An open deferral request from someone whose course has not started: not eligible.
	id, err = pick(npqh27, "")
	if err != nil {
		return err
	}
	ret = today.AddDate(0, 10, 0)
	if _, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindDeferral, Reason: "career-break",
		Details: "Taking a term out before starting.", StartsOn: today.AddDate(0, 2, 0), PlannedReturnOn: &ret, Source: "email", DiscussedWithPartner: true}); err != nil {
		return err
	}
	// An open withdrawal request.
	id, err = pick(npqsl, "")
	if err != nil {
		return err
	}
	if _, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindWithdrawal, Reason: "change-in-school-circumstances",
		Details: "Our school is joining a trust and my role is changing.", StartsOn: today.AddDate(0, 0, 14), Source: "participant", DiscussedWithPartner: true}); err != nil {
		return err
	}
	// An approved deferral: returning to the next NPQH cohort when it starts, within 3 months.
	id, err = pick(npqh, "AND e.funding_route = 'scholarship'")
	if err != nil {
		return err
	}
	var returnCohort int64
	var returnOn time.Time
	if err := tx.QueryRow(ctx, `SELECT id, starts_on FROM cohorts WHERE name = $1`, npqh27).Scan(&returnCohort, &returnOn); err != nil {
		return err
	}
	starts := today.AddDate(0, -4, 0)
	if _, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindDeferral, Reason: "long-term-sickness",
		StartsOn: starts, PlannedReturnOn: &returnOn, Source: "email", DiscussedWithPartner: true}); err != nil {
		return err
	}
	var reqID, admin int64
	if err := tx.QueryRow(ctx, `SELECT id FROM status_requests WHERE enrolment_id = $1`, id).Scan(&reqID); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = 'admin@demo.test'`).Scan(&admin); err != nil {
		return err
	}
	block, err := s.BlockAt(ctx, returnCohort, 1)
	if err != nil {
		return err
	}
	if _, err := s.Decide(ctx, lifecycle.Decision{RequestID: reqID, Approve: true, EffectiveOn: starts, ReturnCohortID: returnCohort,
		ReturnBlockID: block, ReturnOn: returnOn, ActorID: admin, Now: now, Notes: "Get well soon."}); err != nil {
		return fmt.Errorf("demo deferral: %w", err)
	}
	// A past withdrawal.
	id, err = pick(npqsl, "AND e.funding_route = 'self_funded' AND e.payment_received_on IS NOT NULL")
	if err != nil {
		return err
	}
	if _, err := s.Create(ctx, lifecycle.NewRequest{EnrolmentID: id, Kind: lifecycle.KindWithdrawal, Reason: "change-in-career",
		StartsOn: today.AddDate(0, -2, 0), Source: "participant", DiscussedWithPartner: true}); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT id FROM status_requests WHERE enrolment_id = $1`, id).Scan(&reqID); err != nil {
		return err
	}
	if _, err := s.Decide(ctx, lifecycle.Decision{RequestID: reqID, Approve: true, EffectiveOn: today.AddDate(0, -2, 0), Refund: "partial",
		RefundPence: 45000, ActorID: admin, Now: now.AddDate(0, -2, 0)}); err != nil {
		return fmt.Errorf("demo withdrawal: %w", err)
	}
	return nil
}
