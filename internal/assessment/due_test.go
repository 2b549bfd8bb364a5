package assessment

import (
	"testing"
	"time"

	"npq/internal/timefmt"
)

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func TestMarkingDue(t *testing.T) {
	for _, tc := range []struct {
		name        string
		allocatedAt time.Time
		want        string
	}{
		{"a Monday gives the Monday three weeks on", time.Date(2026, 11, 2, 10, 0, 0, 0, timefmt.London), "2026-11-23"},
		{"a Friday gives the Friday three weeks on", time.Date(2026, 11, 6, 10, 0, 0, 0, timefmt.London), "2026-11-27"},
		{"a Saturday counts from the Monday", time.Date(2026, 11, 7, 10, 0, 0, 0, timefmt.London), "2026-11-27"},
		{"a Sunday counts from the Monday", time.Date(2026, 11, 8, 10, 0, 0, 0, timefmt.London), "2026-11-27"},
		{"late evening is the London day", time.Date(2026, 7, 5, 23, 30, 0, 0, time.UTC), "2026-07-27"}, // Monday 6 July 00:30 BST
	} {
		if got := MarkingDue(tc.allocatedAt).Format("2006-01-02"); got != tc.want {
			t.Errorf("%s: due %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestMarkingOverdueAndItsCutoffAgree(t *testing.T) {
	if MarkingOverdue(day("2026-11-23"), day("2026-11-23")) || !MarkingOverdue(day("2026-11-23"), day("2026-11-24")) {
		t.Error("marking is overdue from the day after its due date")
	}
	// Over a year of days, an allocation is overdue by the rule exactly when it was made
	// before the cutoff the queries use.
	for now := time.Date(2026, 1, 1, 9, 0, 0, 0, timefmt.London); now.Year() == 2026; now = now.AddDate(0, 0, 1) {
		cut := OverdueAllocatedBefore(now)
		for back := 0; back < 40; back++ {
			at := time.Date(now.Year(), now.Month(), now.Day()-back, 12, 0, 0, 0, timefmt.London)
			rule := MarkingOverdue(MarkingDue(at), day(now.Format("2006-01-02")))
			if query := at.Before(cut); rule != query {
				t.Fatalf("now %s, allocated %s: rule %v, cutoff %s says %v", now, at, rule, cut, query)
			}
		}
	}
}

func TestSortForMarker(t *testing.T) {
	at := func(d string) time.Time { return day(d) }
	list := []Allocated{
		{CandidateNumber: "done", Role: RoleFirst, Stage: StageInMarking, Completed: true, AllocatedAt: at("2026-01-01")},
		{CandidateNumber: "late", Role: RoleFirst, Stage: StageInMarking, AllocatedAt: at("2026-03-01")},
		{CandidateNumber: "early", Role: RoleSecond, Stage: StageModeration, AllocatedAt: at("2026-02-01")},
		{CandidateNumber: "closed", Role: RoleFirst, Stage: StageModeration, AllocatedAt: at("2025-12-01")},
	}
	SortForMarker(list)
	var got []string
	for _, a := range list {
		got = append(got, a.CandidateNumber)
	}
	if want := []string{"early", "late", "closed", "done"}; len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("order %v, want %v", got, want)
	}
	if !list[0].Overdue(at("2026-03-01")) || list[3].Overdue(at("2027-01-01")) {
		t.Error("only unfinished work past its due date is overdue")
	}
}
