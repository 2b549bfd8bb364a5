package server

import (
	"fmt"
	"testing"
	"time"

	"npq/internal/events"
	"npq/internal/lifecycle"
)

func TestFutureBookings(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	cancelled := now.Add(-time.Hour)
	offer := func(id int64, status events.BookingStatus, starts time.Time, cancelledAt *time.Time) events.Offer {
		return events.Offer{Event: events.Event{ID: id, StartsAt: starts, CancelledAt: cancelledAt}, BookingStatus: status}
	}
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	got := futureBookings([]events.Offer{
		offer(1, "booked", later, nil),
		offer(2, "waiting", later, nil),
		offer(3, "", later, nil),
		offer(4, "cancelled", later, nil),
		offer(5, "booked", earlier, nil),
		offer(6, "booked", now, nil),
		offer(7, "booked", later, &cancelled),
	}, now)
	var ids []int64
	for _, o := range got {
		ids = append(ids, o.ID)
	}
	if fmt.Sprint(ids) != "[1 2]" {
		t.Errorf("got %v, want the booked and waiting places on events still to come", ids)
	}
}

func TestStudyShare(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	for _, tt := range []struct {
		starts, ends, requested string
		want                    int
	}{
		{"2026-01-01", "2027-01-01", "2026-01-01", 0},
		{"2026-01-01", "2027-01-01", "2026-07-02", 49},
		{"2026-01-01", "2027-01-01", "2027-01-01", 100},
		{"2026-01-01", "2027-01-01", "2028-01-01", 100},
		{"2026-01-01", "2027-01-01", "2025-06-01", 0},
		{"2026-01-01", "2026-01-01", "2026-01-01", 0},
		{"2026-01-01", "2025-01-01", "2026-01-01", 0},
	} {
		req := lifecycle.Request{EnrolmentStarts: day(tt.starts), StudyEndsOn: day(tt.ends), StartsOn: day(tt.requested)}
		if got := studyShare(req); got != tt.want {
			t.Errorf("studyShare(%s to %s, asked %s) = %d, want %d", tt.starts, tt.ends, tt.requested, got, tt.want)
		}
	}
}

func TestCohortChoices(t *testing.T) {
	candidates := []lifecycle.CohortSchedule{{CohortID: 1, Name: "Autumn", PartnerName: "Hub"}, {CohortID: 2, Name: "Spring", PartnerName: "Trust"}}
	labels := func(kind lifecycle.Kind) string {
		var out []string
		for _, o := range cohortChoices(lifecycle.Request{Kind: kind, CohortID: 1}, candidates) {
			out = append(out, o.Value+"="+o.Label)
		}
		return fmt.Sprint(out)
	}
	if got := labels(lifecycle.KindDeferral); got != "[=Choose a cohort 1=Autumn (Hub) 2=Spring (Trust)]" {
		t.Errorf("returning from a deferral: %s", got)
	}
	if got := labels(lifecycle.KindWithdrawal); got != "[=Choose a cohort 2=Spring (Trust)]" {
		t.Errorf("moving instead: %s", got)
	}
}
