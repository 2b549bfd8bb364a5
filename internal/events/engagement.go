package events

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/scope"
	"npq/internal/timefmt"
)

// Person is a participant in an engagement list.
type Person struct {
	EnrolmentID int64
	UserID      int64
	Name, Email string
}

// NoShow is a participant marked absent.
type NoShow struct {
	Person
	EventTitle string
	StartsAt   time.Time
}

// UnbookedItem is a required session whose dates are filling up or closing, with the
// participants who have not booked it.
type UnbookedItem struct {
	ItemID        int64
	ItemTitle     string
	BlockPosition int
	Reason        string
	People        []Person
}

// Engagement is a cohort's participation at a glance.
type Engagement struct {
	Marked, Attended, Partial, Absent, Excused int
	NoShows                                    []NoShow
	Unbooked                                   []UnbookedItem
	// Enrolled is everyone enrolled in the cohort, by name.
	Enrolled []Enrolled
}

// AttendanceRate is attended (fully or partly) out of marked places, excused left out.
func (e Engagement) AttendanceRate() int {
	d := e.Marked - e.Excused
	if d <= 0 {
		return 100
	}
	return (e.Attended + e.Partial) * 100 / d
}

// Filling is the share of places taken at which staff are warned.
const Filling = 80

// Pressure says why a session's dates need booking soon, or "" if they do not: the places
// left are running out, or booking closes for every date within a week.
func Pressure(capacity *int, booked int, lastClose, now time.Time) string {
	switch {
	case capacity != nil && *capacity > 0 && booked*100 >= *capacity*Filling:
		left := *capacity - booked
		if left <= 0 {
			return "Every date is full"
		}
		return fmt.Sprintf("Dates are filling up: %d places left", left)
	case lastClose.Sub(now) <= 7*24*time.Hour:
		return "Booking closes on " + timefmt.DateTime(lastClose)
	}
	return ""
}

// cohortInScope is the condition that cohort $1 is within the scope given as $3 (all) and $4
// (partner): the engagement queries carry it, so a cohort outside the scope shows none.
const cohortInScope = `EXISTS (SELECT 1 FROM cohorts h WHERE h.id = $1 AND ($3 OR h.delivery_partner_id = $4))`

// Enrolled is a participant enrolled in the cohort, with what says whether they are active.
type Enrolled struct {
	Person
	Status         string
	LastActivityAt *time.Time
	// StartsOn and CohortStartsOn are the participant's and the cohort's start dates, and
	// FirstBlockOpens the first opening of one of the cohort's blocks (nil when none is set):
	// nobody counts as inactive before they could start.
	StartsOn, CohortStartsOn time.Time
	FirstBlockOpens          *time.Time
}

// batcher sends several queries in one round trip (a pool, a connection or a transaction).
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// The engagement queries: $1 the cohort, $2 now, $3 and $4 the scope (see cohortInScope).
const (
	attendanceSQL = `
		SELECT count(b.attendance), count(*) FILTER (WHERE b.attendance = 'attended'), count(*) FILTER (WHERE b.attendance = 'partial'),
		       count(*) FILTER (WHERE b.attendance = 'absent'), count(*) FILTER (WHERE b.attendance = 'excused')
		FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN events e ON e.id = b.event_id
		WHERE n.cohort_id = $1 AND b.status = 'booked' AND e.starts_at < $2 AND ` + cohortInScope
	noShowsSQL = `
		SELECT n.id, u.id, u.name, u.email, e.title, e.starts_at
		FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN users u ON u.id = n.user_id JOIN events e ON e.id = b.event_id
		WHERE n.cohort_id = $1 AND b.attendance = 'absent' AND $2::timestamptz IS NOT NULL AND ` + cohortInScope + `
		ORDER BY e.starts_at DESC, u.name LIMIT 200`
	// openItems are the required session items with dates open for booking now.
	openItems = `
		SELECT i.id, i.title, bl.position,
		       CASE WHEN bool_or(e.capacity IS NULL) THEN NULL ELSE sum(e.capacity) END AS capacity,
		       sum(e.booked_count) AS booked, max(e.booking_closes_at) AS closes
		FROM events e JOIN event_cohorts ec ON ec.event_id = e.id AND ec.cohort_id = $1
		JOIN block_items i ON i.id = e.item_id JOIN blocks bl ON bl.id = i.block_id
		WHERE i.required AND i.archived_at IS NULL AND bl.archived_at IS NULL AND e.cancelled_at IS NULL AND e.booking_closes_at > $2 AND e.booking_opens_at <= $2 AND ` + cohortInScope + `
		GROUP BY i.id, i.title, bl.position`
	pressureSQL = openItems + ` ORDER BY bl.position, i.id`
	// unbookedSQL lists, for the open items $5 (those under pressure), the active
	// participants with neither a place nor a completion.
	unbookedSQL = `
		SELECT it.id, n.id, u.id, u.name, u.email
		FROM (` + openItems + `) it JOIN enrolments n ON n.cohort_id = $1 AND n.status = 'active' JOIN users u ON u.id = n.user_id
		WHERE it.id = ANY($5::bigint[]) AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.enrolment_id = n.id AND b.item_id = it.id AND b.status = 'booked')
		  AND NOT coalesce((SELECT c.completed FROM item_completions c WHERE c.enrolment_id = n.id AND c.item_id = it.id ORDER BY c.id DESC LIMIT 1), false)
		ORDER BY u.name, n.id`
	enrolledSQL = `
		SELECT n.id, u.id, u.name, u.email, n.status, n.last_activity_at, n.starts_on, h.starts_on,
		       (SELECT min(cb.opens_on) FROM cohort_blocks cb WHERE cb.cohort_id = $1)
		FROM enrolments n JOIN users u ON u.id = n.user_id JOIN cohorts h ON h.id = n.cohort_id
		WHERE n.cohort_id = $1 AND $2::timestamptz IS NOT NULL AND ` + cohortInScope + `
		ORDER BY u.name, n.id`
)

// EngagementFor works out the engagement of a cohort within sc, with everyone enrolled, in
// one round trip, and a second when sessions are under pressure: only for those does it look
// for who has not booked (across a cohort's every open session, that was half the cost).
func (s Store) EngagementFor(ctx context.Context, cohortID int64, sc scope.Scope, now time.Time) (Engagement, error) {
	var en Engagement
	bt, ok := s.DB.(batcher)
	if !ok {
		return en, fmt.Errorf("events: engagement %d: the database cannot send a batch", cohortID)
	}
	args := []any{cohortID, now, sc.All(), sc.PartnerID()}
	b := &pgx.Batch{}
	b.Queue(attendanceSQL, args...).QueryRow(func(row pgx.Row) error {
		return row.Scan(&en.Marked, &en.Attended, &en.Partial, &en.Absent, &en.Excused)
	})
	b.Queue(noShowsSQL, args...).Query(func(rows pgx.Rows) (err error) {
		en.NoShows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (NoShow, error) {
			var n NoShow
			return n, r.Scan(&n.EnrolmentID, &n.UserID, &n.Name, &n.Email, &n.EventTitle, &n.StartsAt)
		})
		return err
	})
	index := map[int64]int{}
	b.Queue(pressureSQL, args...).Query(func(rows pgx.Rows) error {
		defer rows.Close()
		for rows.Next() {
			var u UnbookedItem
			var capacity *int
			var booked int
			var closes time.Time
			if err := rows.Scan(&u.ItemID, &u.ItemTitle, &u.BlockPosition, &capacity, &booked, &closes); err != nil {
				return err
			}
			if u.Reason = Pressure(capacity, booked, closes, now); u.Reason != "" {
				index[u.ItemID] = len(en.Unbooked)
				en.Unbooked = append(en.Unbooked, u)
			}
		}
		return rows.Err()
	})
	b.Queue(enrolledSQL, args...).Query(func(rows pgx.Rows) (err error) {
		en.Enrolled, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Enrolled, error) {
			var e Enrolled
			return e, r.Scan(&e.EnrolmentID, &e.UserID, &e.Name, &e.Email, &e.Status, &e.LastActivityAt, &e.StartsOn, &e.CohortStartsOn, &e.FirstBlockOpens)
		})
		return err
	})
	if err := bt.SendBatch(ctx, b).Close(); err != nil {
		return en, fmt.Errorf("events: engagement %d: %w", cohortID, err)
	}
	if len(index) > 0 {
		items := make([]int64, len(en.Unbooked))
		for i, u := range en.Unbooked {
			items[i] = u.ItemID
		}
		rows, err := s.DB.Query(ctx, unbookedSQL, append(args, items)...)
		if err != nil {
			return en, fmt.Errorf("events: engagement %d: unbooked: %w", cohortID, err)
		}
		var itemID int64
		var p Person
		if _, err := pgx.ForEachRow(rows, []any{&itemID, &p.EnrolmentID, &p.UserID, &p.Name, &p.Email}, func() error {
			i := index[itemID]
			en.Unbooked[i].People = append(en.Unbooked[i].People, p)
			return nil
		}); err != nil {
			return en, fmt.Errorf("events: engagement %d: unbooked: %w", cohortID, err)
		}
	}
	out := en.Unbooked[:0]
	for _, u := range en.Unbooked {
		if len(u.People) > 0 {
			out = append(out, u)
		}
	}
	en.Unbooked = out
	return en, nil
}
