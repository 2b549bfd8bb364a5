package personaldata

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/timefmt"
)

// Candidate is an account the retention policy acts on, and why.
type Candidate struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Role   string `json:"role"`
	Action Action `json:"action"`
	Reason string `json:"reason"`
}

// Run is one run of the retention policy: what it found, and whether it acted on it.
type Run struct {
	RanAt       time.Time
	Applied     bool
	Deactivated int
	Anonymised  int
	Candidates  []Candidate
}

// holders reads what the policy needs about every account not yet anonymised, in one query.
const holders = `SELECT u.id, u.name, u.email, u.role, u.created_at, u.last_sign_in_at, u.deactivated_at IS NOT NULL,
	EXISTS (SELECT 1 FROM enrolments e WHERE e.user_id = u.id AND e.status IN ('active', 'deferred')),
	(SELECT max(coalesce((SELECT max(h.effective_on) FROM enrolment_status_history h
	                      WHERE h.enrolment_id = e.id AND h.status IN ('withdrawn', 'completed')), c.assessment_closes_on))
	   FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id WHERE e.user_id = u.id AND e.status NOT IN ('active', 'deferred')),
	u.role = 'provider_admin' AND u.deactivated_at IS NULL
	  AND (SELECT count(*) FROM users a WHERE a.role = 'provider_admin' AND a.deactivated_at IS NULL) = 1
	FROM users u WHERE u.anonymised_at IS NULL ORDER BY u.id`

// Review lists the accounts the policy would act on today, without changing anything.
func (s Store) Review(ctx context.Context, p Policy, now time.Time) ([]Candidate, error) {
	l := now.In(timefmt.London)
	today := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, timefmt.London)
	var out []Candidate
	rows, err := s.DB.Query(ctx, holders)
	if err != nil {
		return nil, fmt.Errorf("retention: review: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Candidate
		var h Holder
		var ended *time.Time
		if err := rows.Scan(&c.UserID, &c.Name, &c.Email, &c.Role, &h.CreatedAt, &h.LastSignIn, &h.Deactivated, &h.Running, &ended, &h.LastAdmin); err != nil {
			return nil, err
		}
		h.Participant = c.Role == string(auth.RoleParticipant)
		h.LastEnded = ended
		if c.Action, c.Reason = p.Decide(h, today); c.Action != Keep {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// Applying is when admins started applying the policy, or nil while it only reports.
func (s Store) Applying(ctx context.Context) (*time.Time, error) {
	var since *time.Time
	err := s.DB.QueryRow(ctx, `SELECT applying_since FROM retention_settings WHERE id = 1`).Scan(&since)
	return since, err
}

// SetApplying starts (or stops) applying the policy, on an admin's word.
func (s Store) SetApplying(ctx context.Context, on bool, actorID int64, now time.Time) error {
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var since *time.Time
		if on {
			since = &now
		}
		if _, err := tx.Exec(ctx, `UPDATE retention_settings SET applying_since = $1, approved_by = $2 WHERE id = 1`, since, database.NullID(actorID)); err != nil {
			return err
		}
		action := "retention.stopped"
		if on {
			action = "retention.started"
		}
		return audit.Record(ctx, tx, actorID, action, "retention", nil)
	})
}

// LatestRun is the last run of the policy; ok is false before the first.
func (s Store) LatestRun(ctx context.Context) (Run, bool, error) {
	var r Run
	var report []byte
	err := s.DB.QueryRow(ctx, `SELECT ran_at, applied, deactivated, anonymised, report FROM retention_runs ORDER BY ran_at DESC, id DESC LIMIT 1`).
		Scan(&r.RanAt, &r.Applied, &r.Deactivated, &r.Anonymised, &report)
	if database.IsNoRows(err) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("retention: latest run: %w", err)
	}
	return r, true, json.Unmarshal(report, &r.Candidates)
}

// RunPolicy reviews every account and records the report; when apply is true it also
// deactivates and anonymises those the policy names, each in its own transaction.
func (s Store) RunPolicy(ctx context.Context, p Policy, now time.Time, apply bool) (Run, error) {
	r := Run{RanAt: now, Applied: apply}
	var err error
	if r.Candidates, err = s.Review(ctx, p, now); err != nil {
		return r, err
	}
	for _, c := range r.Candidates {
		switch {
		case !apply:
		case c.Action == Deactivate:
			if err := s.deactivate(ctx, c, now); err != nil {
				return r, err
			}
			r.Deactivated++
		case c.Action == Anonymise:
			if err := s.anonymise(ctx, c, now); err != nil {
				return r, err
			}
			r.Anonymised++
		}
	}
	report, err := json.Marshal(r.Candidates)
	if err != nil {
		return r, err
	}
	_, err = s.DB.Exec(ctx, `INSERT INTO retention_runs (ran_at, applied, deactivated, anonymised, report) VALUES ($1, $2, $3, $4, $5)`,
		now, apply, r.Deactivated, r.Anonymised, report)
	return r, err
}

func (s Store) deactivate(ctx context.Context, c Candidate, now time.Time) error {
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET deactivated_at = $2, session_version = session_version + 1
			WHERE id = $1 AND deactivated_at IS NULL`, c.UserID, now)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		if _, err := auth.EndSessions(ctx, tx, c.UserID, 0, auth.EndedDeactivated, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, 0, "retention.deactivated", fmt.Sprintf("user:%d", c.UserID), map[string]any{"reason": c.Reason})
	})
}

// removed is what anonymised free text says instead.
const removed = "[removed under the retention policy]"

// anonymise removes a participant's name, contact details and free text, keeping what DfE
// needs to audit funding: enrolments, status history, attendance, completions and outcomes.
func (s Store) anonymise(ctx context.Context, c Candidate, now time.Time) error {
	email := fmt.Sprintf("anonymised-%d@anonymised.invalid", c.UserID)
	statements := []string{
		`UPDATE users SET name = 'Former participant', email = @email, password_hash = '!', anonymised_at = @now,
			deactivated_at = coalesce(deactivated_at, @now), session_version = session_version + 1 WHERE id = @user`,
		`DELETE FROM account_sessions WHERE user_id = @user`,
		`DELETE FROM password_resets WHERE user_id = @user`,
		`DELETE FROM email_changes WHERE user_id = @user`,
		`DELETE FROM calendar_feeds WHERE user_id = @user`,
		`DELETE FROM sign_in_failures WHERE email = @old`,
		`UPDATE invitations SET email = @email, name = 'Former participant' WHERE user_id = @user OR email = @old`,
		`UPDATE outbox SET to_address = @email, to_name = '', body = @removed WHERE to_address = @old`,
		`UPDATE enrolments SET school = '' WHERE user_id = @user`,
		`UPDATE status_requests SET details = '' WHERE enrolment_id IN (SELECT id FROM enrolments WHERE user_id = @user)`,
		`UPDATE bookings SET attendance_note = '' WHERE enrolment_id IN (SELECT id FROM enrolments WHERE user_id = @user)`,
		`UPDATE booking_history SET note = '' WHERE note <> '' AND booking_id IN (SELECT b.id FROM bookings b JOIN enrolments e ON e.id = b.enrolment_id WHERE e.user_id = @user)`,
		`UPDATE letters SET body = @removed WHERE enrolment_id IN (SELECT id FROM enrolments WHERE user_id = @user)`,
		`UPDATE session_catch_ups SET reflection = @removed WHERE enrolment_id IN (SELECT id FROM enrolments WHERE user_id = @user)`,
		`UPDATE submission_texts SET body = '' WHERE submission_id IN (SELECT s.id FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id WHERE e.user_id = @user)`,
		`UPDATE submission_files SET data = '', file_name = 'removed' WHERE submission_id IN (SELECT s.id FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id WHERE e.user_id = @user)`,
		`UPDATE data_requests SET note = '' WHERE user_id = @user`,
	}
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('npq.anonymising', 'on', true)`); err != nil {
			return err
		}
		var old string
		if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = $1 AND anonymised_at IS NULL FOR UPDATE`, c.UserID).Scan(&old); err != nil {
			if database.IsNoRows(err) {
				return nil
			}
			return err
		}
		args := pgx.NamedArgs{"user": c.UserID, "email": email, "now": now, "old": old, "removed": removed}
		for _, q := range statements {
			if _, err := tx.Exec(ctx, q, args); err != nil {
				return fmt.Errorf("retention: anonymise %d: %w", c.UserID, err)
			}
		}
		return audit.Record(ctx, tx, 0, "retention.anonymised", fmt.Sprintf("user:%d", c.UserID), map[string]any{"reason": c.Reason})
	})
}

// RunIfDue runs the policy unless it has already run today (in London): a report only until an
// admin starts applying it, then for real. Two instances running it at once
// do no harm: each change applies once, since it only touches accounts not yet changed.
func (s Store) RunIfDue(ctx context.Context, p Policy, now time.Time) error {
	last, ok, err := s.LatestRun(ctx)
	if err != nil || (ok && last.RanAt.In(timefmt.London).Format(time.DateOnly) == now.In(timefmt.London).Format(time.DateOnly)) {
		return err
	}
	since, err := s.Applying(ctx)
	if err != nil {
		return err
	}
	_, err = s.RunPolicy(ctx, p, now, since != nil)
	return err
}
