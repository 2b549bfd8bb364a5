package outbound

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"npq/internal/database"
	"npq/internal/dfe/declarations"
)

// targets are the enrolments declarations are derived for: those whose participant has a
// DfE participant id and whose enrolment has a DfE course, leaving out those held back by a
// refusal and those with nothing left to earn: a completed declaration due or sent, and no
// result released after it.
const targets = `SELECT e.id FROM enrolments e JOIN users u ON u.id = e.user_id
	WHERE u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM dfe_declarations x WHERE x.enrolment_id = e.id AND x.state = 'failed')
	  AND NOT EXISTS (SELECT 1 FROM dfe_declarations x WHERE x.enrolment_id = e.id AND x.declaration_type = 'completed'
		AND x.state IN ('due', 'sent') AND NOT EXISTS (SELECT 1 FROM submissions s
			WHERE s.enrolment_id = e.id AND s.stage = 'released' AND s.released_at > x.declaration_date))`

// chunk is how many enrolments' evidence is read and held at once. At national size
// (56,000 enrolments with DfE ids) reading everyone's at once took the web process's heap to
// 172 MB every 15 minutes; in chunks of 5,000 its peak is 70 MB, in the same 3 s, for two
// round trips a chunk (reading and recording) where there were two in all. (A variable, so
// that tests can cut it.)
var chunk = 5000

// enrolment is one target with the evidence read for it.
type enrolment struct {
	id       int64
	status   string
	cohort   string
	schedule string
	partner  string
	ev       declarations.Evidence
	held     []Held
	outcomes []HeldOutcome
}

// scheduled gives e's evidence its DfE schedule and delivery partner's DfE id, or says that
// its DfE cohort or schedule cannot be read.
func (e *enrolment) scheduled() bool {
	s, ok := ScheduleFor(e.cohort, e.schedule)
	if ok {
		e.ev.Schedule, e.ev.DeliveryPartnerID = s, e.partner
	}
	return ok
}

// DeriveResult says what a derivation did.
type DeriveResult struct {
	Enrolments int // enrolments with DfE ids looked at
	Added      int // declarations newly due
	Outcomes   int // outcome updates newly due
	// Refused counts, by the engine's refusal code, the declarations evidence would earn but
	// DfE would refuse or later void, so they are not recorded (a missing delivery-partner id,
	// say); the job logs them.
	Refused map[string]int
}

// Derive reads the evidence of every enrolment with DfE ids (attendance and completions,
// released outcomes, decided deferrals and withdrawals, the declarations and outcome updates
// already held), runs the engine on each, and records the newly due declarations and outcome
// updates: a chunk of enrolments at a time, in one round trip to read and one to record,
// whatever the chunk's size. A declaration another run recorded first is skipped by the
// unique index, so runs on several instances at once record each declaration once.
func Derive(ctx context.Context, db database.DB, now time.Time) (DeriveResult, error) {
	var res DeriveResult
	err := eachChunk(ctx, db, func(byID map[int64]*enrolment, order []int64) error {
		r, err := deriveChunk(ctx, db, now, byID, order)
		res.Enrolments += r.Enrolments
		res.Added += r.Added
		res.Outcomes += r.Outcomes
		for code, n := range r.Refused {
			if res.Refused == nil {
				res.Refused = map[string]int{}
			}
			res.Refused[code] += n
		}
		return err
	})
	return res, err
}

// deriveChunk is Derive for one chunk's evidence.
func deriveChunk(ctx context.Context, db database.DB, now time.Time, byID map[int64]*enrolment, order []int64) (DeriveResult, error) {
	res := DeriveResult{Enrolments: len(order)}
	var add newRows
	var outs newOutcomes
	for _, id := range order {
		e := byID[id]
		if !e.scheduled() {
			continue
		}
		p := Plan(e.ev, e.held, e.outcomes, now)
		for _, r := range p.Refusals {
			if res.Refused == nil {
				res.Refused = map[string]int{}
			}
			res.Refused[r.Code]++
		}
		for _, d := range p.Due {
			add.add(id, d)
		}
		for _, o := range p.Outcomes {
			outs.add(id, o)
		}
	}
	if len(add.enrolment) == 0 && len(outs.enrolment) == 0 {
		return res, nil
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, has_passed, rule_version, evidence, why, created_at)
		SELECT e, t, d, p, v, ev::jsonb, w, $8 FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::boolean[], $5::text[], $6::text[], $7::text[]) AS x(e, t, d, p, v, ev, w)
		ON CONFLICT DO NOTHING`,
		add.enrolment, add.typ, add.date, add.passed, add.version, add.evidence, add.why, now).Exec(func(tag pgconn.CommandTag) error {
		res.Added = int(tag.RowsAffected())
		return nil
	})
	b.Queue(`INSERT INTO dfe_outcomes (enrolment_id, passed, completion_date, rule_version, evidence, why, created_at)
		SELECT e, p, d, $6, ev::jsonb, w, $7 FROM unnest($1::bigint[], $2::boolean[], $3::date[], $4::text[], $5::text[]) AS x(e, p, d, ev, w)
		ON CONFLICT DO NOTHING`,
		outs.enrolment, outs.passed, outs.date, outs.evidence, outs.why, declarations.RuleVersion, now).Exec(func(tag pgconn.CommandTag) error {
		res.Outcomes = int(tag.RowsAffected())
		return nil
	})
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return res, fmt.Errorf("outbound: record %d due declarations and %d outcomes: %w", len(add.enrolment), len(outs.enrolment), err)
	}
	return res, nil
}

// Target is an enrolment with DfE ids and its evidence, ready for the declarations engine.
type Target struct {
	EnrolmentID int64
	Status      string // our enrolment status: active, deferred, withdrawn or completed
	// Evidence is what Derive gives the engine: the schedule (from ScheduleFor), the delivery
	// partner's DfE id, the engagements after the latest live declaration, released outcomes,
	// decided status changes, and the declarations and outcome updates already held as Made
	// and SentOutcomes.
	Evidence declarations.Evidence
}

// EachTarget reads the evidence of every enrolment Derive looks at, as Derive reads it (a
// chunk at a time), and calls fn with each, in enrolment order, leaving out those whose DfE
// cohort or schedule cannot be read. It stops at fn's first error.
func EachTarget(ctx context.Context, db database.DB, fn func(Target) error) error {
	return eachChunk(ctx, db, func(byID map[int64]*enrolment, order []int64) error {
		for _, id := range order {
			e := byID[id]
			if !e.scheduled() {
				continue
			}
			if err := fn(Target{EnrolmentID: id, Status: e.status, Evidence: withHeld(e.ev, e.held, e.outcomes)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachChunk reads the targets, then their evidence a chunk at a time, and calls fn with each
// chunk's.
func eachChunk(ctx context.Context, db database.DB, fn func(byID map[int64]*enrolment, order []int64) error) error {
	all, err := readTargets(ctx, db)
	if err != nil {
		return err
	}
	for len(all) > 0 {
		part := all[:min(len(all), chunk)]
		all = all[len(part):]
		byID, order, err := readEvidence(ctx, db, part)
		if err != nil {
			return err
		}
		if err := fn(byID, order); err != nil {
			return err
		}
		clear(part) // let the chunk's evidence go
	}
	return nil
}

// newOutcomes are the columns of the outcome updates to insert.
type newOutcomes struct {
	enrolment []int64
	passed    []bool
	date      []time.Time
	evidence  []string
	why       []string
}

func (n *newOutcomes) add(enrolment int64, o declarations.OutcomeDue) {
	n.enrolment = append(n.enrolment, enrolment)
	n.passed = append(n.passed, o.Passed)
	n.date = append(n.date, o.CompletionDate)
	n.evidence = append(n.evidence, evidenceJSON(o.EvidenceIDs))
	n.why = append(n.why, o.Why)
}

func evidenceJSON(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	ev, _ := json.Marshal(ids) // a []string always marshals
	return string(ev)
}

// newRows are the columns of the declarations to insert.
type newRows struct {
	enrolment []int64
	typ       []string
	date      []time.Time
	passed    []*bool
	version   []string
	evidence  []string
	why       []string
}

func (n *newRows) add(enrolment int64, d declarations.Due) {
	n.enrolment = append(n.enrolment, enrolment)
	n.typ = append(n.typ, string(d.Type))
	n.date = append(n.date, d.DeclarationDate)
	n.passed = append(n.passed, d.HasPassed)
	n.version = append(n.version, d.RuleVersion)
	n.evidence = append(n.evidence, evidenceJSON(d.EvidenceIDs))
	n.why = append(n.why, d.Why)
}

// readTargets reads every target, without its evidence, in id order.
func readTargets(ctx context.Context, db database.DB) ([]*enrolment, error) {
	rows, err := db.Query(ctx, `SELECT e.id, e.status, coalesce(e.dfe_cohort, to_char(h.starts_on, 'YYYY')), coalesce(e.dfe_schedule_identifier, h.schedule_identifier),
			coalesce(p.dfe_id::text, '')
		FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE e.id IN (`+targets+`) ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("outbound: read targets: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*enrolment, error) {
		e := &enrolment{}
		return e, r.Scan(&e.id, &e.status, &e.cohort, &e.schedule, &e.partner)
	})
	if err != nil {
		return nil, fmt.Errorf("outbound: read targets: %w", err)
	}
	return list, nil
}

// readEvidence reads the evidence of some targets in one batch, returning them by id and in
// id order.
func readEvidence(ctx context.Context, db database.DB, part []*enrolment) (map[int64]*enrolment, []int64, error) {
	byID := make(map[int64]*enrolment, len(part))
	order := make([]int64, len(part))
	for i, e := range part {
		byID[e.id], order[i] = e, e.id
	}
	b := &pgx.Batch{}
	each := func(sql string, scan func(rows pgx.Rows) (int64, func(*enrolment), error)) {
		b.Queue(sql, order).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				id, apply, err := scan(rows)
				if err != nil {
					return err
				}
				if e := byID[id]; e != nil {
					apply(e)
				}
			}
			return rows.Err()
		})
	}
	queueEvidence(each)
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("outbound: read evidence: %w", err)
	}
	return byID, order, nil
}

// queueEvidence queues the evidence queries of the targets whose ids are $1; each scan reads
// one row and says which enrolment it belongs to and how to add it.
func queueEvidence(each func(sql string, scan func(rows pgx.Rows) (int64, func(*enrolment), error))) {
	// Only engagements after the latest live declaration can earn anything (the engine skips
	// the rest), so the others are not read.
	each(`WITH latest AS (SELECT d.enrolment_id, max(d.declaration_date) AS at FROM dfe_declarations d
			WHERE (d.state = 'due' OR (d.state = 'sent' AND d.dfe_state IN ('', 'submitted', 'eligible', 'payable', 'paid')))
			  AND d.enrolment_id = ANY($1::bigint[])
			GROUP BY d.enrolment_id)
		SELECT b.enrolment_id, 'attendance:' || b.id, ev.starts_at FROM bookings b JOIN events ev ON ev.id = b.event_id
			LEFT JOIN latest l ON l.enrolment_id = b.enrolment_id
		WHERE b.attendance = 'attended' AND b.enrolment_id = ANY($1::bigint[]) AND (l.at IS NULL OR ev.starts_at > l.at)
		UNION ALL
		SELECT c.enrolment_id, 'completion:' || c.id, c.completed_at FROM item_completions c LEFT JOIN latest l ON l.enrolment_id = c.enrolment_id
		WHERE c.enrolment_id = ANY($1::bigint[]) AND (l.at IS NULL OR c.completed_at > l.at)`,
		func(rows pgx.Rows) (int64, func(*enrolment), error) {
			var id int64
			var g declarations.Engagement
			err := rows.Scan(&id, &g.ID, &g.At)
			return id, func(e *enrolment) { e.ev.Engagements = append(e.ev.Engagements, g) }, err
		})
	each(`SELECT s.enrolment_id, 'outcome:' || s.id, s.passed, s.released_at FROM submissions s
		WHERE s.stage = 'released' AND s.passed IS NOT NULL AND s.enrolment_id = ANY($1::bigint[])`,
		func(rows pgx.Rows) (int64, func(*enrolment), error) {
			var id int64
			var o declarations.Outcome
			err := rows.Scan(&id, &o.ID, &o.Passed, &o.ReleasedAt)
			return id, func(e *enrolment) { e.ev.Outcomes = append(e.ev.Outcomes, o) }, err
		})
	// Decided deferrals and withdrawals at their effective dates, and reinstatements (an
	// active status after a withdrawal), which lift a withdrawal.
	each(`SELECT r.enrolment_id, 'request:' || r.id, CASE r.kind WHEN 'deferral' THEN 'deferred' ELSE 'withdrawn' END,
			r.effective_on::timestamp AT TIME ZONE 'UTC'
		FROM status_requests r WHERE r.state = 'approved' AND r.effective_on IS NOT NULL AND r.enrolment_id = ANY($1::bigint[])
		UNION ALL
		SELECT h.enrolment_id, 'status:' || h.id, 'resumed', h.recorded_at FROM enrolment_status_history h
		WHERE h.status = 'active' AND h.enrolment_id = ANY($1::bigint[]) AND EXISTS (SELECT 1 FROM enrolment_status_history w
			WHERE w.enrolment_id = h.enrolment_id AND w.status = 'withdrawn' AND w.id < h.id)`,
		func(rows pgx.Rows) (int64, func(*enrolment), error) {
			var id int64
			var c declarations.StatusChange
			err := rows.Scan(&id, &c.ID, &c.Kind, &c.At)
			return id, func(e *enrolment) { e.ev.StatusChanges = append(e.ev.StatusChanges, c) }, err
		})
	each(`SELECT d.enrolment_id, d.declaration_type, d.declaration_date, d.state, d.dfe_state, d.has_passed, d.evidence
		FROM dfe_declarations d WHERE d.enrolment_id = ANY($1::bigint[]) ORDER BY d.id`,
		func(rows pgx.Rows) (int64, func(*enrolment), error) {
			var id int64
			var h Held
			err := rows.Scan(&id, &h.Type, &h.Date, &h.State, &h.DfEState, &h.HasPassed, &h.Evidence)
			return id, func(e *enrolment) { e.held = append(e.held, h) }, err
		})
	each(`SELECT o.enrolment_id, o.passed, o.completion_date::timestamp AT TIME ZONE 'UTC', o.state
		FROM dfe_outcomes o WHERE o.enrolment_id = ANY($1::bigint[]) ORDER BY o.id`,
		func(rows pgx.Rows) (int64, func(*enrolment), error) {
			var id int64
			var o HeldOutcome
			err := rows.Scan(&id, &o.Passed, &o.CompletionDate, &o.State)
			return id, func(e *enrolment) { e.outcomes = append(e.outcomes, o) }, err
		})
}
