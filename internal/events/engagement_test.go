package events

import (
	"strings"
	"testing"
	"time"
)

func TestPressure(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		capacity *int
		booked   int
		close    time.Time
		want     string
	}{
		{"79% full, closing in a month", new(100), 79, now.AddDate(0, 1, 0), ""},
		{"80% full is filling", new(100), 80, now.AddDate(0, 1, 0), "Dates are filling up: 20 places left"},
		{"full", new(10), 10, now.AddDate(0, 1, 0), "Every date is full"},
		{"unlimited places never fill", nil, 500, now.AddDate(0, 1, 0), ""},
		{"closing within 7 days", new(100), 0, now.Add(7 * 24 * time.Hour), "Booking closes on"},
		{"closing in 8 days", new(100), 0, now.Add(8 * 24 * time.Hour), ""},
	} {
		if got := Pressure(tc.capacity, tc.booked, tc.close, now); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
