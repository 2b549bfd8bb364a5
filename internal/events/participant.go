package events

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Offer is an event offered to a participant, with their booking on it.
type Offer struct {
	Event
	BookingStatus BookingStatus // "" when they have none
	WaitPosition  int           // 1 for first in line
}

// Offers lists the events offered to an enrolment's cohort, upcoming and recent, in block,
// item and date order, with the participant's booking on each, in one query.
func (s Store) Offers(ctx context.Context, enrolmentID, cohortID int64, since time.Time) ([]Offer, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+eventColumns+`, coalesce(mine.status, ''),
		       CASE WHEN mine.status = 'waiting' THEN (SELECT count(*) FROM bookings w WHERE w.event_id = e.id AND w.status = 'waiting'
		            AND (w.waiting_since, w.id) <= (mine.waiting_since, mine.id)) ELSE 0 END
		`+eventFrom+`
		JOIN event_cohorts ec ON ec.event_id = e.id AND ec.cohort_id = $2
		LEFT JOIN bookings mine ON mine.event_id = e.id AND mine.enrolment_id = $1
		WHERE e.ends_at >= $3 OR mine.status = 'booked'
		ORDER BY b.position, i.position, e.starts_at, e.id`, enrolmentID, cohortID, since)
	if err != nil {
		return nil, fmt.Errorf("events: offers for %d: %w", enrolmentID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Offer, error) {
		var o Offer
		var err error
		o.Event, err = scanEvent(r, &o.BookingStatus, &o.WaitPosition)
		return o, err
	})
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

// RunReminders sends due reminders every interval until ctx ends. Several app instances can
// run it at once: each reminder is claimed with a row lock and recorded once.
func (s Store) RunReminders(ctx context.Context, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.SendDueReminders(ctx, time.Now()); err != nil {
			log.Error("event reminders failed", "err", err)
		} else if n > 0 {
			log.Info("event reminders sent", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
