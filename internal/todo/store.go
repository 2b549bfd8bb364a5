package todo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/assessment"
	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/internal/scope"
)

// Store reads the to-do lists from the database.
type Store struct{ DB database.DB }

// withParams names the values every to-do query reads. The count of an item and the list of
// its rows select through the same fragment below, so a list always shows exactly the rows
// its count counted.
const withParams = `WITH p AS (SELECT $1::bool AS all_partners, $2::bigint AS partner_id, $3::timestamptz AS now,
	$4::timestamptz AS idle_before, $5::timestamptz AS allocated_before, $6::date AS returns_until)
	`

// args are the values of withParams for a scope at now.
func args(sc scope.Scope, now time.Time) []any {
	today := programme.Today(now)
	return []any{sc.All(), sc.PartnerID(), now, now.Add(-time.Duration(programme.InactiveDays) * 24 * time.Hour),
		assessment.OverdueAllocatedBefore(now), today.AddDate(0, lifecycle.ReturnWindow, 0)}
}

// inScope is the condition that cohort h is the scope's.
const inScope = `(p.all_partners OR h.delivery_partner_id = p.partner_id)`

// scoped writes a to-do query's scope conditions for sc: none for every partner, and one
// comparing with $2 for one partner, so that PostgreSQL plans each scope with its indexes
// rather than testing every row of every partner against the parameters.
func scoped(q string, sc scope.Scope) string {
	h, e := "h.delivery_partner_id = $2", "e.delivery_partner_id = $2"
	if sc.All() {
		h, e = "true", "true"
	}
	return strings.NewReplacer(inScope, h, `(p.all_partners OR e.delivery_partner_id = p.partner_id)`, e).Replace(q)
}

// fragments select the rows behind each kind: an id and at (the date its age is read from).
var fragments = map[Kind]string{
	// Past events, not cancelled, with a booked place whose attendance is not recorded.
	Registers: `SELECT e.id, e.ends_at AS at FROM events e CROSS JOIN p
		WHERE (p.all_partners OR e.delivery_partner_id = p.partner_id) AND e.cancelled_at IS NULL AND e.ends_at < p.now
		  AND EXISTS (SELECT 1 FROM bookings b WHERE b.event_id = e.id AND b.status = 'booked' AND b.attendance IS NULL)`,
	// programme.IsInactive: active, able to be active (their start, the cohort's start and the
	// first block's opening all passed) for more than the threshold, and idle for longer.
	Inactive: `SELECT n.id, greatest(n.last_activity_at, greatest(n.starts_on, h.starts_on, fb.first_open)::timestamp AT TIME ZONE 'Europe/London') AS at
		FROM enrolments n JOIN cohorts h ON h.id = n.cohort_id
		CROSS JOIN LATERAL (SELECT min(cb.opens_on) AS first_open FROM cohort_blocks cb WHERE cb.cohort_id = h.id) fb CROSS JOIN p
		WHERE ` + inScope + ` AND n.status = 'active' AND fb.first_open IS NOT NULL
		  AND greatest(n.starts_on, h.starts_on, fb.first_open) < (p.now AT TIME ZONE 'Europe/London')::date - ` + strconv.Itoa(programme.InactiveDays) + `
		  AND (n.last_activity_at IS NULL OR n.last_activity_at < p.idle_before)`,
	Requests: `SELECT r.id, r.created_at AS at FROM status_requests r JOIN enrolments n ON n.id = r.enrolment_id
		JOIN cohorts h ON h.id = n.cohort_id CROSS JOIN p WHERE ` + inScope + ` AND r.state = 'open'`,
	// lifecycle.DueForReturnCheck, with no answer from the participant yet.
	Returns: `SELECT r.id, r.return_on::timestamp AT TIME ZONE 'Europe/London' AS at FROM status_requests r
		JOIN enrolments n ON n.id = r.enrolment_id JOIN cohorts h ON h.id = n.cohort_id CROSS JOIN p
		WHERE ` + inScope + ` AND r.kind = 'deferral' AND r.state = 'approved' AND r.returned_at IS NULL
		  AND r.return_answer IS NULL AND r.return_on <= p.returns_until`,
	// What automatic allocation looks for: a first marker for a submission, a second for one in moderation.
	Unallocated: `SELECT s.id, s.submitted_at AS at FROM submissions s JOIN enrolments n ON n.id = s.enrolment_id
		JOIN cohorts h ON h.id = n.cohort_id CROSS JOIN p WHERE ` + inScope + `
		  AND ((s.stage = 'submitted' AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.submission_id = s.id AND a.role = 'first'))
		    OR (s.stage = 'moderation' AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.submission_id = s.id AND a.role = 'second')))`,
	// assessment.Allocated.Overdue: unfinished work in the marker's stage, allocated before the cutoff.
	Overdue: `SELECT a.submission_id AS id, a.role, a.marker_id, a.allocated_at AS at FROM allocations a CROSS JOIN p
		JOIN submissions s ON s.id = a.submission_id JOIN enrolments n ON n.id = s.enrolment_id JOIN cohorts h ON h.id = n.cohort_id
		LEFT JOIN mark_sheets ms ON ms.submission_id = a.submission_id AND ms.role = a.role
		WHERE ` + inScope + ` AND ms.completed_at IS NULL AND a.allocated_at < p.allocated_before
		  AND s.stage = CASE a.role WHEN 'first' THEN 'in_marking' ELSE 'moderation' END`,
	Release: `SELECT s.id, coalesce((SELECT max(ms.completed_at) FROM mark_sheets ms WHERE ms.submission_id = s.id), s.submitted_at) AS at
		FROM submissions s JOIN enrolments n ON n.id = s.enrolment_id JOIN cohorts h ON h.id = n.cohort_id CROSS JOIN p
		WHERE ` + inScope + ` AND s.stage = 'ready'`,
	FailedMail: `SELECT o.id, o.created_at AS at FROM outbox o CROSS JOIN p WHERE p.all_partners AND o.sent_at IS NULL AND o.last_error <> ''`,
}

// sessions are a scope's required sessions open for booking, per cohort: the same figures the
// engagement page gives events.Pressure, with how many of the cohort have not booked.
const sessions = `SELECT ec.cohort_id, e.item_id,
		CASE WHEN bool_or(e.capacity IS NULL) THEN NULL ELSE sum(e.capacity) END AS capacity,
		sum(e.booked_count) AS booked, max(e.booking_closes_at) AS closes
	FROM events e JOIN event_cohorts ec ON ec.event_id = e.id JOIN cohorts h ON h.id = ec.cohort_id
	JOIN block_items i ON i.id = e.item_id CROSS JOIN p
	WHERE ` + inScope + ` AND i.required AND e.cancelled_at IS NULL AND e.booking_closes_at > p.now AND e.booking_opens_at <= p.now
	GROUP BY ec.cohort_id, e.item_id`

// unbooked is the condition that enrolment n has neither booked nor completed item it.id.
const unbooked = `n.status = 'active'
	AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.enrolment_id = n.id AND b.item_id = x.item_id AND b.status = 'booked')
	AND NOT coalesce((SELECT c.completed FROM item_completions c WHERE c.enrolment_id = n.id AND c.item_id = x.item_id ORDER BY c.id DESC LIMIT 1), false)`

// Summary counts what needs doing within sc at now, in one query, and returns the items with
// anything to do in the audience's order.
func (s Store) Summary(ctx context.Context, sc scope.Scope, now time.Time) ([]Item, error) {
	var parts []string
	for _, k := range KindsFor(sc.All()) {
		if k == Unbooked {
			parts = append(parts, `SELECT 'unbooked', (SELECT count(*) FROM enrolments n WHERE n.cohort_id = x.cohort_id AND `+unbooked+`),
				x.closes, x.capacity, x.booked FROM (`+sessions+`) x`)
			continue
		}
		parts = append(parts, `SELECT '`+string(k)+`', count(*), min(x.at), NULL::bigint, NULL::bigint FROM (`+fragments[k]+`) x`)
	}
	rows, err := s.DB.Query(ctx, scoped(withParams+strings.Join(parts, "\nUNION ALL\n"), sc), args(sc, now)...)
	if err != nil {
		return nil, fmt.Errorf("todo: summary: %w", err)
	}
	found := map[Kind]Item{}
	var kind string
	var n int
	var at *time.Time
	var capacity, booked *int
	_, err = pgx.ForEachRow(rows, []any{&kind, &n, &at, &capacity, &booked}, func() error {
		k := Kind(kind)
		if n == 0 || at == nil {
			return nil
		}
		if k == Unbooked && events.Pressure(capacity, deref(booked), *at, now) == "" {
			return nil
		}
		found[k] = merge(found[k], k, n, *at)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("todo: summary: %w", err)
	}
	if it, ok := found[Overdue]; ok {
		it.At = assessment.MarkingDue(it.At)
		found[Overdue] = it
	}
	return Items(found, sc.All()), nil
}

// merge adds n rows whose most pressing date is at to an item: the earliest date is the most
// pressing for every kind (the oldest, or the soonest to close).
func merge(it Item, k Kind, n int, at time.Time) Item {
	if it.Count == 0 || at.Before(it.At) {
		it.At = at
	}
	it.Kind = k
	it.Count += n
	return it
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// Row is one row behind a to-do item: an event, a participant, a request, a submission or an
// email, named with its course, cohort and partner where it has them.
type Row struct {
	ID       int64 // the event, enrolment, request, submission or message
	UserID   int64 // the participant, where the row is about one
	CohortID int64
	Name     string // the event's title, the participant's name, the email's subject
	Email    string // the participant's or the recipient's address
	Detail   string // what needs doing about it
	Course   string
	Cohort   string
	Partner  string
	At       time.Time // the date its age is read from
	key      listing.Cursor
}

// columns are the Row fields every list query selects, in order, then its sort key after at:
// tie1 and tie2 break ties of at and id (a name, a marking role).
const columns = `id, user_id, cohort_id, name, email, detail, course, cohort, partner, at, tie1, tie2`

// lists select each kind's rows through its fragment, oldest first.
var lists = map[Kind]string{
	Registers: `SELECT e.id, 0::bigint AS user_id, 0::bigint AS cohort_id, e.title AS name, '' AS email,
			(SELECT count(*) FROM bookings b WHERE b.event_id = e.id AND b.status = 'booked' AND b.attendance IS NULL)::text || ' of ' ||
			(SELECT count(*) FROM bookings b WHERE b.event_id = e.id AND b.status = 'booked')::text || ' places not marked' AS detail,
			c.name AS course, coalesce((SELECT string_agg(h.name, ', ' ORDER BY h.name) FROM event_cohorts ec JOIN cohorts h ON h.id = ec.cohort_id WHERE ec.event_id = e.id), '') AS cohort,
			dp.name AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[Registers] + `) x JOIN events e ON e.id = x.id JOIN delivery_partners dp ON dp.id = e.delivery_partner_id
		JOIN block_items i ON i.id = e.item_id JOIN blocks bl ON bl.id = i.block_id JOIN courses c ON c.id = bl.course_id`,
	Inactive: `SELECT n.id, u.id AS user_id, h.id AS cohort_id, u.name, u.email,
			CASE WHEN n.last_activity_at IS NULL OR n.last_activity_at < x.at THEN 'Nothing done since they could start' ELSE 'Last active' END AS detail,
			c.name AS course, h.name AS cohort, dp.name AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[Inactive] + `) x JOIN enrolments n ON n.id = x.id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id`,
	Requests: `SELECT r.id, u.id AS user_id, h.id AS cohort_id, u.name, u.email,
			CASE r.kind WHEN 'deferral' THEN 'Deferral' ELSE 'Withdrawal' END AS detail,
			c.name AS course, h.name AS cohort, dp.name AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[Requests] + `) x JOIN status_requests r ON r.id = x.id JOIN enrolments n ON n.id = r.enrolment_id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id`,
	Returns: `SELECT r.id, u.id AS user_id, h.id AS cohort_id, u.name, u.email,
			CASE WHEN r.return_asked_at IS NULL THEN 'Not asked yet' ELSE 'Asked, no answer yet' END AS detail,
			c.name AS course, h.name AS cohort, dp.name AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[Returns] + `) x JOIN status_requests r ON r.id = x.id JOIN enrolments n ON n.id = r.enrolment_id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id`,
	Unallocated: `SELECT s.id, u.id AS user_id, h.id AS cohort_id, s.candidate_number AS name, u.email,
			CASE s.stage WHEN 'submitted' THEN 'Needs a first marker' ELSE 'Sampled: needs a second marker' END AS detail,
			c.name AS course, h.name AS cohort, dp.name AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[Unallocated] + `) x JOIN submissions s ON s.id = x.id JOIN enrolments n ON n.id = s.enrolment_id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id`,
	Overdue: `SELECT s.id, u.id AS user_id, h.id AS cohort_id, s.candidate_number AS name, u.email,
			CASE x.role WHEN 'first' THEN 'First marking' WHEN 'second' THEN 'Second marking' ELSE 'Moderation' END || ' by ' || m.name AS detail,
			c.name AS course, h.name AS cohort, dp.name AS partner, x.at, '' AS tie1, x.role AS tie2
		FROM (` + fragments[Overdue] + `) x JOIN submissions s ON s.id = x.id JOIN users m ON m.id = x.marker_id
		JOIN enrolments n ON n.id = s.enrolment_id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id`,
	Release: `SELECT s.id, u.id AS user_id, h.id AS cohort_id, s.candidate_number AS name, u.email,
			CASE WHEN s.passed THEN 'Passed' ELSE 'Not passed' END AS detail,
			c.name AS course, h.name AS cohort, dp.name AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[Release] + `) x JOIN submissions s ON s.id = x.id JOIN enrolments n ON n.id = s.enrolment_id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id`,
	FailedMail: `SELECT o.id, 0::bigint AS user_id, 0::bigint AS cohort_id, o.subject AS name, o.to_address AS email,
			o.last_error AS detail, '' AS course, '' AS cohort, '' AS partner, x.at, '' AS tie1, '' AS tie2
		FROM (` + fragments[FailedMail] + `) x JOIN outbox o ON o.id = x.id`,
}

// paged wraps a list query: the rows after (or before) the cursor $7-$10 in sort order, at most
// $11, each with the number of rows in the whole list.
func paged(q string, backward bool) string {
	cmp, dir := ">", ""
	if backward {
		cmp, dir = "<", " DESC"
	}
	return `SELECT ` + columns + `, total FROM (SELECT r.*, count(*) OVER () AS total FROM (` + q + `) r) t
		WHERE $7::timestamptz IS NULL OR (t.at, t.tie1, t.id, t.tie2) ` + cmp + ` ($7, $8::text, $9::bigint, $10::text)
		ORDER BY t.at` + dir + `, t.tie1` + dir + `, t.id` + dir + `, t.tie2` + dir + ` LIMIT $11`
}

// cursorArgs are the values $7-$11 of paged for a request: its cursor (nulls on the first
// page) and its limit. A cursor this package did not write is listing.ErrBadRequest.
func cursorArgs(req listing.Request) ([]any, error) {
	c := req.Cursor()
	if c == nil {
		return []any{nil, nil, nil, nil, req.Limit()}, nil
	}
	if len(c) != 4 {
		return nil, listing.ErrBadRequest
	}
	at, err := time.Parse(time.RFC3339Nano, c[0])
	if err != nil {
		return nil, listing.ErrBadRequest
	}
	id, err := strconv.ParseInt(c[2], 10, 64)
	if err != nil {
		return nil, listing.ErrBadRequest
	}
	return []any{at, c[1], id, c[3], req.Limit()}, nil
}

// Key is a row's position in its list, for listing.Cut.
func Key(r Row) listing.Cursor { return r.key }

// Rows is one page of the rows behind kind k within sc at now, the most pressing first, with
// how many rows there are in all.
func (s Store) Rows(ctx context.Context, k Kind, sc scope.Scope, now time.Time, req listing.Request) (listing.Page[Row], int, error) {
	var page listing.Page[Row]
	tail, err := cursorArgs(req)
	if err != nil {
		return page, 0, err
	}
	if k == Unbooked {
		return s.unbookedRows(ctx, sc, now, req, tail)
	}
	q, ok := lists[k]
	if !ok {
		return page, 0, database.ErrNotFound
	}
	rows, err := s.DB.Query(ctx, scoped(withParams+paged(q, req.Backward()), sc), append(args(sc, now), tail...)...)
	if err != nil {
		return page, 0, fmt.Errorf("todo: %s: %w", k, err)
	}
	out, total, err := collect(rows)
	if err != nil {
		return page, 0, fmt.Errorf("todo: %s: %w", k, err)
	}
	if k == Overdue {
		for i := range out {
			out[i].At = assessment.MarkingDue(out[i].At)
		}
	}
	return listing.Cut(out, req, Key), total, nil
}

// collect reads rows of columns followed by the count of every row.
func collect(rows pgx.Rows) ([]Row, int, error) {
	var out []Row
	var x Row
	var tie1, tie2 string
	total := 0
	_, err := pgx.ForEachRow(rows, []any{&x.ID, &x.UserID, &x.CohortID, &x.Name, &x.Email, &x.Detail, &x.Course, &x.Cohort, &x.Partner, &x.At, &tie1, &tie2, &total}, func() error {
		x.key = listing.Cursor{x.At.Format(time.RFC3339Nano), tie1, strconv.FormatInt(x.ID, 10), tie2}
		out = append(out, x)
		return nil
	})
	return out, total, err
}

// unbookedRows lists, for each required session under pressure (events.Pressure), the people
// of the cohort who have not booked it, in two queries: the sessions, then the people.
func (s Store) unbookedRows(ctx context.Context, sc scope.Scope, now time.Time, req listing.Request, tail []any) (listing.Page[Row], int, error) {
	var page listing.Page[Row]
	rows, err := s.DB.Query(ctx, scoped(withParams+`SELECT x.cohort_id, x.item_id, x.capacity, x.booked, x.closes FROM (`+sessions+`) x`, sc), args(sc, now)...)
	if err != nil {
		return page, 0, fmt.Errorf("todo: sessions: %w", err)
	}
	var cohorts, items []int64
	var reasons []string
	var closing []time.Time
	var cohort, item int64
	var capacity *int
	var booked int
	var closes time.Time
	_, err = pgx.ForEachRow(rows, []any{&cohort, &item, &capacity, &booked, &closes}, func() error {
		if reason := events.Pressure(capacity, booked, closes, now); reason != "" {
			cohorts, items, reasons, closing = append(cohorts, cohort), append(items, item), append(reasons, reason), append(closing, closes)
		}
		return nil
	})
	if err != nil || len(items) == 0 {
		return page, 0, err
	}
	q := `SELECT n.id, u.id AS user_id, h.id AS cohort_id, u.name, u.email,
			'Block ' || bl.position || ': ' || i.title || '. ' || x.reason AS detail, c.name AS course, h.name AS cohort, dp.name AS partner,
			x.closes AS at, u.name AS tie1, i.id::text AS tie2
		FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[]) AS x(cohort_id, item_id, reason, closes)
		JOIN enrolments n ON n.cohort_id = x.cohort_id JOIN users u ON u.id = n.user_id
		JOIN cohorts h ON h.id = n.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners dp ON dp.id = h.delivery_partner_id
		JOIN block_items i ON i.id = x.item_id JOIN blocks bl ON bl.id = i.block_id
		WHERE ($5 OR h.delivery_partner_id = $6) AND ` + unbooked
	rows, err = s.DB.Query(ctx, paged(q, req.Backward()), append([]any{cohorts, items, reasons, closing, sc.All(), sc.PartnerID()}, tail...)...)
	if err != nil {
		return page, 0, fmt.Errorf("todo: unbooked: %w", err)
	}
	out, total, err := collect(rows)
	if err != nil {
		return page, 0, fmt.Errorf("todo: unbooked: %w", err)
	}
	return listing.Cut(out, req, Key), total, nil
}
