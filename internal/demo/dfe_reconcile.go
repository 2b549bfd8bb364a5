package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/dfe/reconcile"
)

// loadDfEView gives the demo DfE's copy of its participants and declarations, as a sync an
// hour ago would have read it, agreeing with ours but for two mismatches (the page at
// /admin/dfe/mismatches): the first deferred participant DfE still holds as active, and DfE
// is clawing back the first declaration it paid. DfE is not called.
func loadDfEView(ctx context.Context, tx pgx.Tx, now time.Time) error {
	synced := now.Add(-time.Hour)
	for _, q := range []string{
		`INSERT INTO dfe_participants (participant_id, course_identifier, full_name, training_status, schedule_identifier, cohort,
				dfe_updated_at, synced_at)
			SELECT u.dfe_participant_id, e.dfe_course_identifier, u.name,
				CASE WHEN e.status IN ('deferred', 'withdrawn') THEN e.status ELSE 'active' END,
				coalesce(e.dfe_schedule_identifier, ''), coalesce(e.dfe_cohort, ''), e.created_at, $1
			FROM enrolments e JOIN users u ON u.id = e.user_id
			WHERE u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
			ON CONFLICT DO NOTHING`,
		`UPDATE dfe_participants p SET training_status = 'active' FROM (
				SELECT u.dfe_participant_id, e.dfe_course_identifier FROM enrolments e JOIN users u ON u.id = e.user_id
				WHERE e.status = 'deferred' AND u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
				ORDER BY e.id LIMIT 1) d
			WHERE p.participant_id = d.dfe_participant_id AND p.course_identifier = d.dfe_course_identifier AND p.synced_at = $1`,
		`INSERT INTO dfe_declarations_seen (dfe_id, participant_id, course_identifier, declaration_type, declaration_date, state,
				dfe_updated_at, synced_at)
			SELECT d.dfe_id, u.dfe_participant_id, e.dfe_course_identifier, d.declaration_type, d.declaration_date,
				CASE WHEN d.id = (SELECT min(id) FROM dfe_declarations WHERE dfe_state = 'paid') THEN 'awaiting_clawback' ELSE d.dfe_state END,
				coalesce(d.sent_at, d.created_at), $1
			FROM dfe_declarations d JOIN enrolments e ON e.id = d.enrolment_id JOIN users u ON u.id = e.user_id
			WHERE d.dfe_id IS NOT NULL
			ON CONFLICT DO NOTHING`,
		`UPDATE dfe_declarations d SET dfe_state = s.state FROM dfe_declarations_seen s WHERE s.dfe_id = d.dfe_id AND s.synced_at = $1`,
		`INSERT INTO dfe_sync_state (list, synced_until, ran_at)
			SELECT l, $1, $1 FROM unnest(ARRAY['participants', 'participants:full', 'declarations', 'declarations:full']) l
			ON CONFLICT (list) DO NOTHING`,
	} {
		if _, err := tx.Exec(ctx, q, synced); err != nil {
			return fmt.Errorf("DfE's copy: %w", err)
		}
	}
	if _, err := reconcile.Reconcile(ctx, tx, synced); err != nil {
		return err
	}
	return nil
}
