package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// bookingCapacity is the size of the event everyone tries to book at once.
const bookingCapacity = 20

// simultaneousBookings schedules a 20-place face-to-face day offered to recently started
// national NPQH cohorts, signs in n of their active participants who have not booked that
// session, and has them all press Book at the same moment. Exactly 20 must get a place and
// the rest be told it is full, with no error.
func simultaneousBookings(ctx context.Context, pool *pgxpool.Pool, c *child, n int) bookingResult {
	res := bookingResult{Attempts: n, Capacity: bookingCapacity}
	event, emails, err := bookingEvent(ctx, pool, n)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if len(emails) < n {
		res.Error = fmt.Sprintf("only %d participants could book the event; is the national data loaded?", len(emails))
		return res
	}
	targets := make([]vegeta.Target, 0, n)
	for _, email := range emails {
		cookie, err := newBrowser(c.base).signIn(email)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		targets = append(targets, vegeta.Target{Method: http.MethodPost, URL: fmt.Sprintf("%s/events/%d/book", c.base, event),
			Header: http.Header{"Cookie": {cookie}, "Content-Type": {"application/x-www-form-urlencoded"}}})
	}
	l, _, err := attackStatuses(ctx, c, targets, &res)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.P99Ms, res.ServerMs, res.Errors = l.ClientMs, l.P99Ms, l.Errors
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM bookings WHERE event_id = $1 AND status = 'booked'`, event).Scan(&res.Booked); err != nil {
		res.Error = err.Error()
	}
	return res
}

// attackStatuses is attack for the burst, noting the answers' status codes in res.
func attackStatuses(ctx context.Context, c *child, targets []vegeta.Target, res *bookingResult) (load, serverStats, error) {
	if err := c.reset(); err != nil {
		return load{}, serverStats{}, err
	}
	n := len(targets)
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(n)), vegeta.MaxWorkers(uint64(n)), vegeta.KeepAlive(true),
		vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(60*time.Second), vegeta.Connections(n))
	var m vegeta.Metrics
	for r := range atk.Attack(vegeta.NewStaticTargeter(targets...), burst(n), 0, "bookings") {
		m.Add(r)
	}
	m.Close()
	s, err := c.stats()
	if err != nil {
		return load{}, s, err
	}
	l := load{Clients: n, Requests: int(m.Requests), P50Ms: s.P50Ms, P99Ms: s.P99Ms, ClientMs: ms(m.Latencies.P99), PerSec: m.Throughput}
	var codes []string
	for code, count := range m.StatusCodes {
		codes = append(codes, fmt.Sprintf("%s×%d", code, count))
		if code < "200" || code >= "400" {
			l.Errors += count
		}
	}
	sort.Strings(codes)
	res.Statuses = strings.Join(codes, " ")
	return l, s, ctx.Err()
}

// bookingEvent makes the event and picks the n participants who will try to book it.
func bookingEvent(ctx context.Context, pool *pgxpool.Pool, n int) (int64, []string, error) {
	var event int64
	var emails []string
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// Block 4's face-to-face day of NPQH: cohorts that started two to seven months ago
		// have not reached it, so nobody has booked it yet.
		err := tx.QueryRow(ctx, `
			WITH item AS (
				SELECT i.id FROM block_items i JOIN blocks b ON b.id = i.block_id JOIN courses co ON co.id = b.course_id
				WHERE co.qualification_code = 'NPQH' AND b.position = 4 AND i.kind = 'face_to_face' AND i.archived_at IS NULL
				ORDER BY i.id LIMIT 1
			), cohorts AS (
				SELECT h.id, h.delivery_partner_id FROM cohorts h JOIN courses co ON co.id = h.course_id
				WHERE co.qualification_code = 'NPQH' AND h.starts_on BETWEEN current_date - 210 AND current_date - 60
			), made AS (
				INSERT INTO events (item_id, delivery_partner_id, kind, title, description, starts_at, ends_at, venue, capacity,
					booking_opens_at, booking_closes_at, cancellation_cutoff)
				SELECT item.id, (SELECT delivery_partner_id FROM cohorts ORDER BY id LIMIT 1), 'face_to_face',
				       'Benchmark: everyone books at once', 'Made by make bench.', s.at, s.at + interval '6 hours', 'Benchmark hall', $1,
				       now() - interval '1 day', s.at - interval '1 day', s.at - interval '2 days'
				FROM item, (SELECT date_trunc('day', now()) + interval '45 days 6 hours' AS at) s
				RETURNING id
			), offered AS (
				INSERT INTO event_cohorts (event_id, cohort_id) SELECT made.id, cohorts.id FROM made, cohorts RETURNING event_id
			)
			SELECT DISTINCT event_id FROM offered`, bookingCapacity).Scan(&event)
		if err != nil {
			return fmt.Errorf("bench: the bookings event: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT u.email FROM event_cohorts ec JOIN enrolments e ON e.cohort_id = ec.cohort_id JOIN users u ON u.id = e.user_id
			JOIN events v ON v.id = ec.event_id
			WHERE ec.event_id = $1 AND e.status = 'active' AND u.deactivated_at IS NULL
			  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.enrolment_id = e.id AND b.item_id = v.item_id AND b.status <> 'cancelled')
			ORDER BY e.id LIMIT $2`, event, n)
		if err != nil {
			return err
		}
		emails, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return event, emails, err
}
