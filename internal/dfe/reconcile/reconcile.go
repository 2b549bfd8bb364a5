package reconcile

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// key is a DfE participant on one course.
type key struct{ participant, course string }

// Reconcile compares every enrolment carrying DfE's ids with DfE's copy as read from now on
// (when the sync started reading DfE's lists) and replaces the mismatches: one still found
// keeps when it was first found; one no longer found is deleted.
// Until DfE's participants have been read in full once, there is nothing to compare with,
// and it does nothing. It returns how many mismatches there are. Its queries do not grow
// with the number of enrolments.
func Reconcile(ctx context.Context, db database.DB, now time.Time) (int, error) {
	ours, theirs, ready, err := read(ctx, db, now)
	if err != nil || !ready {
		return 0, err
	}
	var found []Mismatch
	for k, o := range ours {
		found = append(found, Compare(o, theirs[k])...)
	}
	for k, t := range theirs {
		if ours[k] == nil {
			found = append(found, Compare(nil, t)...)
		}
	}
	err = database.InTx(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, m := range found {
			b.Queue(`INSERT INTO dfe_mismatches (participant_id, course_identifier, enrolment_id, declaration_id, kind, subject, ours,
					theirs, action, first_found_at, found_at)
				VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, $6, $7, $8, $9, $10, $10)
				ON CONFLICT (participant_id, course_identifier, kind, subject) DO UPDATE SET enrolment_id = EXCLUDED.enrolment_id,
					declaration_id = EXCLUDED.declaration_id, ours = EXCLUDED.ours, theirs = EXCLUDED.theirs, action = EXCLUDED.action,
					found_at = EXCLUDED.found_at`,
				m.ParticipantID, m.Course, m.EnrolmentID, m.DeclarationID, string(m.Kind), m.Subject, m.Ours, m.Theirs, m.Action, now)
		}
		b.Queue(`DELETE FROM dfe_mismatches WHERE found_at < $1`, now)
		b.Queue(`INSERT INTO dfe_sync_state (list, synced_until, ran_at) VALUES ('reconciled', $1, $1)
			ON CONFLICT (list) DO UPDATE SET synced_until = EXCLUDED.synced_until, ran_at = EXCLUDED.ran_at`, now)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return 0, fmt.Errorf("reconcile: save mismatches: %w", err)
	}
	return len(found), nil
}

// read loads our enrolments that carry DfE's ids with the declarations DfE accepted from us,
// and DfE's participants with the declarations DfE holds, in one round trip. ready is false
// until DfE's participants have been read in full.
func read(ctx context.Context, db database.DB, listed time.Time) (ours map[key]*Ours, theirs map[key]*Theirs, ready bool, err error) {
	ours, theirs = map[key]*Ours{}, map[key]*Theirs{}
	byEnrolment := map[int64]*Ours{}
	b := &pgx.Batch{}
	b.Queue(`SELECT EXISTS (SELECT FROM dfe_sync_state WHERE list = 'participants:full')`).QueryRow(func(r pgx.Row) error {
		return r.Scan(&ready)
	})
	b.Queue(`SELECT e.id, u.dfe_participant_id::text, e.dfe_course_identifier, e.status,
			coalesce(e.dfe_schedule_identifier, ''), coalesce(e.dfe_cohort, '')
		FROM enrolments e JOIN users u ON u.id = e.user_id
		WHERE u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			o := &Ours{}
			if err := rows.Scan(&o.EnrolmentID, &o.ParticipantID, &o.Course, &o.Status, &o.Schedule, &o.Cohort); err != nil {
				return err
			}
			ours[key{o.ParticipantID, o.Course}] = o
			byEnrolment[o.EnrolmentID] = o
		}
		return rows.Err()
	})
	// A declaration sent after DfE's list was read counts as due: DfE's list may not hold it.
	b.Queue(`SELECT enrolment_id, id, coalesce(dfe_id::text, ''), declaration_type, declaration_date, state = 'sent' AND sent_at < $1
		FROM dfe_declarations WHERE state IN ('due', 'sent') ORDER BY declaration_date, id`, listed).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var d OurDeclaration
			var sent bool
			if err := rows.Scan(&id, &d.ID, &d.DfEID, &d.Type, &d.Date, &sent); err != nil {
				return err
			}
			o := byEnrolment[id]
			switch {
			case o == nil:
			case sent:
				o.Declarations = append(o.Declarations, d)
			default:
				o.Due = append(o.Due, d.Type)
			}
		}
		return rows.Err()
	})
	// The latest result DfE should hold: the latest sent of our outcome updates and the result
	// the completed declaration carried.
	b.Queue(`SELECT DISTINCT ON (enrolment_id) enrolment_id, passed, completed, explicit FROM (
			SELECT enrolment_id, passed, completion_date::timestamptz AS completed, true AS explicit, sent_at FROM dfe_outcomes
			WHERE state = 'sent' AND sent_at < $1
			UNION ALL
			SELECT enrolment_id, has_passed, declaration_date, false, sent_at FROM dfe_declarations
			WHERE state = 'sent' AND declaration_type = 'completed' AND has_passed IS NOT NULL AND sent_at < $1) o
		ORDER BY enrolment_id, sent_at DESC`, listed).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var o Outcome
			if err := rows.Scan(&id, &o.Passed, &o.CompletionDate, &o.Explicit); err != nil {
				return err
			}
			if e := byEnrolment[id]; e != nil {
				e.Outcome = &o
			}
		}
		return rows.Err()
	})
	b.Queue(`SELECT participant_id::text, course_identifier, full_name, training_status, schedule_identifier, cohort
		FROM dfe_participants`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			t := &Theirs{}
			if err := rows.Scan(&t.ParticipantID, &t.Course, &t.Name, &t.TrainingStatus, &t.Schedule, &t.Cohort); err != nil {
				return err
			}
			theirs[key{t.ParticipantID, t.Course}] = t
		}
		return rows.Err()
	})
	b.Queue(`SELECT participant_id::text, course_identifier, dfe_id::text, declaration_type, declaration_date, state
		FROM dfe_declarations_seen ORDER BY declaration_date, dfe_id`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var k key
			var d TheirDeclaration
			if err := rows.Scan(&k.participant, &k.course, &d.DfEID, &d.Type, &d.Date, &d.State); err != nil {
				return err
			}
			if t := theirs[k]; t != nil {
				t.Declarations = append(t.Declarations, d)
			}
		}
		return rows.Err()
	})
	b.Queue(`SELECT DISTINCT ON (participant_id, course_identifier) participant_id::text, course_identifier, state = 'passed', completion_date
		FROM dfe_outcomes_seen ORDER BY participant_id, course_identifier, dfe_created_at DESC, dfe_id`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var k key
			var o Outcome
			if err := rows.Scan(&k.participant, &k.course, &o.Passed, &o.CompletionDate); err != nil {
				return err
			}
			if t := theirs[k]; t != nil {
				t.Outcome = &o
			}
		}
		return rows.Err()
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, false, fmt.Errorf("reconcile: read: %w", err)
	}
	return ours, theirs, ready, nil
}
