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
	EnrolmentID    int64
	UserID         int64
	Name, Email    string
	Status         Status
	FundingRoute   FundingRoute
	Progress       Progress
	CurrentBlock   string
	CurrentBlockNo int
	LastActivityAt *time.Time
}

// InactiveDays is how long without activity before staff see a participant highlighted.
const InactiveDays = 14

// Inactive reports whether the participant has done nothing for days (or ever) by now.
func (r RosterEntry) Inactive(now time.Time, days int) bool {
	return r.Status == StatusActive && (r.LastActivityAt == nil || now.Sub(*r.LastActivityAt) > time.Duration(days)*24*time.Hour)
}

// DaysSinceActive is whole days since the last activity, or -1 for never.
func (r RosterEntry) DaysSinceActive(now time.Time) int {
	if r.LastActivityAt == nil {
		return -1
	}
	return int(now.Sub(*r.LastActivityAt).Hours() / 24)
}

// Roster lists a cohort's participants with progress, current block and last activity, in
// two queries whatever the cohort's size; blocks are the cohort's (from CohortBlocks).
func (s Store) Roster(ctx context.Context, cohortID int64, sc scope.Scope, blocks []Block, today time.Time) ([]RosterEntry, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT e.id, e.user_id, u.name, u.email, e.status, e.funding_route, e.last_activity_at
		FROM enrolments e JOIN users u ON u.id = e.user_id JOIN cohorts h ON h.id = e.cohort_id
		WHERE e.cohort_id = $1 AND ($2 OR h.delivery_partner_id = $3) ORDER BY u.name, e.id`, cohortID, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("programme: roster %d: %w", cohortID, err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RosterEntry, error) {
		var e RosterEntry
		return e, r.Scan(&e.EnrolmentID, &e.UserID, &e.Name, &e.Email, &e.Status, &e.FundingRoute, &e.LastActivityAt)
	})
	if err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `
		SELECT enrolment_id, item_id FROM (
			SELECT DISTINCT ON (c.enrolment_id, c.item_id) c.enrolment_id, c.item_id, c.completed
			FROM item_completions c JOIN enrolments e ON e.id = c.enrolment_id JOIN cohorts h ON h.id = e.cohort_id
			WHERE e.cohort_id = $1 AND ($2 OR h.delivery_partner_id = $3) ORDER BY c.enrolment_id, c.item_id, c.id DESC
		) latest WHERE completed`, cohortID, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("programme: roster %d completions: %w", cohortID, err)
	}
	done := map[int64]map[int64]bool{}
	for rows.Next() {
		var e, i int64
		if err := rows.Scan(&e, &i); err != nil {
			return nil, err
		}
		if done[e] == nil {
			done[e] = map[int64]bool{}
		}
		done[e][i] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k := range entries {
		mine := withCompletion(blocks, done[entries[k].EnrolmentID])
		entries[k].Progress = CourseProgress(mine)
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
