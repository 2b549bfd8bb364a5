package personaldata

import (
	"testing"
	"time"
)

func TestPolicyDecide(t *testing.T) {
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ago := func(days int) *time.Time { d := today.AddDate(0, 0, -days); return &d }
	years := func(y int) *time.Time { d := today.AddDate(-y, 0, -1); return &d }
	p := DefaultPolicy
	tests := []struct {
		name string
		h    Holder
		want Action
	}{
		{"signed in recently", Holder{Participant: true, CreatedAt: *ago(900), LastSignIn: ago(10), LastEnded: ago(400)}, Keep},
		{"course running, long silent", Holder{Participant: true, CreatedAt: *ago(900), LastSignIn: ago(500), Running: true}, Keep},
		{"silent a year after the course ended", Holder{Participant: true, CreatedAt: *ago(900), LastSignIn: ago(400), LastEnded: ago(380)}, Deactivate},
		{"silent a year, course ended lately", Holder{Participant: true, CreatedAt: *ago(900), LastSignIn: ago(400), LastEnded: ago(100)}, Keep},
		{"never signed in, old invitation", Holder{Participant: true, CreatedAt: *ago(400)}, Deactivate},
		{"never signed in, new", Holder{Participant: true, CreatedAt: *ago(30)}, Keep},
		{"staff gone quiet", Holder{CreatedAt: *ago(900), LastSignIn: ago(367)}, Deactivate},
		{"the last admin", Holder{CreatedAt: *ago(900), LastSignIn: ago(800), LastAdmin: true}, Keep},
		{"already deactivated", Holder{Participant: true, CreatedAt: *ago(900), LastSignIn: ago(800), Deactivated: true, LastEnded: ago(700)}, Keep},
		{"course ended seven years ago", Holder{Participant: true, CreatedAt: *years(9), LastSignIn: years(7), Deactivated: true, LastEnded: years(7)}, Anonymise},
		{"course ended six years ago", Holder{Participant: true, CreatedAt: *years(9), LastSignIn: years(6), Deactivated: true, LastEnded: years(6)}, Keep},
		{"a new course since", Holder{Participant: true, CreatedAt: *years(9), LastSignIn: ago(5), Running: true, LastEnded: years(8)}, Keep},
		{"staff are not anonymised", Holder{CreatedAt: *years(9), LastSignIn: years(8), Deactivated: true, LastEnded: years(8)}, Keep},
		{"already anonymised", Holder{Participant: true, Anonymised: true, LastEnded: years(9)}, Keep},
	}
	for _, tt := range tests {
		got, why := p.Decide(tt.h, today)
		if got != tt.want || (got != Keep && why == "") {
			t.Errorf("%s: %q (%s), want %q", tt.name, got, why, tt.want)
		}
	}
	if got, _ := (Policy{}).Decide(Holder{Participant: true, CreatedAt: *years(20), LastEnded: years(19)}, today); got != Keep {
		t.Errorf("a policy with no limits does nothing: %q", got)
	}
}
