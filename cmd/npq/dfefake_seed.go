package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe/dfefake"
)

// seedFakeFromDatabase fills the fake with what DfE would hold for the platform's records if
// DfE had applied everything we sent and done nothing of its own: every delivery partner,
// enrolment (with our training status) and sent declaration carrying DfE's ids (voided where
// we voided it), the statements held and the pending applications. A local trial against
// `npq demo` then sends the demo's due declarations, and a reconciliation finds nothing
// different, clearing the mismatches the demo's made-up copy of DfE's view shows.
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
			CASE WHEN e.status IN ('deferred', 'withdrawn') THEN e.status ELSE 'active' END, e.dfe_funded_place
		FROM enrolments e JOIN users u ON u.id = e.user_id
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
			CASE WHEN d.state = 'voided' THEN 'voided' WHEN d.dfe_state IN ('eligible', 'payable', 'paid') THEN d.dfe_state ELSE 'eligible' END,
			e.dfe_application_id::text
		FROM dfe_declarations d JOIN enrolments e ON e.id = d.enrolment_id JOIN users u ON u.id = e.user_id
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
