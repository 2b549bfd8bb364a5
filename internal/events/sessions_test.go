package events

import (
	"testing"
	"time"
)

func TestSessions(t *testing.T) {
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	offer := func(item int64, starts int, status BookingStatus) Offer {
		return Offer{Event: Event{ItemID: item, StartsAt: day(starts), EndsAt: day(starts).Add(2 * time.Hour), BookingOpensAt: day(starts - 30),
			BookingClosesAt: day(starts - 1), CancellationCutoff: day(starts - 2)}, BookingStatus: status}
	}
	cancelled := offer(7, 5, "")
	cancelled.CancelledAt = &now
	tests := []struct {
		name   string
		offers []Offer
		want   SessionState
	}{
		{"a date open to book", []Offer{offer(1, 5, "")}, SessionBookable},
		{"booked on a later date", []Offer{offer(1, -20, ""), offer(1, 5, StatusBooked)}, SessionBooked},
		{"every date passed unbooked", []Offer{offer(1, -20, ""), offer(1, -5, "")}, SessionPassed},
		{"booking closed on the last date", []Offer{offer(1, 1, "")}, SessionPassed},
		{"missed, no later date", []Offer{offer(1, -5, StatusBooked)}, SessionMissed},
		{"missed, a later date to book", []Offer{offer(1, -5, StatusBooked), offer(1, 5, "")}, SessionBookable},
		{"waiting", []Offer{offer(1, 5, StatusWaiting)}, SessionWaiting},
		{"booking not open yet", []Offer{offer(1, 60, "")}, SessionNotOpenYet},
		{"cancelled", []Offer{cancelled}, SessionPassed},
	}
	for _, tt := range tests {
		got := Sessions(tt.offers, now)[tt.offers[0].ItemID]
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		if got.Doable() != (tt.want == SessionBookable) {
			t.Errorf("%s: doable %v", tt.name, got.Doable())
		}
	}
}
