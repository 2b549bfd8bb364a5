// Package syncstate keeps, in dfe_sync_state, when each of DfE's lists was last read and
// last read in full, and says from when the next read asks for changes.
package syncstate

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// FullEvery is how often a sync reads every row of a list, whatever changed: DfE's
// updated_since misses nothing it records, but a full read also repairs a copy edited by hand.
const FullEvery = 7 * 24 * time.Hour

// Since is the updated_since a sync that runs every window asks for, given when the last one
// started and when the last full one did: zero (everything) for the first sync and once a
// week, otherwise two windows before the last start, so a change DfE made while the last one
// ran is not missed.
func Since(lastStart, lastFull, now time.Time, window time.Duration) time.Time {
	if lastStart.IsZero() || lastFull.IsZero() || now.Sub(lastFull) >= FullEvery {
		return time.Time{}
	}
	return lastStart.Add(-2 * window)
}

// Read returns when list was last read and last read in full (zero when never).
func Read(ctx context.Context, db database.DB, list string) (last, full time.Time, err error) {
	var fullAt *time.Time
	err = db.QueryRow(ctx, `SELECT s.synced_until, f.synced_until
		FROM dfe_sync_state s LEFT JOIN dfe_sync_state f ON f.list = $2 WHERE s.list = $1`, list, list+":full").Scan(&last, &fullAt)
	if database.IsNoRows(err) {
		return time.Time{}, time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("sync state of %s: %w", list, err)
	}
	if fullAt != nil {
		full = *fullAt
	}
	return last, full, nil
}

// Queue records in b that list was read at now, in full when full is set.
func Queue(b *pgx.Batch, list string, now time.Time, full bool) {
	lists := []string{list}
	if full {
		lists = append(lists, list+":full")
	}
	for _, l := range lists {
		b.Queue(`INSERT INTO dfe_sync_state (list, synced_until, ran_at) VALUES ($1, $2, $2)
			ON CONFLICT (list) DO UPDATE SET synced_until = greatest(dfe_sync_state.synced_until, EXCLUDED.synced_until), ran_at = EXCLUDED.ran_at`,
			l, now)
	}
}
