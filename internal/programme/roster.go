package programme

import (
	"context"
	"fmt"
	"time"

	"npq/internal/scope"

	"github.com/jackc/pgx/v5"
)

// RosterEntry is one participant of a cohort as staff see them.
type RosterEntry struct {
	EnrolmentID          int64
	UserID               int64
	Name, Email, School  string
	Status               Status
	FundingRoute         FundingRoute
	StartsOn             time.Time // the participant's own start date
	Progress             Progress
	CurrentBlock         string
	CurrentBlockNo       int
	BlocksBehind         int // open blocks before the latest one with required activities left
	UnbookedRequired     int // required sessions open for booking that they have neither booked nor done
	LastActivityAt       *time.Time
	ActiveFrom           time.Time // the first day they could be active; zero while no block is open to them
	CohortName, Schedule string
}

// InactiveDays is how long without activity before staff see a participant highlighted.
const InactiveDays = 14

// Inactive reports whether the participant has done nothing for days (or ever) by now,
// having been able to for longer than that.
func (r RosterEntry) Inactive(now time.Time, days int) bool {
	return IsInactive(r.Status, r.LastActivityAt, r.ActiveFrom, now, days)
}

// IsInactive is the inactivity rule: an active participant who could have been active for
// more than days (their start date and the first block's opening both that far behind) and
// has done nothing for more than days. Nobody counts as inactive before they could start, so
// a cohort that has not started, or a late joiner's first fortnight, is never highlighted.
// A zero activeFrom means no block is open to them yet.
func IsInactive(status Status, last *time.Time, activeFrom, now time.Time, days int) bool {
	if status != StatusActive || activeFrom.IsZero() {
		return false
	}
	limit := time.Duration(days) * 24 * time.Hour
	if Today(now).Sub(activeFrom) <= limit {
		return false
	}
	return last == nil || now.Sub(*last) > limit
}

// ActiveFrom is the first day a participant could be active: the later of their own start
// date, the cohort's start and the first opening of one of the cohort's blocks; zero when no
// block has an opening date.
func ActiveFrom(starts, cohortStarts time.Time, blocks []Block) time.Time {
	var first time.Time
	for _, b := range blocks {
		if !b.OpensOn.IsZero() && (first.IsZero() || b.OpensOn.Before(first)) {
			first = b.OpensOn
		}
	}
	if first.IsZero() {
		return first
	}
	for _, t := range []time.Time{starts, cohortStarts} {
		if t.After(first) {
			first = t
		}
	}
	return first
}

// DaysSinceActive is whole days since the last activity, or -1 for never.
func (r RosterEntry) DaysSinceActive(now time.Time) int {
	if r.LastActivityAt == nil {
		return -1
	}
	return int(now.Sub(*r.LastActivityAt).Hours() / 24)
}

// Roster lists a cohort's participants with progress, current block, last activity and the
// required sessions they have not booked, in one query whatever the cohort's size; blocks
// are the cohort's (from CohortBlocks).
func (s Store) Roster(ctx context.Context, cohortID int64, sc scope.Scope, blocks []Block, now time.Time) ([]RosterEntry, error) {
	today := Today(now)
	// open is the cohort's required sessions with dates open for booking, worked out once
	// (MATERIALIZED), not once per participant.
	rows, err := s.DB.Query(ctx, `
		WITH open AS MATERIALIZED (SELECT DISTINCT ev.item_id FROM events ev
		         JOIN event_cohorts ec ON ec.event_id = ev.id AND ec.cohort_id = $1
		         JOIN block_items i ON i.id = ev.item_id
		         WHERE i.required AND ev.cancelled_at IS NULL AND ev.booking_opens_at <= $4 AND ev.booking_closes_at > $4)
		SELECT e.id, e.user_id, u.name, u.email, e.school, e.status, e.funding_route, e.starts_on, e.last_activity_at,
		       h.starts_on, h.name, h.schedule_identifier,
		       CASE WHEN e.status <> 'active' THEN 0 ELSE (
		         SELECT count(*) FROM open o
		         WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.enrolment_id = e.id AND b.item_id = o.item_id AND b.status = 'booked')
		           AND NOT coalesce((SELECT c.completed FROM item_completions c WHERE c.enrolment_id = e.id AND c.item_id = o.item_id
		                             ORDER BY c.id DESC LIMIT 1), false)) END,
		       ARRAY(SELECT l.item_id FROM (SELECT DISTINCT ON (c.item_id) c.item_id, c.completed FROM item_completions c
		                                    WHERE c.enrolment_id = e.id ORDER BY c.item_id, c.id DESC) l WHERE l.completed)
		FROM enrolments e JOIN users u ON u.id = e.user_id JOIN cohorts h ON h.id = e.cohort_id
		WHERE e.cohort_id = $1 AND ($2 OR h.delivery_partner_id = $3) ORDER BY u.name, e.id`, cohortID, sc.All(), sc.PartnerID(), now)
	if err != nil {
		return nil, fmt.Errorf("programme: roster %d: %w", cohortID, err)
	}
	var cohortStarts time.Time
	done := map[int64]map[int64]bool{}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RosterEntry, error) {
		var e RosterEntry
		var items []int64
		err := r.Scan(&e.EnrolmentID, &e.UserID, &e.Name, &e.Email, &e.School, &e.Status, &e.FundingRoute, &e.StartsOn, &e.LastActivityAt,
			&cohortStarts, &e.CohortName, &e.Schedule, &e.UnbookedRequired, &items)
		done[e.EnrolmentID] = map[int64]bool{}
		for _, i := range items {
			done[e.EnrolmentID][i] = true
		}
		return e, err
	})
	if err != nil {
		return nil, err
	}
	for k := range entries {
		mine := withCompletion(blocks, done[entries[k].EnrolmentID])
		entries[k].Progress = CourseProgress(mine)
		entries[k].ActiveFrom = ActiveFrom(entries[k].StartsOn, cohortStarts, blocks)
		_, entries[k].BlocksBehind = CalendarGap(mine, today)
		if cur := CurrentBlock(mine, today); cur >= 0 {
			entries[k].CurrentBlock = mine[cur].Title
			entries[k].CurrentBlockNo = mine[cur].Position
		}
	}
	return entries, nil
}

// withCompletion copies blocks with each item's Completed set from done.
func withCompletion(blocks []Block, done map[int64]bool) []Block {
	out := make([]Block, len(blocks))
	for i, b := range blocks {
		b.Items = append([]Item(nil), b.Items...)
		for j := range b.Items {
			b.Items[j].Completed = done[b.Items[j].ID]
		}
		out[i] = b
	}
	return out
}
