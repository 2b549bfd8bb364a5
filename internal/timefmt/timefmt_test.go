package timefmt

import (
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	summer := time.Date(2027, 7, 14, 13, 30, 0, 0, time.UTC) // 2:30pm BST
	winter := time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC)    // 9am GMT
	late := time.Date(2027, 6, 30, 23, 15, 0, 0, time.UTC)   // 12:15am on 1 July in BST
	date := time.Date(2027, 7, 14, 0, 0, 0, 0, time.UTC)     // a date from the database
	for _, c := range []struct {
		name string
		f    func(time.Time) string
		in   time.Time
		want string
	}{
		{"Date", Date, summer, "14 July 2027"},
		{"Date of a database date", Date, date, "14 July 2027"},
		{"Date after midnight in BST", Date, late, "1 July 2027"},
		{"DateTime summer", DateTime, summer, "14 July 2027 at 2:30pm"},
		{"DateTime winter, on the hour as Clock writes it", DateTime, winter, "5 January 2027 at 9am"},
		{"DayDate", DayDate, summer, "Wednesday 14 July 2027"},
		{"DayDateTime", DayDateTime, winter, "Tuesday 5 January 2027 at 9am"},
		{"DayDateTime with minutes", DayDateTime, summer, "Wednesday 14 July 2027 at 2:30pm"},
		{"Clock on the hour", Clock, winter, "9am"},
		{"Clock with minutes", Clock, summer, "2:30pm"},
		{"Clock after midnight", Clock, late, "12:15am"},
		{"Clock at midnight", Clock, time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), "midnight"},
		{"Clock at midday", Clock, time.Date(2027, 1, 5, 12, 0, 0, 0, time.UTC), "midday"},
		{"Clock just after midday", Clock, time.Date(2027, 1, 5, 12, 15, 0, 0, time.UTC), "12:15pm"},
		{"Clock24", Clock24, summer, "14:30"},
		{"ISODate", ISODate, late, "2027-07-01"},
		{"ISODate of a database date", ISODate, date, "2027-07-14"},
		{"ISODateTime", ISODateTime, summer, "2027-07-14 14:30"},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSameDay(t *testing.T) {
	for _, c := range []struct {
		a, b time.Time
		want bool
	}{
		{time.Date(2027, 7, 14, 8, 0, 0, 0, time.UTC), time.Date(2027, 7, 14, 16, 0, 0, 0, time.UTC), true},
		// 11:30pm UTC is already the next day in BST.
		{time.Date(2027, 7, 14, 12, 0, 0, 0, time.UTC), time.Date(2027, 7, 14, 23, 30, 0, 0, time.UTC), false},
		{time.Date(2027, 1, 14, 12, 0, 0, 0, time.UTC), time.Date(2027, 1, 14, 23, 30, 0, 0, time.UTC), true},
	} {
		if got := SameDay(c.a, c.b); got != c.want {
			t.Errorf("SameDay(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestSince(t *testing.T) {
	now := time.Date(2027, 3, 3, 14, 30, 0, 0, time.UTC)
	tests := []struct {
		ago  time.Duration
		want string
	}{
		{0, "just now"},
		{90 * time.Second, "just now"},
		{2 * time.Minute, "2 minutes ago"},
		{59*time.Minute + 59*time.Second, "59 minutes ago"},
		{time.Hour, "3 March 2027 at 1:30pm"},
	}
	for _, tt := range tests {
		if got := Since(now.Add(-tt.ago), now); got != tt.want {
			t.Errorf("Since(%s ago) = %q, want %q", tt.ago, got, tt.want)
		}
	}
}
