package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// loadTodo leaves work on the to-do lists: a webinar at Barnsley and Doncaster two days ago
// whose register nobody has taken, a first marking of assessor@demo.test three weeks past its
// allocation (so overdue), and an email the mail server refused.
func loadTodo(ctx context.Context, tx pgx.Tx, now time.Time) error {
	var event int64
	err := tx.QueryRow(ctx, `
		INSERT INTO events (item_id, delivery_partner_id, kind, title, description, facilitator, starts_at, ends_at, joining_link, capacity,
			booking_opens_at, booking_closes_at, cancellation_cutoff)
		SELECT e.item_id, e.delivery_partner_id, e.kind, e.title, e.description, e.facilitator, $1, $1::timestamptz + interval '90 minutes', e.joining_link, NULL,
			$1::timestamptz - interval '30 days', $1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 day'
		FROM events e JOIN event_cohorts ec ON ec.event_id = e.id JOIN cohorts h ON h.id = ec.cohort_id
		WHERE h.name = 'NPQH Spring 2026 – Barnsley and Doncaster' AND e.kind = 'webinar' AND e.cancelled_at IS NULL
		ORDER BY e.starts_at LIMIT 1
		RETURNING id`, now.AddDate(0, 0, -2).Truncate(time.Hour)).Scan(&event)
	if err != nil {
		return fmt.Errorf("demo: untaken register: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO event_cohorts (event_id, cohort_id) SELECT $1, id FROM cohorts WHERE name = 'NPQH Spring 2026 – Barnsley and Doncaster';
	`, event); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO bookings (event_id, enrolment_id, item_id, status, created_at)
		SELECT $1, n.id, e.item_id, 'booked', e.booking_opens_at FROM events e JOIN event_cohorts ec ON ec.event_id = e.id
		JOIN enrolments n ON n.cohort_id = ec.cohort_id JOIN users u ON u.id = n.user_id
		WHERE e.id = $1 AND n.status = 'active' AND u.email NOT LIKE '%@demo.test'
		  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.enrolment_id = n.id AND b.item_id = e.item_id)
		ORDER BY n.id LIMIT 12`, event); err != nil {
		return fmt.Errorf("demo: untaken register bookings: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		UPDATE allocations SET allocated_at = $1 WHERE (submission_id, role) = (
			SELECT a.submission_id, a.role FROM allocations a JOIN users u ON u.id = a.marker_id JOIN submissions s ON s.id = a.submission_id
			WHERE u.email = 'assessor@demo.test' AND a.role = 'first' AND s.stage = 'in_marking' ORDER BY a.submission_id LIMIT 1)`,
		now.AddDate(0, 0, -25)); err != nil {
		return fmt.Errorf("demo: overdue marking: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO outbox (to_address, to_name, subject, body, created_at, attempts, last_error, next_attempt_at)
		VALUES ('head@closed-school.demo.test', 'Former headteacher', 'Your NPQ booking', 'Your booking is confirmed.', $1, 3,
		        '550 5.1.1 mailbox unavailable', $2)`, now.AddDate(0, 0, -1), now.Add(time.Hour))
	return err
}
