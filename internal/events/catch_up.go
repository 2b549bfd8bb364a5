package events

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/problem"
	"npq/internal/scope"
)

// CatchUp is what a delivery partner offers the people who missed a session date: a recording,
// a task to do instead (a reflection, a reading), or both.
type CatchUp struct {
	RecordingURL string
	Task         string
}

// Offered reports whether there is anything to catch up with.
func (c CatchUp) Offered() bool { return c.RecordingURL != "" || c.Task != "" }

// Check applies the rules for a catch-up as staff filled in the form, keyed by its fields.
// Both empty means taking the catch-up away.
func (c CatchUp) Check() problem.Problems {
	var p problem.Problems
	if c.RecordingURL != "" {
		if !strings.HasPrefix(c.RecordingURL, "https://") || !webAddress(c.RecordingURL) || strings.ContainsAny(c.RecordingURL, " \t\r\n") {
			p.Add("recording_url", "Recording link must be a web address starting with https://")
		}
		p.MaxLength("recording_url", "Recording link", c.RecordingURL, 500)
	}
	p.MaxLength("task", "What to do instead", c.Task, 2000)
	return p
}

// CheckReflection applies the rules for a participant's reflection on a session they caught up on.
func CheckReflection(reflection string) problem.Problems {
	var p problem.Problems
	if strings.TrimSpace(reflection) == "" {
		p.Add("reflection", "Write your reflection on the session")
	}
	p.MaxLength("reflection", "Your reflection", reflection, 4000)
	return p
}

// CatchUpOf reads an event's catch-up; an empty CatchUp when there is none.
func (s Store) CatchUpOf(ctx context.Context, eventID int64, sc scope.Scope) (CatchUp, error) {
	var c CatchUp
	err := s.DB.QueryRow(ctx, `SELECT coalesce(cu.recording_url, ''), coalesce(cu.task, '')
		FROM event_catch_ups cu JOIN events e ON e.id = cu.event_id
		WHERE cu.event_id = $1 AND ($2 OR e.delivery_partner_id = $3)`, eventID, sc.All(), sc.PartnerID()).Scan(&c.RecordingURL, &c.Task)
	if database.IsNoRows(err) {
		return CatchUp{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("events: catch-up of %d: %w", eventID, err)
	}
	return c, nil
}

// SaveCatchUp sets (or, when c offers nothing, takes away) the catch-up for an event that has
// started, within the scope.
func (s Store) SaveCatchUp(ctx context.Context, eventID int64, sc scope.Scope, c CatchUp, actorID int64, now time.Time) error {
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var startsAt time.Time
		err := tx.QueryRow(ctx, `SELECT starts_at FROM events WHERE id = $1 AND ($2 OR delivery_partner_id = $3) FOR UPDATE`,
			eventID, sc.All(), sc.PartnerID()).Scan(&startsAt)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if now.Before(startsAt) {
			return problem.New("A recording and catch-up task can be added once the session has started")
		}
		if !c.Offered() {
			_, err = tx.Exec(ctx, `DELETE FROM event_catch_ups WHERE event_id = $1`, eventID)
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO event_catch_ups (event_id, recording_url, task, updated_by, updated_at)
			VALUES ($1, nullif($2, ''), nullif($3, ''), $4, $5)
			ON CONFLICT (event_id) DO UPDATE SET recording_url = excluded.recording_url, task = excluded.task,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			eventID, c.RecordingURL, c.Task, database.NullID(actorID), now)
		return err
	})
}

// RecordCatchUp records that a participant caught up on a session they missed, with their
// reflection, and completes the session for them. Doing it twice changes nothing.
func (s Store) RecordCatchUp(ctx context.Context, enrolmentID, itemID, eventID int64, reflection string, now time.Time) error {
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO session_catch_ups (enrolment_id, item_id, event_id, reflection, created_at)
			SELECT $1, $2, e.id, $4, $5 FROM events e JOIN event_catch_ups cu ON cu.event_id = e.id
			WHERE e.id = $3 AND e.item_id = $2
			ON CONFLICT DO NOTHING`, enrolmentID, itemID, eventID, reflection, now)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at)
			VALUES ($1, $2, 'catch_up', $3) ON CONFLICT DO NOTHING`, enrolmentID, itemID, now)
		return err
	})
}
