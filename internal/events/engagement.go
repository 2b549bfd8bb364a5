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
const Filling = 75

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

// EngagementFor works out the engagement of a cohort within sc in four queries.
func (s Store) EngagementFor(ctx context.Context, cohortID int64, sc scope.Scope, now time.Time) (Engagement, error) {
	var en Engagement
	err := s.DB.QueryRow(ctx, `
		SELECT count(b.attendance), count(*) FILTER (WHERE b.attendance = 'attended'), count(*) FILTER (WHERE b.attendance = 'partial'),
		       count(*) FILTER (WHERE b.attendance = 'absent'), count(*) FILTER (WHERE b.attendance = 'excused')
		FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN events e ON e.id = b.event_id
		WHERE n.cohort_id = $1 AND b.status = 'booked' AND e.starts_at < $2 AND `+cohortInScope, cohortID, now, sc.All(), sc.PartnerID()).
		Scan(&en.Marked, &en.Attended, &en.Partial, &en.Absent, &en.Excused)
	if err != nil {
		return en, fmt.Errorf("events: engagement %d: %w", cohortID, err)
	}
	rows, err := s.DB.Query(ctx, `
		SELECT n.id, u.name, u.email, e.title, e.starts_at
		FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN users u ON u.id = n.user_id JOIN events e ON e.id = b.event_id
		WHERE n.cohort_id = $1 AND b.attendance = 'absent' AND EXISTS (SELECT 1 FROM cohorts h WHERE h.id = $1 AND ($2 OR h.delivery_partner_id = $3))
		ORDER BY e.starts_at DESC, u.name LIMIT 200`, cohortID, sc.All(), sc.PartnerID())
	if err != nil {
		return en, fmt.Errorf("events: no-shows %d: %w", cohortID, err)
	}
	if en.NoShows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (NoShow, error) {
		var n NoShow
		return n, r.Scan(&n.EnrolmentID, &n.Name, &n.Email, &n.EventTitle, &n.StartsAt)
	}); err != nil {
		return en, err
	}
	// Required session items with open dates for this cohort, and how full and how soon closing they are.
	rows, err = s.DB.Query(ctx, `
		SELECT i.id, i.title, bl.position,
		       CASE WHEN bool_or(e.capacity IS NULL) THEN NULL ELSE sum(e.capacity) END, sum(e.booked_count), max(e.booking_closes_at)
		FROM events e JOIN event_cohorts ec ON ec.event_id = e.id AND ec.cohort_id = $1
		JOIN block_items i ON i.id = e.item_id JOIN blocks bl ON bl.id = i.block_id
		WHERE i.required AND e.cancelled_at IS NULL AND e.booking_closes_at > $2 AND e.booking_opens_at <= $2 AND `+cohortInScope+`
		GROUP BY i.id, i.title, bl.position ORDER BY bl.position, i.id`, cohortID, now, sc.All(), sc.PartnerID())
	if err != nil {
		return en, fmt.Errorf("events: pressure %d: %w", cohortID, err)
	}
	type item struct {
		id       int64
		title    string
		block    int
		capacity *int
		booked   int
		close    time.Time
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (item, error) {
		var it item
		return it, r.Scan(&it.id, &it.title, &it.block, &it.capacity, &it.booked, &it.close)
	})
	if err != nil {
		return en, err
	}
	var pressed []int64
	index := map[int64]int{}
	for _, it := range items {
		if reason := Pressure(it.capacity, it.booked, it.close, now); reason != "" {
			index[it.id] = len(en.Unbooked)
			pressed = append(pressed, it.id)
			en.Unbooked = append(en.Unbooked, UnbookedItem{ItemID: it.id, ItemTitle: it.title, BlockPosition: it.block, Reason: reason})
		}
	}
	if len(pressed) == 0 {
		return en, nil
	}
	rows, err = s.DB.Query(ctx, `
		SELECT it.id, n.id, u.name, u.email
		FROM enrolments n JOIN users u ON u.id = n.user_id CROSS JOIN unnest($2::bigint[]) AS it(id)
		WHERE n.cohort_id = $1 AND n.status = 'active' AND `+cohortInScope+`
		  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.enrolment_id = n.id AND b.item_id = it.id AND b.status = 'booked')
		  AND NOT coalesce((SELECT c.completed FROM item_completions c WHERE c.enrolment_id = n.id AND c.item_id = it.id ORDER BY c.id DESC LIMIT 1), false)
		ORDER BY u.name`, cohortID, pressed, sc.All(), sc.PartnerID())
	if err != nil {
		return en, fmt.Errorf("events: unbooked %d: %w", cohortID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var itemID int64
		var p Person
		if err := rows.Scan(&itemID, &p.EnrolmentID, &p.Name, &p.Email); err != nil {
			return en, err
		}
		u := &en.Unbooked[index[itemID]]
		u.People = append(u.People, p)
	}
	if err := rows.Err(); err != nil {
		return en, err
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
