package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// loadEventVolume schedules every session of a cohort that has not started, across its four
// blocks: face-to-face days at four venues, webinars on three evenings and tutor sessions in
// small groups, so the partner's event lists run to several pages (about a hundred events).
// One statement builds them from the cohort's block dates; nothing is booked yet.
func loadEventVolume(ctx context.Context, tx pgx.Tx, cohortName string) error {
	tag, err := tx.Exec(ctx, `
		WITH sessions AS (
			SELECT h.id AS cohort_id, h.delivery_partner_id, i.id AS item_id, i.kind, i.title, b.position, cb.opens_on
			FROM cohorts h JOIN cohort_blocks cb ON cb.cohort_id = h.id JOIN blocks b ON b.id = cb.block_id
			JOIN block_items i ON i.block_id = b.id
			WHERE h.name = $1 AND i.kind IN ('face_to_face', 'webinar', 'tutor_session')
		), options AS (
			-- Face-to-face: four venues, three dates each; webinars: three dates; tutor sessions: ten groups.
			SELECT s.*, v.venue, d.n, (s.opens_on + 14 + 7 * d.n + v.shift)::date AS day
			FROM sessions s
			CROSS JOIN LATERAL (VALUES ('Barnsley Civic, Hanson Street, Barnsley S70 2HZ', 0), ('Doncaster Civic Office, Waterdale, Doncaster DN1 3BU', 1),
				('Rotherham Town Hall, Moorgate Street, Rotherham S60 2TH', 2), ('Wakefield One, Burton Street, Wakefield WF1 2EB', 3)) AS v(venue, shift)
			CROSS JOIN generate_series(0, 2) AS d(n)
			WHERE s.kind = 'face_to_face'
			UNION ALL
			SELECT s.*, '', d.n, (s.opens_on + 10 + 7 * d.n)::date FROM sessions s CROSS JOIN generate_series(0, 2) AS d(n) WHERE s.kind = 'webinar'
			UNION ALL
			SELECT s.*, '', d.n, (s.opens_on + 28 + d.n)::date FROM sessions s CROSS JOIN generate_series(0, 9) AS d(n) WHERE s.kind = 'tutor_session'
		), timed AS (
			SELECT o.*,
			       -- Weekends move to the Monday.
			       (o.day + CASE extract(isodow FROM o.day) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END) AS weekday,
			       CASE o.kind WHEN 'face_to_face' THEN time '09:30' WHEN 'webinar' THEN time '16:00' ELSE time '16:30' END AS starts,
			       CASE o.kind WHEN 'face_to_face' THEN interval '6 hours' WHEN 'webinar' THEN interval '90 minutes' ELSE interval '1 hour' END AS length
			FROM options o
		), made AS (
			INSERT INTO events (item_id, delivery_partner_id, kind, title, description, facilitator, starts_at, ends_at, venue, joining_link,
				capacity, booking_opens_at, booking_closes_at, cancellation_cutoff)
			SELECT t.item_id, t.delivery_partner_id, t.kind,
			       t.title || CASE t.kind WHEN 'face_to_face' THEN ' (' || split_part(t.venue, ',', 1) || ')' WHEN 'tutor_session' THEN ' (group ' || (t.n + 1) || ')' ELSE '' END,
			       'Bring your notes from the self-study units.', 'Dr Helen Marsh',
			       (t.weekday + t.starts) AT TIME ZONE 'Europe/London', (t.weekday + t.starts) AT TIME ZONE 'Europe/London' + t.length,
			       t.venue, CASE t.kind WHEN 'webinar' THEN 'https://meet.example.org/npq-' || t.item_id || '-' || t.n ELSE '' END,
			       CASE t.kind WHEN 'face_to_face' THEN 24 WHEN 'tutor_session' THEN 8 END,
			       (t.weekday + t.starts) AT TIME ZONE 'Europe/London' - interval '60 days',
			       (t.weekday + t.starts) AT TIME ZONE 'Europe/London' - interval '1 day',
			       (t.weekday + t.starts) AT TIME ZONE 'Europe/London' - interval '2 days'
			FROM timed t ORDER BY t.weekday, t.starts, t.item_id, t.n
			RETURNING id
		)
		INSERT INTO event_cohorts (event_id, cohort_id) SELECT made.id, (SELECT id FROM cohorts WHERE name = $1) FROM made`, cohortName)
	if err != nil {
		return fmt.Errorf("demo: events for %s: %w", cohortName, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("demo: no sessions to schedule for %s", cohortName)
	}
	return nil
}
