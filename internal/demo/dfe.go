package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/dfe/declarations"
	"npq/internal/dfe/outbound"
)

// dfeApplicants are the demo's pending DfE applications (the queue at
// /admin/dfe/applications); the demo never calls DfE.
var dfeApplicants = []struct{ name, school string }{
	{"Amara Okafor", "106001"}, {"Tom Birch", "106002"}, {"Priya Shah", "106003"},
	{"Owen Price", "106004"}, {"Hannah Lewis", "106005"},
}

// loadDfE gives the demo's participants, enrolments and partners DfE identifiers (made up,
// but the same every time) and puts pending applications in the DfE queue.
func loadDfE(ctx context.Context, tx pgx.Tx, now time.Time) error {
	for _, q := range []string{
		`UPDATE delivery_partners SET dfe_id = md5('npq-demo-partner:' || lower(name))::uuid WHERE dfe_id IS NULL`,
		`UPDATE users SET dfe_participant_id = md5('npq-demo-participant:' || email)::uuid,
			trn = lpad((('x' || left(md5('npq-demo-trn:' || email), 7))::bit(28)::int % 10000000)::text, 7, '0')
			WHERE role = 'participant' AND dfe_participant_id IS NULL AND anonymised_at IS NULL`,
		`UPDATE enrolments e SET dfe_application_id = md5('npq-demo-application:' || e.id)::uuid,
			dfe_course_identifier = nullif(q.course_identifier, ''), dfe_cohort = to_char(h.starts_on, 'YYYY'),
			dfe_schedule_identifier = h.schedule_identifier, dfe_funded_place = e.funding_route = 'scholarship'
			FROM cohorts h JOIN courses c ON c.id = h.course_id JOIN qualifications q ON q.code = c.qualification_code
			WHERE h.id = e.cohort_id AND e.dfe_application_id IS NULL`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("identifiers: %w", err)
		}
	}
	if err := loadDeclarations(ctx, tx, now); err != nil {
		return err
	}
	// Every other declaration the demo's evidence earns is due, as the declarations job
	// would find it.
	if _, err := outbound.Derive(ctx, tx, now); err != nil {
		return err
	}
	if err := loadDfEView(ctx, tx, now); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT q.course_identifier, to_char(max(h.starts_on), 'YYYY')
		FROM cohorts h JOIN courses c ON c.id = h.course_id JOIN qualifications q ON q.code = c.qualification_code
		WHERE h.study_ends_on >= $1 AND q.course_identifier <> '' GROUP BY 1 ORDER BY 1`, now)
	if err != nil {
		return err
	}
	type course struct{ id, cohort string }
	courses, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (course, error) {
		var c course
		return c, r.Scan(&c.id, &c.cohort)
	})
	if err != nil || len(courses) == 0 {
		return err
	}
	for i, p := range dfeApplicants {
		c := courses[i%len(courses)]
		email := strings.ToLower(strings.ReplaceAll(p.name, " ", ".")) + "@school.demo.test"
		received := now.Add(-time.Duration(len(dfeApplicants)-i) * 26 * time.Hour)
		if _, err := tx.Exec(ctx, `INSERT INTO dfe_applications (id, participant_id, full_name, email, trn, course_identifier,
				school_urn, cohort, eligible_for_funding, status, dfe_created_at, dfe_updated_at)
			VALUES (md5('npq-demo-dfe-application:' || $1)::uuid, md5('npq-demo-participant:' || $1)::uuid, $2, $1, $3, $4, $5, $6,
				true, 'pending', $7, $7)
			ON CONFLICT (id) DO NOTHING`, email, p.name, fmt.Sprint(2000000+i), c.id, p.school, c.cohort, received); err != nil {
			return fmt.Errorf("application %s: %w", p.name, err)
		}
	}
	return nil
}

// loadDeclarations gives the first eight enrolments with DfE ids and a completion a started
// declaration resting on their first completion, in every state: two due, three sent, one
// refused by DfE and two voided (the page at /admin/dfe/declarations), and statements for
// their cut-offs. DfE is not called.
func loadDeclarations(ctx context.Context, tx pgx.Tx, now time.Time) error {
	_, err := tx.Exec(ctx, `WITH first AS (
			SELECT DISTINCT ON (c.enrolment_id) c.enrolment_id, c.id, c.completed_at
			FROM item_completions c JOIN enrolments e ON e.id = c.enrolment_id JOIN users u ON u.id = e.user_id
			WHERE u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL AND c.completed_at <= $2
			ORDER BY c.enrolment_id, c.completed_at, c.id
		), picked AS (
			SELECT f.*, row_number() OVER (ORDER BY f.enrolment_id) AS n FROM first f ORDER BY f.enrolment_id LIMIT 8
		)
		INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version, evidence, why, state,
			dfe_id, dfe_state, error, attempts, created_at, last_attempt_at, sent_at, voided_at, voided_by, void_reason)
		SELECT p.enrolment_id, 'started', p.completed_at, $1, jsonb_build_array('completion:' || p.id),
			'First attendance or completion on or after the schedule start.',
			CASE WHEN n <= 2 THEN 'due' WHEN n <= 5 THEN 'sent' WHEN n = 6 THEN 'failed' ELSE 'voided' END,
			CASE WHEN n >= 3 AND n <> 6 THEN md5('npq-demo-declaration:' || p.enrolment_id)::uuid END,
			CASE WHEN n IN (3, 4) THEN 'eligible' WHEN n = 5 THEN 'paid' WHEN n >= 7 THEN 'voided' ELSE '' END,
			CASE WHEN n = 6 THEN 'The entered ''#/course_identifier'' is not recognised for the given participant. Check details and try again.' ELSE '' END,
			CASE WHEN n <= 2 THEN 0 ELSE 1 END, $2 - interval '3 days',
			CASE WHEN n > 2 THEN $2 - interval '3 days' END,
			CASE WHEN n >= 3 AND n <> 6 THEN $2 - interval '3 days' END,
			CASE WHEN n >= 7 THEN $2 - interval '1 day' END,
			CASE WHEN n >= 7 THEN (SELECT id FROM users WHERE email = 'admin@demo.test') END,
			CASE WHEN n >= 7 THEN 'The attendance was recorded against the wrong participant.' ELSE '' END
		FROM picked p
		ON CONFLICT DO NOTHING`, declarations.RuleVersion, now)
	if err != nil {
		return fmt.Errorf("declarations: %w", err)
	}
	// A made-up statement calendar for each DfE cohort of the demo: a cut-off at the end of
	// each month from last month to six months ahead, paid on the 25th of the next.
	_, err = tx.Exec(ctx, `INSERT INTO dfe_statements (id, cohort, month, year, cut_off_date, payment_date, paid, dfe_updated_at)
		SELECT md5('npq-demo-statement:' || c.cohort || ':' || to_char(m, 'YYYY-MM'))::uuid, c.cohort, to_char(m, 'FMMonth'), to_char(m, 'YYYY'),
			(m + interval '1 month - 1 day')::date, (m + interval '1 month 24 days')::date, m + interval '1 month 24 days' < $1, $1
		FROM (SELECT DISTINCT left(dfe_cohort, 4) AS cohort FROM enrolments WHERE dfe_cohort IS NOT NULL) c,
			generate_series(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') - interval '1 month',
				date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') + interval '6 months', interval '1 month') AS m
		ON CONFLICT (id) DO NOTHING`, now)
	if err != nil {
		return fmt.Errorf("statements: %w", err)
	}
	return nil
}
