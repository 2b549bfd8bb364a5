package server

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"npq/internal/problem"
	"npq/web/components"
)

func TestParseClock(t *testing.T) {
	for _, tt := range []struct {
		in           string
		hour, minute int
		ok           bool
	}{
		{"9:30am", 9, 30, true},
		{"9.30 AM", 9, 30, true},
		{"14:00", 14, 0, true},
		{"2pm", 14, 0, true},
		{"12pm", 12, 0, true},
		{"12am", 0, 0, true},
		{"12:15am", 0, 15, true},
		{" 7 ", 7, 0, true},
		{"0:00", 0, 0, true},
		{"23:59", 23, 59, true},
		{"24:00", 0, 0, false},
		{"25:00", 0, 0, false},
		{"9:60", 0, 0, false},
		{"13pm", 0, 0, false},
		{"0am", 0, 0, false},
		{"noon", 0, 0, false},
		{"9:3", 0, 0, false},
		{"", 0, 0, false},
	} {
		h, m, ok := parseClock(tt.in)
		if ok != tt.ok || (ok && (h != tt.hour || m != tt.minute)) {
			t.Errorf("parseClock(%q) = %d, %d, %v; want %d, %d, %v", tt.in, h, m, ok, tt.hour, tt.minute, tt.ok)
		}
	}
}

func TestReadClock(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"9:30am", ""},
		{"", "Enter the start time"},
		{"noon", "Start time must be a time, like 9:30am or 14:00"},
	} {
		var ps problem.Problems
		readClock(&ps, "start_time", "Start time", tt.in, "9:30am or 14:00")
		if got := ps.For("start_time"); got != tt.want {
			t.Errorf("readClock(%q): %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadDay(t *testing.T) {
	var ps problem.Problems
	if d := readDay(&ps, "opens-day", "Booking opening date", components.DateValue{Day: "3", Month: "3", Year: "2027"}); d.Format("2006-01-02 15:04 MST") != "2027-03-03 00:00 GMT" || len(ps) != 0 {
		t.Errorf("a good date: %v %v", d, ps)
	}
	if d := readDay(&ps, "opens-day", "Booking opening date", components.DateValue{Day: "31", Month: "2", Year: "2027"}); !d.IsZero() || ps.For("opens-day") != "Booking opening date must be a real date" {
		t.Errorf("a bad date: %v %v", d, ps)
	}
}

func TestChosenIDs(t *testing.T) {
	chosen, ids := chosenIDs([]string{"3", "x", "1", "3", ""})
	if !slices.Equal(ids, []int64{3, 1}) || fmt.Sprint(chosen) != "map[1:true 3:true]" {
		t.Errorf("got %v %v", chosen, ids)
	}
	if chosen, ids := chosenIDs(nil); len(ids) != 0 || chosen == nil {
		t.Errorf("none chosen: %v %v", chosen, ids)
	}
}

func TestParsePounds(t *testing.T) {
	for _, tt := range []struct {
		in    string
		pence int
		ok    bool
	}{
		{"450", 45000, true},
		{"450.5", 45050, true},
		{"£450.00", 45000, true},
		{" 1,250.99 ", 125099, true},
		{"0", 0, true},
		{"100000", 10000000, true},
		{"100001", 0, false},
		{".50", 0, false},
		{"450.505", 0, false},
		{"-5", 0, false},
		{"lots", 0, false},
		{"4.x", 0, false},
		{"", 0, false},
	} {
		pence, ok := parsePounds(tt.in)
		if ok != tt.ok || (ok && pence != tt.pence) {
			t.Errorf("parsePounds(%q) = %d, %v; want %d, %v", tt.in, pence, ok, tt.pence, tt.ok)
		}
	}
}

func TestReadChoice(t *testing.T) {
	opts := []components.Option{{Value: "", Label: "Choose"}, {Value: "3", Label: "Three"}}
	for _, tt := range []struct {
		value, want string
		ok          bool
	}{
		{"3", "", true},
		{"", "Choose the partner", false},
		{"4", "Choose one of the partners listed", false},
	} {
		var ps problem.Problems
		ok := readChoice(&ps, "partner", tt.value, opts, "Choose the partner", "Choose one of the partners listed")
		if ok != tt.ok || ps.For("partner") != tt.want {
			t.Errorf("readChoice(%q) = %v %q; want %v %q", tt.value, ok, ps.For("partner"), tt.ok, tt.want)
		}
	}
}

func TestReadDate(t *testing.T) {
	var ps problem.Problems
	if d := readDate(&ps, "starts_on-day", "Start date", components.DateValue{Day: "1", Month: "10", Year: "2027"}); d.Format(time.RFC3339) != "2027-10-01T00:00:00Z" || len(ps) != 0 {
		t.Errorf("a good date: %v %v", d, ps)
	}
	if d := readDate(&ps, "starts_on-day", "Start date", components.DateValue{Day: "1", Year: "2027"}); !d.IsZero() || ps.For("starts_on-day") != "Start date must include a month" {
		t.Errorf("a date without its month: %v %v", d, ps)
	}
}

func TestReadHours(t *testing.T) {
	for _, tt := range []struct {
		in      string
		minutes int
		want    string
	}{
		{"1.5", 90, ""},
		{"0", 0, ""},
		{"100", 6000, ""},
		{"0.01", 1, ""},
		{"", 0, "Enter the expected hours"},
		{"lots", 0, "Expected hours must be a number, like 1.5"},
		{"NaN", 0, "Expected hours must be a number, like 1.5"},
		{"-1", 0, "Expected hours must be between 0 and 100"},
		{"100.5", 0, "Expected hours must be between 0 and 100"},
		{"Inf", 0, "Expected hours must be between 0 and 100"},
	} {
		var ps problem.Problems
		if got := readHours(&ps, "hours", "Expected hours", tt.in, 100); got != tt.minutes || ps.For("hours") != tt.want {
			t.Errorf("readHours(%q) = %d %q; want %d %q", tt.in, got, ps.For("hours"), tt.minutes, tt.want)
		}
	}
}

func TestChosen(t *testing.T) {
	set, values := chosen([]string{"b", "a", "b"})
	if !slices.Equal(values, []string{"b", "a"}) || len(set) != 2 || !set["a"] {
		t.Errorf("got %v %v", set, values)
	}
	if set, values := chosen(nil); set == nil || len(values) != 0 {
		t.Errorf("none chosen: %v %v", set, values)
	}
}
