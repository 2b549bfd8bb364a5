package events

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/programme"
)

// Offer is an event offered to a participant, with their booking on it.
type Offer struct {
	Event
	BookingStatus BookingStatus // "" when they have none
	WaitPosition  int           // 1 for first in line
	CatchUp       CatchUp       // what the partner offers those who missed it, once it has run
}

// Offers lists the events offered to an enrolment's cohort, upcoming and recent (ending
// since a time, or booked), in block, item and date order (an item's cancelled dates after
// its others), with the participant's booking on each, in one query.
func (s Store) Offers(ctx context.Context, enrolmentID int64, since time.Time) ([]Offer, error) {
	rows, err := s.DB.Query(ctx, offersSQL, enrolmentID)
	if err != nil {
		return nil, fmt.Errorf("events: offers for %d: %w", enrolmentID, err)
	}
	return collectOffers(rows, since)
}

// offersSQL reads every event offered to enrolment $1's cohort, which it finds itself, and
// leaves choosing by date to collectOffers: with no value in the statement whose rows
// PostgreSQL would estimate differently (a cohort, a date), it plans the statement once and
// keeps the plan, where planning it on every view cost 2 ms, more than running it. A cohort
// is offered tens of events over its course.
const offersSQL = `SELECT ` + eventColumns + `, coalesce(mine.status, ''),
		       CASE WHEN mine.status = 'waiting' THEN (SELECT count(*) FROM bookings w WHERE w.event_id = e.id AND w.status = 'waiting'
		            AND (w.waiting_since, w.id) <= (mine.waiting_since, mine.id)) ELSE 0 END,
		       coalesce(cu.recording_url, ''), coalesce(cu.task, '')
		` + eventFrom + `
		JOIN enrolments n ON n.id = $1 JOIN event_cohorts ec ON ec.event_id = e.id AND ec.cohort_id = n.cohort_id
		LEFT JOIN bookings mine ON mine.event_id = e.id AND mine.enrolment_id = $1
		LEFT JOIN event_catch_ups cu ON cu.event_id = e.id
		WHERE ` + offeredActivity + `
		ORDER BY b.position, i.position, e.cancelled_at IS NOT NULL, e.starts_at, e.id`

// collectOffers reads the offers that end at or after since, or that the participant is
// booked on.
func collectOffers(rows pgx.Rows, since time.Time) ([]Offer, error) {
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Offer, error) {
		var o Offer
		var err error
		o.Event, err = scanEvent(r, &o.BookingStatus, &o.WaitPosition, &o.CatchUp.RecordingURL, &o.CatchUp.Task)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, o := range all {
		if !o.Event.EndsAt.Before(since) || o.BookingStatus == StatusBooked {
			out = append(out, o)
		}
	}
	return out, nil
}

// JourneyWithOffers reads an enrolment's journey (as programme.Store.Journey does) and the
// events offered to its cohort since a time (as Offers does), in one round trip: what every
// page showing a participant's blocks and sessions reads.
func (s Store) JourneyWithOffers(ctx context.Context, e programme.Enrolment, since time.Time) ([]programme.Block, []Offer, error) {
	var blocks []programme.Block
	var offers []Offer
	b := &pgx.Batch{}
	programme.QueueJourney(b, e, &blocks)
	b.Queue(offersSQL, e.ID).Query(func(rows pgx.Rows) error {
		var err error
		offers, err = collectOffers(rows, since)
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("events: journey with offers for %d: %w", e.ID, err)
	}
	return blocks, offers, nil
}

// offeredActivity leaves out the events of an archived activity or block, except where the
// participant already has a place or is waiting for one, which they still see and can cancel.
const offeredActivity = `((i.archived_at IS NULL AND b.archived_at IS NULL) OR mine.status IN ('booked', 'waiting'))`

// Offer is one event offered to an enrolment's cohort, with the participant's booking on it;
// database.ErrNotFound if the cohort is not offered it.
func (s Store) Offer(ctx context.Context, enrolmentID, cohortID, eventID int64) (Offer, error) {
	var o Offer
	var err error
	o.Event, err = scanEvent(s.DB.QueryRow(ctx, `SELECT `+eventColumns+`, coalesce(mine.status, ''),
		       CASE WHEN mine.status = 'waiting' THEN (SELECT count(*) FROM bookings w WHERE w.event_id = e.id AND w.status = 'waiting'
		            AND (w.waiting_since, w.id) <= (mine.waiting_since, mine.id)) ELSE 0 END,
		       coalesce(cu.recording_url, ''), coalesce(cu.task, '')
		`+eventFrom+`
		JOIN event_cohorts ec ON ec.event_id = e.id AND ec.cohort_id = $2
		LEFT JOIN bookings mine ON mine.event_id = e.id AND mine.enrolment_id = $1
		LEFT JOIN event_catch_ups cu ON cu.event_id = e.id
		WHERE e.id = $3 AND `+offeredActivity, enrolmentID, cohortID, eventID), &o.BookingStatus, &o.WaitPosition, &o.CatchUp.RecordingURL, &o.CatchUp.Task)
	if database.IsNoRows(err) {
		return o, database.ErrNotFound
	}
	if err != nil {
		return o, fmt.Errorf("events: offer %d for %d: %w", eventID, enrolmentID, err)
	}
	return o, nil
}

// Upcoming lists a participant's upcoming booked events (all enrolments), soonest first.
func (s Store) Upcoming(ctx context.Context, userID int64, now time.Time, limit int) ([]Offer, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+eventColumns+`, mine.status, 0 `+eventFrom+`
		JOIN bookings mine ON mine.event_id = e.id JOIN enrolments n ON n.id = mine.enrolment_id
		WHERE n.user_id = $1 AND mine.status IN ('booked', 'waiting') AND e.ends_at >= $2 AND e.cancelled_at IS NULL
		ORDER BY e.starts_at LIMIT $3`, userID, now, limit)
	if err != nil {
		return nil, fmt.Errorf("events: upcoming for %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Offer, error) {
		var o Offer
		var err error
		var wait int
		o.Event, err = scanEvent(r, &o.BookingStatus, &wait)
		return o, err
	})
}

// SendDueReminders sends the 7-day and 1-day reminders that are due (only the one still due
// when both windows have opened: DueReminder), each once: a row in
// booking_reminders is written in the same transaction as the message, so several app
// instances running this together send nothing twice.
func (s Store) SendDueReminders(ctx context.Context, now time.Time) (int, error) {
	sent := 0
	for _, rem := range Reminders {
		err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `SELECT b.id, b.created_at, e.id FROM bookings b JOIN events e ON e.id = b.event_id
				WHERE b.status = 'booked' AND e.cancelled_at IS NULL AND e.starts_at > $1 AND e.starts_at <= $1 + $2::interval
				  AND NOT EXISTS (SELECT 1 FROM booking_reminders r WHERE r.booking_id = b.id AND r.kind = $3)
				ORDER BY e.starts_at LIMIT 500
				FOR UPDATE OF b SKIP LOCKED`, now, fmt.Sprintf("%d seconds", int(rem.Before.Seconds())), rem.Kind)
			if err != nil {
				return err
			}
			type due struct {
				booking, event int64
				bookedAt       time.Time
			}
			list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (due, error) {
				var d due
				return d, r.Scan(&d.booking, &d.bookedAt, &d.event)
			})
			if err != nil {
				return err
			}
			for _, d := range list {
				e, err := scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` `+eventFrom+` WHERE e.id = $1`, d.event))
				if err != nil {
					return err
				}
				tag, err := tx.Exec(ctx, `INSERT INTO booking_reminders (booking_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING`, d.booking, rem.Kind)
				if err != nil {
					return err
				}
				if tag.RowsAffected() == 0 || DueReminder(e.StartsAt, d.bookedAt, now) != rem.Kind {
					continue // recorded as handled: a stale reminder, or a booking made inside the window
				}
				if err := s.notifyBooking(ctx, tx, d.booking, e, "reminder-"+rem.Kind); err != nil {
					return err
				}
				sent++
			}
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("events: reminders: %w", err)
		}
	}
	return sent, nil
}

// CancelForEnrolment cancels an enrolment's future bookings and waiting-list places (when it
// is deferred or withdrawn), freeing places for the people waiting. It runs in the caller's
// transaction.
func (s Store) CancelForEnrolment(ctx context.Context, tx pgx.Tx, enrolmentID, actorID int64, now time.Time, reason string) (Cancelled, error) {
	var out Cancelled
	rows, err := tx.Query(ctx, `SELECT b.id, b.event_id, b.status FROM bookings b JOIN events e ON e.id = b.event_id
		WHERE b.enrolment_id = $1 AND b.status IN ('booked', 'waiting') AND e.starts_at > $2 ORDER BY e.id`, enrolmentID, now)
	if err != nil {
		return out, err
	}
	type place struct {
		booking, event int64
		status         BookingStatus
	}
	places, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (place, error) {
		var p place
		return p, r.Scan(&p.booking, &p.event, &p.status)
	})
	if err != nil {
		return out, err
	}
	for _, p := range places {
		e, err := lockEvent(ctx, tx, p.event)
		if err != nil {
			return out, err
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'cancelled', waiting_since = NULL, sequence = sequence + 1, updated_at = now() WHERE id = $1`, p.booking); err != nil {
			return out, err
		}
		if err := history(ctx, tx, p.booking, "cancelled_enrolment_ended", reason, actorID); err != nil {
			return out, err
		}
		if p.status != StatusBooked {
			out.Waiting++
			continue
		}
		out.Booked++
		if err := s.promote(ctx, tx, e.ID, actorID, now); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Cancelled counts what was cancelled when an enrolment ended: booked places, and places on
// waiting lists, which are not bookings.
type Cancelled struct {
	Booked, Waiting int
}

// OfferedCohort returns which of the cohorts the event is offered to, or database.ErrNotFound.
func (s Store) OfferedCohort(ctx context.Context, eventID int64, cohortIDs []int64) (int64, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT cohort_id FROM event_cohorts WHERE event_id = $1 AND cohort_id = ANY($2) ORDER BY cohort_id LIMIT 1`, eventID, cohortIDs).Scan(&id)
	if database.IsNoRows(err) {
		return 0, database.ErrNotFound
	}
	return id, err
}
