package statuses

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/programme"
)

// DeriveResult says what a derivation did.
type DeriveResult struct {
	Decisions int // recent decisions of enrolments with DfE ids looked at
	Added     int // status changes newly due
}

// decisions are the recent decisions of enrolments with DfE ids: approved deferrals and
// withdrawals decided, taking effect or returned from since $1 (a withdrawal with when the
// participant was next made active again, if they were), and reinstatements (an active status
// entry straight after a withdrawn one) recorded since $1.
const decisions = `SELECT r.id, 0::bigint, r.enrolment_id, r.kind, r.reason, r.effective_on, coalesce(r.decided_at, r.created_at),
		r.return_on, r.returned_at,
		CASE r.kind WHEN 'withdrawal' THEN (SELECT min(h.recorded_at) FROM enrolment_status_history h
			WHERE h.enrolment_id = r.enrolment_id AND h.status = 'active' AND h.recorded_at > coalesce(r.decided_at, r.created_at)) END
	FROM status_requests r JOIN enrolments e ON e.id = r.enrolment_id JOIN users u ON u.id = e.user_id
	WHERE r.state = 'approved' AND r.effective_on IS NOT NULL AND u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
	  AND (r.decided_at >= $1 OR r.effective_on >= $1::date OR r.returned_at >= $1)
	UNION ALL
	SELECT 0, h.id, h.enrolment_id, 'reinstatement', '', h.effective_on, h.recorded_at, NULL, NULL, NULL
	FROM enrolment_status_history h JOIN enrolments e ON e.id = h.enrolment_id JOIN users u ON u.id = e.user_id
	WHERE h.status = 'active' AND h.recorded_at >= $1 AND u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
	  AND (SELECT p.status FROM enrolment_status_history p WHERE p.enrolment_id = h.enrolment_id AND p.id < h.id
		ORDER BY p.id DESC LIMIT 1) = 'withdrawn'`

// Derive records the status changes our recent decisions imply (Changes) for enrolments with
// DfE ids, in two round trips whatever their number: one reads the decisions, one inserts the
// new changes in the order they happened (so the send queue, in id order, tells DfE in that
// order). A change another run recorded first is skipped by the unique constraints, so runs
// on several instances at once record each once. Decisions older than Lookback are not
// pushed (see Lookback).
func Derive(ctx context.Context, db database.DB, now time.Time) (DeriveResult, error) {
	since := now.Add(-Lookback)
	rows, err := db.Query(ctx, decisions, since)
	if err != nil {
		return DeriveResult{}, fmt.Errorf("statuses: read decisions: %w", err)
	}
	ds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Decision, error) {
		var d Decision
		return d, r.Scan(&d.RequestID, &d.HistoryID, &d.EnrolmentID, &d.Kind, &d.Reason, &d.EffectiveOn, &d.DecidedAt, &d.ReturnOn, &d.ReturnedAt, &d.ReinstatedAt)
	})
	if err != nil {
		return DeriveResult{}, fmt.Errorf("statuses: read decisions: %w", err)
	}
	res := DeriveResult{Decisions: len(ds)}
	today := programme.Today(now)
	var cs []Change
	for _, d := range ds {
		cs = append(cs, Changes(d, today, since)...)
	}
	if len(cs) == 0 {
		return res, nil
	}
	SortChanges(cs)
	var n newRows
	for _, c := range cs {
		n.add(c)
	}
	tag, err := db.Exec(ctx, `INSERT INTO dfe_status_changes (enrolment_id, request_id, status_history_id, action, reason, effective_on, created_at)
		SELECT e, nullif(r, 0), nullif(h, 0), a, re, d, $7
		FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::date[]) WITH ORDINALITY AS x(e, r, h, a, re, d, n)
		ORDER BY n
		ON CONFLICT DO NOTHING`, n.enrolment, n.request, n.history, n.action, n.reason, n.effective, now)
	if err != nil {
		return res, fmt.Errorf("statuses: record %d status changes: %w", len(cs), err)
	}
	res.Added = int(tag.RowsAffected())
	return res, nil
}

// SortChanges puts changes in the order they happened: by effective date, then enrolment, a
// defer or withdraw before a resume of the same day.
func SortChanges(cs []Change) {
	rank := func(a Action) int {
		if a == Resume {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(cs, func(a, b Change) int {
		if c := a.EffectiveOn.Compare(b.EffectiveOn); c != 0 {
			return c
		}
		if c := cmp.Compare(a.EnrolmentID, b.EnrolmentID); c != 0 {
			return c
		}
		return rank(a.Action) - rank(b.Action)
	})
}

// newRows are the columns of the status changes to insert.
type newRows struct {
	enrolment, request, history []int64
	action, reason              []string
	effective                   []time.Time
}

func (n *newRows) add(c Change) {
	n.enrolment = append(n.enrolment, c.EnrolmentID)
	n.request = append(n.request, c.RequestID)
	n.history = append(n.history, c.HistoryID)
	n.action = append(n.action, string(c.Action))
	n.reason = append(n.reason, c.Reason)
	n.effective = append(n.effective, c.EffectiveOn)
}
