package programme

import "testing"

func TestUsageRemovalRefusal(t *testing.T) {
	const archive = " Archive it instead: it is hidden from participants and from new cohorts, and kept for history."
	for _, tt := range []struct {
		name string
		u    Usage
		want string
	}{
		{"nothing depends on it", Usage{}, ""},
		{"one completion", Usage{Completions: 1}, "You cannot remove this activity because a participant has a completion recorded for it." + archive},
		{"events and bookings", Usage{Events: 3, Bookings: 12},
			"You cannot remove this activity because 3 events were scheduled for it and 12 bookings were made on them." + archive},
		{"one event, one booking", Usage{Events: 1, Bookings: 1},
			"You cannot remove this activity because an event was scheduled for it and a participant booked a place on one." + archive},
		{"everything", Usage{Cohorts: 2, Completions: 14, Events: 1, Bookings: 5, Returns: 1},
			"You cannot remove this activity because 2 cohorts have dates for it, 14 participants have completions recorded for it, an event was scheduled for it, 5 bookings were made on them and a deferral is planned to return at it." + archive},
		{"a cohort", Usage{Cohorts: 1}, "You cannot remove this activity because a cohort has a date for it." + archive},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.u.RemovalRefusal("this activity"); got != tt.want {
				t.Errorf("RemovalRefusal =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}
