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
	recorded := func(o Offer) Offer {
		o.CatchUp = CatchUp{RecordingURL: "https://video.example/1", Task: "Write a reflection"}
		return o
	}
	cancelledRecorded := recorded(offer(8, -5, StatusBooked))
	cancelledRecorded.CancelledAt = &now
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
		{"missed, with a recording", []Offer{recorded(offer(1, -5, StatusBooked))}, SessionCatchUp},
		{"passed unbooked, with a recording", []Offer{offer(1, -20, ""), recorded(offer(1, -5, ""))}, SessionCatchUp},
		{"a recording and a later date to book", []Offer{recorded(offer(1, -5, StatusBooked)), offer(1, 5, "")}, SessionBookable},
		{"booked on a later date after a recorded one", []Offer{recorded(offer(1, -5, "")), offer(1, 5, StatusBooked)}, SessionBooked},
		{"a recording of a cancelled date", []Offer{cancelledRecorded}, SessionPassed},
	}
	for _, tt := range tests {
		got := Sessions(tt.offers, now)[tt.offers[0].ItemID]
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		if got.Doable() != (tt.want == SessionBookable || tt.want == SessionCatchUp) {
			t.Errorf("%s: doable %v", tt.name, got.Doable())
		}
	}
}

func TestCatchUps(t *testing.T) {
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	at := func(id, item int64, days int, c CatchUp) Offer {
		return Offer{Event: Event{ID: id, ItemID: item, StartsAt: now.AddDate(0, 0, days)}, CatchUp: c}
	}
	rec := CatchUp{RecordingURL: "https://video.example/1"}
	cancelled := at(5, 3, -1, rec)
	cancelled.CancelledAt = &now
	got := CatchUps([]Offer{at(1, 1, -20, rec), at(2, 1, -5, rec), at(3, 1, 5, rec), at(4, 2, -5, CatchUp{}), cancelled}, now)
	if len(got) != 1 || got[1].ID != 2 {
		t.Errorf("got %+v, want the latest started date of item 1 only", got)
	}
}

func TestCatchUpRules(t *testing.T) {
	tests := []struct {
		name  string
		c     CatchUp
		field string
	}{
		{"recording and task", CatchUp{RecordingURL: "https://video.example/1", Task: "Reflect on it"}, ""},
		{"nothing: taking it away", CatchUp{}, ""},
		{"plain http", CatchUp{RecordingURL: "http://video.example/1"}, "recording_url"},
		{"not an address", CatchUp{RecordingURL: "https://"}, "recording_url"},
		{"script", CatchUp{RecordingURL: "javascript:alert(1)"}, "recording_url"},
		{"space inside", CatchUp{RecordingURL: "https://video.example/a b"}, "recording_url"},
		{"task too long", CatchUp{Task: string(make([]byte, 2001))}, "task"},
	}
	for _, tt := range tests {
		p := tt.c.Check()
		if (tt.field == "") != (len(p) == 0) || (tt.field != "" && p.For(tt.field) == "") {
			t.Errorf("%s: %v", tt.name, p)
		}
	}
	if len(CheckReflection("  ")) == 0 || len(CheckReflection("I learnt")) != 0 || len(CheckReflection(string(make([]rune, 4001)))) == 0 {
		t.Error("reflection rules")
	}
}
