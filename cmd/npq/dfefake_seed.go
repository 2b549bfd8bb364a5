package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe/dfefake"
)

// seedFakeFromDatabase fills the fake with what DfE would hold for the platform's records:
// every delivery partner, enrolment and sent declaration carrying DfE's ids (each as DfE's
// copy last read has it, or else as ours), the statements held and the pending applications,
// so that a local trial against `npq demo` sends its declarations and reconciles as a real
// provider would, finding what the last read found.
func seedFakeFromDatabase(ctx context.Context, db database.DB, fake *dfefake.Server) (people int, err error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT p.dfe_id::text, p.name,
			coalesce((SELECT array_agg(DISTINCT left(e.dfe_cohort, 4)) FROM enrolments e WHERE e.dfe_cohort IS NOT NULL), '{}')
		FROM delivery_partners p WHERE p.dfe_id IS NOT NULL`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id, name string
			var cohorts []string
			if err := rows.Scan(&id, &name, &cohorts); err != nil {
				return err
			}
			fake.AddDeliveryPartnerWithID(id, name, cohorts...)
		}
		return rows.Err()
	})
	b.Queue(`SELECT e.dfe_application_id::text, u.dfe_participant_id::text, u.name, u.email, coalesce(u.trn, ''),
			e.dfe_course_identifier, coalesce(e.dfe_cohort, ''), coalesce(e.dfe_schedule_identifier, ''),
			coalesce(p.training_status, CASE WHEN e.status IN ('deferred', 'withdrawn') THEN e.status ELSE 'active' END), e.dfe_funded_place
		FROM enrolments e JOIN users u ON u.id = e.user_id
		LEFT JOIN dfe_participants p ON p.participant_id = u.dfe_participant_id AND p.course_identifier = e.dfe_course_identifier
		WHERE u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL AND e.dfe_application_id IS NOT NULL
		ORDER BY e.id`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var e dfefake.Enrolled
			if err := rows.Scan(&e.ApplicationID, &e.ParticipantID, &e.FullName, &e.Email, &e.TRN, &e.Course, &e.Cohort, &e.Schedule,
				&e.TrainingStatus, &e.FundedPlace); err != nil {
				return err
			}
			fake.AddEnrolled(e)
			people++
		}
		return rows.Err()
	})
	b.Queue(`SELECT d.dfe_id::text, u.dfe_participant_id::text, d.declaration_type, e.dfe_course_identifier, d.declaration_date,
			coalesce(s.state, CASE WHEN d.state = 'voided' THEN 'voided' ELSE coalesce(nullif(d.dfe_state, ''), 'submitted') END),
			e.dfe_application_id::text
		FROM dfe_declarations d JOIN enrolments e ON e.id = d.enrolment_id JOIN users u ON u.id = e.user_id
		LEFT JOIN dfe_declarations_seen s ON s.dfe_id = d.dfe_id
		WHERE d.dfe_id IS NOT NULL AND u.dfe_participant_id IS NOT NULL AND e.dfe_application_id IS NOT NULL`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var h dfefake.Held
			if err := rows.Scan(&h.ID, &h.ParticipantID, &h.Type, &h.Course, &h.Date, &h.State, &h.ApplicationID); err != nil {
				return err
			}
			fake.AddDeclaration(h)
		}
		return rows.Err()
	})
	b.Queue(`SELECT id::text, cohort, month, year, cut_off_date, payment_date, paid FROM dfe_statements`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id string
			var st dfefake.Statement
			var pay *time.Time
			if err := rows.Scan(&id, &st.Cohort, &st.Month, &st.Year, &st.CutOff, &pay, &st.Paid); err != nil {
				return err
			}
			if pay != nil {
				st.PaymentDate = *pay
			}
			fake.AddStatementWithID(id, st)
		}
		return rows.Err()
	})
	b.Queue(`SELECT id::text, participant_id::text, full_name, email, trn, course_identifier, cohort, school_urn
		FROM dfe_applications WHERE status = 'pending'`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var a dfefake.Application
			if err := rows.Scan(&a.ID, &a.ParticipantID, &a.FullName, &a.Email, &a.TRN, &a.Course, &a.Cohort, &a.SchoolURN); err != nil {
				return err
			}
			fake.AddApplication(a)
		}
		return rows.Err()
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("dfe-fake: read the platform's DfE records: %w", err)
	}
	return people, nil
}
