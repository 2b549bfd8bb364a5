package declarations

import (
	"reflect"
	"testing"
	"time"
)

func TestOutstanding(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	sp := sched(t, 2024, "npq-specialist-autumn")
	type row struct {
		t      Type
		missed bool
	}
	tests := []struct {
		name  string
		ev    Evidence
		today time.Time
		want  []row
	}{
		{"nothing earned, on the started deadline", Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, at(2024, 11, 25),
			[]row{{Started, false}, {Retained1, false}, {Retained2, false}, {Completed, false}}},
		{"started missed the day after", Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, at(2024, 11, 26),
			[]row{{Started, true}, {Retained1, false}, {Retained2, false}, {Completed, false}}},
		{"specialist: started due from evidence is not outstanding", Evidence{Schedule: sp, DeliveryPartnerID: "dp", Engagements: []Engagement{eng("a", at(2024, 10, 14))}}, at(2024, 12, 1),
			[]row{{Retained1, false}, {Completed, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []row
			for _, m := range Outstanding(tt.ev, tt.today) {
				got = append(got, row{m.Type, m.Missed})
				if f, to := tt.ev.Schedule.Window(m.Type); !m.From.Equal(f) || !m.Deadline.Equal(to) {
					t.Errorf("%s window %v..%v", m.Type, m.From, m.Deadline)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("outstanding = %v, want %v", got, tt.want)
			}
		})
	}
	ms := Outstanding(Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []Made{live(Started, at(2024, 10, 14))}}, at(2025, 1, 1))
	if len(ms) != 3 || ms[0].Type != Retained1 || !ms[0].PaymentDate.Equal(D(2025, 6, 25)) {
		t.Errorf("a live started is not outstanding and retained-1 carries its payment date: %+v", ms)
	}
}
