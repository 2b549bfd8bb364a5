package syncstate

import (
	"testing"
	"time"
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
