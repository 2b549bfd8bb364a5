package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/timefmt"
)

// loadEvents schedules the demo cohorts' sessions: past ones with registers taken (matching
// the attendance the demo progress records), upcoming ones with some full and with waiting
// lists, and one cancelled.
func loadEvents(ctx context.Context, tx pgx.Tx, cohortName string, today time.Time) error {
	var cohortID, partnerID int64
	var starts time.Time
	if err := tx.QueryRow(ctx, `SELECT id, delivery_partner_id, starts_on FROM cohorts WHERE name = $1`, cohortName).Scan(&cohortID, &partnerID, &starts); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT i.id, i.kind, i.title, b.position, cb.opens_on FROM block_items i JOIN blocks b ON b.id = i.block_id
		JOIN cohorts h ON h.course_id = b.course_id JOIN cohort_blocks cb ON cb.cohort_id = h.id AND cb.block_id = b.id
		WHERE h.id = $1 AND i.kind IN ('face_to_face', 'webinar', 'tutor_session', 'coaching') ORDER BY b.position, i.position`, cohortID)
	if err != nil {
		return err
	}
	type session struct {
		id    int64
		kind  string
		title string
		block int
		opens time.Time
	}
	sessions, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (session, error) {
		var s session
		return s, r.Scan(&s.id, &s.kind, &s.title, &s.block, &s.opens)
	})
	if err != nil {
		return err
	}
	at := func(day time.Time, hour, minute int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, timefmt.London)
	}
	create := func(s session, title string, day time.Time, capacity *int, cancelled string) (int64, error) {
		start, end := at(day, 9, 30), at(day, 15, 30)
		venue, link := "Barnsley Civic, Hanson Street, Barnsley S70 2HZ", ""
		if s.kind == "webinar" {
			start, end = at(day, 16, 0), at(day, 17, 30)
			venue, link = "", "https://meet.example.org/npq-"+fmt.Sprint(s.id)
		} else if s.kind == "tutor_session" {
			start, end = at(day, 16, 30), at(day, 17, 30)
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO events (item_id, delivery_partner_id, kind, title, description, facilitator, starts_at, ends_at,
				venue, joining_link, capacity, booking_opens_at, booking_closes_at, cancellation_cutoff, cancelled_at, cancelled_reason)
			VALUES ($1, $2, $3, $4, 'Bring your notes from the self-study units.', 'Dr Helen Marsh', $5, $6, $7, $8, $9,
				$5::timestamptz - interval '60 days', $5::timestamptz - interval '1 day', $5::timestamptz - interval '2 days',
				CASE WHEN $10 <> '' THEN now() END, $10) RETURNING id`,
			s.id, partnerID, s.kind, title, start, end, venue, link, capacity, cancelled).Scan(&id)
		if err != nil {
			return 0, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO event_cohorts (event_id, cohort_id) VALUES ($1, $2)`, id, cohortID)
		return id, err
	}
	book := func(eventID, itemID int64, enrolments []int64, status string) error {
		for i, e := range enrolments {
			var bookingID int64
			if err := tx.QueryRow(ctx, `INSERT INTO bookings (event_id, enrolment_id, item_id, status, waiting_since)
				VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'waiting' THEN now() - $5 * interval '1 hour' END) RETURNING id`,
				eventID, e, itemID, status, len(enrolments)-i).Scan(&bookingID); err != nil {
				return fmt.Errorf("book %d on %d: %w", e, eventID, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO booking_history (booking_id, action) VALUES ($1, $2)`, bookingID, map[string]string{"booked": "booked", "waiting": "waiting"}[status]); err != nil {
				return err
			}
		}
		return nil
	}
	ptrInt := func(n int) *int { return &n }
	for _, s := range sessions {
		switch {
		case !s.opens.After(today) && s.opens.AddDate(0, 3, 0).Before(today):
			// A past session: the participants whose progress shows it attended were booked and marked.
			day := s.opens.AddDate(0, 0, 21)
			id, err := create(s, s.title, day, ptrInt(40), "")
			if err != nil {
				return err
			}
			if s.kind == "webinar" {
				// Those who missed a webinar can catch up with its recording and a task.
				if _, err := tx.Exec(ctx, `INSERT INTO event_catch_ups (event_id, recording_url, task) VALUES ($1, $2, $3)`, id,
					fmt.Sprintf("https://recordings.example.org/webinar-%d", id),
					"Watch the recording, then write a short reflection: what will you try in your school, and how will you know it worked?"); err != nil {
					return err
				}
			}
			rows, err := tx.Query(ctx, `SELECT e.id, c.item_id IS NOT NULL FROM enrolments e
				LEFT JOIN item_completions c ON c.enrolment_id = e.id AND c.item_id = $2
				WHERE e.cohort_id = $1 ORDER BY e.id LIMIT 40`, cohortID, s.id)
			if err != nil {
				return err
			}
			type att struct {
				enrolment int64
				attended  bool
			}
			list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (att, error) {
				var a att
				return a, r.Scan(&a.enrolment, &a.attended)
			})
			if err != nil {
				return err
			}
			for i, a := range list {
				mark := "attended"
				if !a.attended {
					mark = []string{"absent", "excused", "absent"}[i%3]
				}
				var bookingID int64
				if err := tx.QueryRow(ctx, `INSERT INTO bookings (event_id, enrolment_id, item_id, status, attendance, created_at)
					VALUES ($1, $2, $3, 'booked', $4, $5) RETURNING id`, id, a.enrolment, s.id, mark, day.AddDate(0, 0, -20)).Scan(&bookingID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO booking_history (booking_id, action, at) VALUES ($1, 'booked', $2), ($1, $3, $4)`,
					bookingID, day.AddDate(0, 0, -20), mark, day.Add(8*time.Hour)); err != nil {
					return err
				}
			}
		case s.opens.After(today.AddDate(0, -3, 0)) && s.opens.Before(today.AddDate(0, 2, 0)):
			// An open or soon-open block: upcoming dates to choose from.
			base := today.AddDate(0, 0, 10+7*s.block)
			rows, err := tx.Query(ctx, `SELECT e.id FROM enrolments e JOIN users u ON u.id = e.user_id
				WHERE e.cohort_id = $1 AND e.status = 'active' AND u.email NOT LIKE '%@demo.test' ORDER BY e.id`, cohortID)
			if err != nil {
				return err
			}
			people, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			switch s.kind {
			case "face_to_face":
				a, err := create(s, s.title+" (option A)", base, ptrInt(24), "")
				if err != nil {
					return err
				}
				b, err := create(s, s.title+" (option B)", base.AddDate(0, 0, 7), ptrInt(12), "")
				if err != nil {
					return err
				}
				if err := book(a, s.id, people[:min(21, len(people))], "booked"); err != nil {
					return err
				}
				if len(people) > 36 {
					if err := book(b, s.id, people[21:33], "booked"); err != nil {
						return err
					}
					if err := book(b, s.id, people[33:36], "waiting"); err != nil {
						return err
					}
				}
			case "webinar":
				w, err := create(s, s.title, base.AddDate(0, 0, 2), nil, "")
				if err != nil {
					return err
				}
				if err := book(w, s.id, people[:min(30, len(people))], "booked"); err != nil {
					return err
				}
				if _, err := create(s, s.title+" (repeat)", base.AddDate(0, 0, -3), nil, "Facilitator unwell: please book the other date"); err != nil {
					return err
				}
			default:
				for k := range 3 {
					id, err := create(s, s.title, base.AddDate(0, 0, 3+k), ptrInt(8), "")
					if err != nil {
						return err
					}
					from, to := k*8, min(k*8+6, len(people))
					if from < to {
						if err := book(id, s.id, people[from:to], "booked"); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	return nil
}
