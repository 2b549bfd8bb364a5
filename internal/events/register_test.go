package events

import (
	"reflect"
	"strings"
	"testing"

	"npq/internal/problem"
)

func TestMarkRest(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []Mark
		want []string
	}{
		{"nobody", nil, []string{}},
		{"all unmarked", []Mark{{BookingID: 1}, {BookingID: 2}}, []string{"attended", "attended"}},
		{"exceptions kept", []Mark{{BookingID: 1, Attendance: "absent"}, {BookingID: 2}, {BookingID: 3, Attendance: "excused"}},
			[]string{"absent", "attended", "excused"}},
		{"partly attended kept", []Mark{{BookingID: 1, Attendance: "partial"}}, []string{"partial"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := []string{}
			for _, m := range MarkRest(tt.in) {
				got = append(got, m.Attendance)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("MarkRest = %v, want %v", got, tt.want)
			}
		})
	}
	in := []Mark{{BookingID: 1}}
	MarkRest(in)
	if in[0].Attendance != "" {
		t.Error("MarkRest changed its argument")
	}
}

func TestCheckRegister(t *testing.T) {
	names := map[int64]string{1: "Amara Iqbal", 2: "Ben Cole"}
	for _, tt := range []struct {
		name  string
		marks []Mark
		want  problem.Problems
	}{
		{"fine", []Mark{{BookingID: 1, Attendance: "attended"}, {BookingID: 2}}, nil},
		{"unknown mark", []Mark{{BookingID: 1, Attendance: "present-ish"}},
			problem.Problems{{Field: "mark-1", Message: "Choose attended, partly attended, absent or excused for Amara Iqbal"}}},
		{"long note", []Mark{{BookingID: 2, Attendance: "absent", Note: strings.Repeat("x", 501)}},
			problem.Problems{{Field: "note-2", Message: "The note for Ben Cole must be 500 characters or fewer"}}},
		{"note of 500 is fine", []Mark{{BookingID: 2, Attendance: "absent", Note: strings.Repeat("é", 500)}}, nil},
		{"someone not on the register", []Mark{{BookingID: 9, Attendance: "x"}},
			problem.Problems{{Field: "mark-9", Message: "Choose attended, partly attended, absent or excused for this person"}}},
		{"both on one row", []Mark{{BookingID: 1, Attendance: "x", Note: strings.Repeat("x", 501)}},
			problem.Problems{{Field: "mark-1", Message: "Choose attended, partly attended, absent or excused for Amara Iqbal"},
				{Field: "note-1", Message: "The note for Amara Iqbal must be 500 characters or fewer"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckRegister(tt.marks, names); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CheckRegister = %v, want %v", got, tt.want)
			}
		})
	}
}
