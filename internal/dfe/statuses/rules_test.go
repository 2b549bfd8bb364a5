package statuses

import (
	"reflect"
	"testing"
	"time"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

func TestChanges(t *testing.T) {
	today := d(2026, 11, 20)
	since := today.Add(-Lookback)
	decided := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	returned := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	early := d(2026, 11, 10)
	old := d(2025, 1, 10)
	for _, tc := range []struct {
		name string
		in   Decision
		want []Change
	}{
		{"a deferral in effect defers with its reason",
			Decision{RequestID: 1, EnrolmentID: 9, Kind: "deferral", Reason: "parental-leave", EffectiveOn: d(2026, 11, 3), DecidedAt: decided},
			[]Change{{RequestID: 1, EnrolmentID: 9, Action: Defer, Reason: "parental-leave", EffectiveOn: d(2026, 11, 3)}}},
		{"a deferral not yet in effect waits",
			Decision{RequestID: 1, EnrolmentID: 9, Kind: "deferral", Reason: "other", EffectiveOn: d(2026, 12, 1), DecidedAt: decided}, nil},
		{"a deferral whose return is confirmed also resumes, on the day it was confirmed",
			Decision{RequestID: 1, EnrolmentID: 9, Kind: "deferral", Reason: "other", EffectiveOn: d(2026, 11, 3), DecidedAt: decided,
				ReturnOn: &[]time.Time{d(2027, 1, 5)}[0], ReturnedAt: &returned},
			[]Change{{RequestID: 1, EnrolmentID: 9, Action: Defer, Reason: "other", EffectiveOn: d(2026, 11, 3)},
				{RequestID: 1, EnrolmentID: 9, Action: Resume, EffectiveOn: d(2026, 11, 18)}}},
		{"a return confirmed after the return date resumes on the return date",
			Decision{RequestID: 1, EnrolmentID: 9, Kind: "deferral", Reason: "other", EffectiveOn: d(2026, 11, 3), DecidedAt: decided,
				ReturnOn: &early, ReturnedAt: &returned},
			[]Change{{RequestID: 1, EnrolmentID: 9, Action: Defer, Reason: "other", EffectiveOn: d(2026, 11, 3)},
				{RequestID: 1, EnrolmentID: 9, Action: Resume, EffectiveOn: early}}},
		{"an old deferral with a recent return resumes only",
			Decision{RequestID: 1, EnrolmentID: 9, Kind: "deferral", Reason: "other", EffectiveOn: old, DecidedAt: old, ReturnedAt: &returned},
			[]Change{{RequestID: 1, EnrolmentID: 9, Action: Resume, EffectiveOn: d(2026, 11, 18)}}},
		{"a withdrawal in effect withdraws with its reason",
			Decision{RequestID: 2, EnrolmentID: 9, Kind: "withdrawal", Reason: "quality-of-programme-structure-not-suitable.", EffectiveOn: today, DecidedAt: decided},
			[]Change{{RequestID: 2, EnrolmentID: 9, Action: Withdraw, Reason: "quality-of-programme-structure-not-suitable.", EffectiveOn: today}}},
		{"a withdrawal decided long ago is not pushed",
			Decision{RequestID: 2, EnrolmentID: 9, Kind: "withdrawal", Reason: "other", EffectiveOn: old, DecidedAt: old}, nil},
		{"a withdrawal decided long ago but taking effect recently is pushed",
			Decision{RequestID: 2, EnrolmentID: 9, Kind: "withdrawal", Reason: "other", EffectiveOn: d(2026, 11, 1), DecidedAt: old},
			[]Change{{RequestID: 2, EnrolmentID: 9, Action: Withdraw, Reason: "other", EffectiveOn: d(2026, 11, 1)}}},
		{"a withdrawal undone by a reinstatement before it took effect is not pushed",
			Decision{RequestID: 2, EnrolmentID: 9, Kind: "withdrawal", Reason: "other", EffectiveOn: d(2026, 11, 15), DecidedAt: decided, ReinstatedAt: &decided}, nil},
		{"a withdrawal reinstated after it took effect is pushed",
			Decision{RequestID: 2, EnrolmentID: 9, Kind: "withdrawal", Reason: "other", EffectiveOn: d(2026, 11, 1), DecidedAt: decided, ReinstatedAt: &returned},
			[]Change{{RequestID: 2, EnrolmentID: 9, Action: Withdraw, Reason: "other", EffectiveOn: d(2026, 11, 1)}}},
		{"a reinstatement resumes",
			Decision{HistoryID: 5, EnrolmentID: 9, Kind: "reinstatement", EffectiveOn: d(2026, 11, 19), DecidedAt: decided},
			[]Change{{HistoryID: 5, EnrolmentID: 9, Action: Resume, EffectiveOn: d(2026, 11, 19)}}},
		{"an old reinstatement is not pushed",
			Decision{HistoryID: 5, EnrolmentID: 9, Kind: "reinstatement", EffectiveOn: old, DecidedAt: old}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Changes(tc.in, today, since); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestHeldBack(t *testing.T) {
	effective := d(2026, 11, 3)
	before := time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC)
	sameDay := time.Date(2026, 11, 3, 16, 0, 0, 0, time.UTC)
	after := time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		earliestDue *time.Time
		earlier     bool
		want        bool
	}{
		{"nothing due", nil, false, false},
		{"a declaration dated before is due", &before, false, true},
		{"a declaration dated the same day is due", &sameDay, false, true},
		{"only a declaration dated after is due", &after, false, false},
		{"an earlier change is due", nil, true, true},
	} {
		if got := HeldBack(effective, tc.earliestDue, tc.earlier); got != tc.want {
			t.Errorf("%s: held back %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSortChangesPutsThemInTheOrderTheyHappened(t *testing.T) {
	cs := []Change{
		{EnrolmentID: 2, Action: Resume, EffectiveOn: d(2026, 11, 5)},
		{EnrolmentID: 1, Action: Resume, EffectiveOn: d(2026, 11, 5)},
		{EnrolmentID: 1, Action: Withdraw, EffectiveOn: d(2026, 11, 5)},
		{EnrolmentID: 3, Action: Defer, EffectiveOn: d(2026, 11, 1)},
	}
	SortChanges(cs)
	want := []Change{
		{EnrolmentID: 3, Action: Defer, EffectiveOn: d(2026, 11, 1)},
		{EnrolmentID: 1, Action: Withdraw, EffectiveOn: d(2026, 11, 5)},
		{EnrolmentID: 1, Action: Resume, EffectiveOn: d(2026, 11, 5)},
		{EnrolmentID: 2, Action: Resume, EffectiveOn: d(2026, 11, 5)},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("got %+v", cs)
	}
}

func TestParseStateAndLabels(t *testing.T) {
	for in, want := range map[string]State{"": StateDue, "due": StateDue, "sent": StateSent, "failed": StateFailed} {
		if got, ok := ParseState(in); !ok || got != want {
			t.Errorf("ParseState(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"voided", "DUE", "x"} {
		if _, ok := ParseState(bad); ok {
			t.Errorf("ParseState(%q) accepted", bad)
		}
	}
	if got := ReasonLabel(Defer, "parental-leave"); got == "" || got == "parental-leave" {
		t.Errorf("deferral reason label %q", got)
	}
	if got := ReasonLabel(Resume, ""); got != "" {
		t.Errorf("resume reason label %q", got)
	}
	if Withdraw.TrainingStatus() != "withdrawn" || Defer.TrainingStatus() != "deferred" || Resume.TrainingStatus() != "active" {
		t.Error("training statuses")
	}
}
