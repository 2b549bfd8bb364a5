package personaldata

import (
	"testing"
	"time"
)

func TestDueOn(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct{ received, due time.Time }{
		{day(2026, 12, 1), day(2027, 1, 1)},
		{day(2026, 1, 31), day(2026, 2, 28)},
		{day(2028, 1, 31), day(2028, 2, 29)},
		{day(2026, 3, 31), day(2026, 4, 30)},
		{day(2026, 12, 31), day(2027, 1, 31)},
		{day(2026, 8, 15), day(2026, 9, 15)},
	} {
		if got := DueOn(tt.received); !got.Equal(tt.due) {
			t.Errorf("received %s: due %s, want %s", tt.received.Format(time.DateOnly), got.Format(time.DateOnly), tt.due.Format(time.DateOnly))
		}
	}
}
