package layout

import (
	"testing"
	"time"
)

// Times are written one way everywhere: "4pm" on the hour, "9:30am" otherwise, in UK time.
func TestTimesAreWrittenOneWay(t *testing.T) {
	summer := time.Date(2027, 6, 2, 15, 0, 0, 0, time.UTC) // 4pm in London (BST)
	winter := time.Date(2027, 1, 6, 9, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, got, want string
	}{
		{"clock on the hour", Clock(summer), "4pm"},
		{"clock with minutes", Clock(winter), "9:30am"},
		{"date and time on the hour", DateTime(summer), "2 June 2027 at 4pm"},
		{"date and time with minutes", DateTime(winter), "6 January 2027 at 9:30am"},
		{"with the weekday", DayDateTime(summer), "Wednesday 2 June 2027 at 4pm"},
		{"midnight", Clock(time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)), "midnight"},
		{"midday", Clock(time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC)), "midday"},
		{"just after midday", Clock(time.Date(2027, 1, 6, 12, 15, 0, 0, time.UTC)), "12:15pm"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
