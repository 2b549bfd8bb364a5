package syncstate

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/testdb"
)

func TestSince(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	const window = 3 * time.Hour
	tests := []struct {
		name             string
		lastStart, lastF time.Time
		want             time.Time
	}{
		{"first sync reads everything", time.Time{}, time.Time{}, time.Time{}},
		{"later syncs reach back two windows", now.Add(-window), now.AddDate(0, 0, -1), now.Add(-3 * window)},
		{"a week after the last full sync, everything again", now.Add(-window), now.Add(-FullEvery), time.Time{}},
		{"no full sync on record", now.Add(-window), time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		if got := Since(tt.lastStart, tt.lastF, now, window); !got.Equal(tt.want) {
			t.Errorf("%s: Since = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestReadAndQueue(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	save := func(now time.Time, full bool) {
		b := &pgx.Batch{}
		Queue(b, "participants", now, full)
		if err := db.SendBatch(ctx, b).Close(); err != nil {
			t.Fatal(err)
		}
	}
	read := func() (time.Time, time.Time) {
		last, full, err := Read(ctx, db, "participants")
		if err != nil {
			t.Fatal(err)
		}
		return last, full
	}
	if last, full := read(); !last.IsZero() || !full.IsZero() {
		t.Fatalf("never read: %v %v", last, full)
	}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	save(at, false)
	if last, full := read(); !last.Equal(at) || !full.IsZero() {
		t.Fatalf("read once, not in full: %v %v", last, full)
	}
	save(at.Add(time.Hour), true)
	save(at, false) // a run that started earlier and finished later does not move it back
	if last, full := read(); !last.Equal(at.Add(time.Hour)) || !full.Equal(at.Add(time.Hour)) {
		t.Fatalf("read in full: %v %v", last, full)
	}
}
