package programme

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestIsInactive(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(days int) *time.Time { t := now.AddDate(0, 0, -days); return &t }
	day := func(days int) time.Time { return Today(now).AddDate(0, 0, -days) }
	for _, tt := range []struct {
		name       string
		status     Status
		last       *time.Time
		activeFrom time.Time
		want       bool
	}{
		{"never active, able for a month", StatusActive, nil, day(30), true},
		{"active 20 days ago, able for a month", StatusActive, at(20), day(30), true},
		{"active 3 days ago", StatusActive, at(3), day(30), false},
		{"active exactly 14 days ago", StatusActive, at(14), day(30), false},
		{"cohort not started: no block open", StatusActive, nil, time.Time{}, false},
		{"first block opens next week", StatusActive, nil, day(-7), false},
		{"able for 10 days only", StatusActive, nil, day(10), false},
		{"able for exactly 14 days", StatusActive, nil, day(14), false},
		{"able for 15 days", StatusActive, nil, day(15), true},
		{"deferred", StatusDeferred, nil, day(30), false},
		{"withdrawn", StatusWithdrawn, nil, day(30), false},
		{"completed", StatusCompleted, nil, day(30), false},
	} {
		if got := IsInactive(tt.status, tt.last, tt.activeFrom, now, 14); got != tt.want {
			t.Errorf("%s: got %v", tt.name, got)
		}
	}
}

func TestActiveFrom(t *testing.T) {
	blocks := []Block{{OpensOn: date("2026-10-01")}, {OpensOn: date("2026-09-15")}, {}}
	for _, tt := range []struct {
		name           string
		starts, cohort time.Time
		blocks         []Block
		want           time.Time
	}{
		{"the earliest block opening", date("2026-09-01"), date("2026-09-01"), blocks, date("2026-09-15")},
		{"a late joiner's own start", date("2026-11-02"), date("2026-09-01"), blocks, date("2026-11-02")},
		{"the cohort's start after the block opens", date("2026-09-01"), date("2026-09-20"), blocks, date("2026-09-20")},
		{"no block dates", date("2026-09-01"), date("2026-09-01"), []Block{{}, {}}, time.Time{}},
		{"no blocks", date("2026-09-01"), date("2026-09-01"), nil, time.Time{}},
	} {
		if got := ActiveFrom(tt.starts, tt.cohort, tt.blocks); !got.Equal(tt.want) {
			t.Errorf("%s: got %v", tt.name, got)
		}
	}
}

func TestRosterFilter(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	from := Today(now).AddDate(0, 0, -60)
	recent := now.AddDate(0, 0, -2)
	amara := RosterEntry{Name: "Amara Iqbal", Email: "amara.iqbal@oak.test", School: "Oak Primary", Status: StatusActive, ActiveFrom: from}
	amara2 := RosterEntry{Name: "Amara Iqbal", Email: "a.iqbal@elm.test", School: "Elm Academy", Status: StatusActive, ActiveFrom: from,
		LastActivityAt: &recent, BlocksBehind: 1, UnbookedRequired: 2}
	ben := RosterEntry{Name: "Ben Cole", Email: "ben@oak.test", School: "Oak Primary", Status: StatusDeferred, ActiveFrom: from, BlocksBehind: 2, UnbookedRequired: 1}
	all := []RosterEntry{amara, amara2, ben}
	for _, tt := range []struct {
		name string
		f    RosterFilter
		want []string
	}{
		{"everyone", RosterFilter{}, []string{"amara.iqbal@oak.test", "a.iqbal@elm.test", "ben@oak.test"}},
		{"by name, any case", RosterFilter{Query: "AMARA"}, []string{"amara.iqbal@oak.test", "a.iqbal@elm.test"}},
		{"by email", RosterFilter{Query: "elm.test"}, []string{"a.iqbal@elm.test"}},
		{"by school", RosterFilter{Query: "oak primary"}, []string{"amara.iqbal@oak.test", "ben@oak.test"}},
		{"nothing matches", RosterFilter{Query: "zed"}, nil},
		{"status", RosterFilter{Status: StatusDeferred}, []string{"ben@oak.test"}},
		{"inactive", RosterFilter{Engagement: EngagementInactive, InactiveDays: 14}, []string{"amara.iqbal@oak.test"}},
		{"behind: active only", RosterFilter{Engagement: EngagementBehind}, []string{"a.iqbal@elm.test"}},
		{"not booked: active only", RosterFilter{Engagement: EngagementUnbooked}, []string{"a.iqbal@elm.test"}},
		{"search and filter together", RosterFilter{Query: "oak", Engagement: EngagementUnbooked}, nil},
	} {
		var got []string
		for _, e := range FilterRoster(all, tt.f, now) {
			got = append(got, e.Email)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSeekRosterWalksEveryRowOnce(t *testing.T) {
	var entries []RosterEntry
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i := range 23 {
		e := RosterEntry{EnrolmentID: int64(100 + i), Name: "Person " + strconv.Itoa(i%7), Progress: Progress{Done: i % 5, Required: 4}, CurrentBlockNo: i % 3}
		if i%4 != 0 {
			t := base.Add(time.Duration(i%6) * time.Hour)
			e.LastActivityAt = &t
		}
		entries = append(entries, e)
	}
	ids := func(rows []RosterEntry) []int64 {
		var out []int64
		for _, r := range rows {
			out = append(out, r.EnrolmentID)
		}
		return out
	}
	for _, column := range RosterSorts {
		for _, dir := range []string{"asc", "desc"} {
			sorted := slices.Clone(entries)
			SortRoster(sorted, column, dir)
			var walked []int64
			var key []string
			var pages [][]RosterEntry
			for {
				page, err := SeekRoster(sorted, column, dir, key, false, 5)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				pages = append(pages, page)
				walked = append(walked, ids(page)...)
				key = RosterKey(page[len(page)-1], column)
			}
			if !slices.Equal(walked, ids(sorted)) {
				t.Errorf("%s %s forward: %v, want %v", column, dir, walked, ids(sorted))
			}
			// Back from the last page's first row gives the page before it, nearest first.
			last := pages[len(pages)-1]
			back, err := SeekRoster(sorted, column, dir, RosterKey(last[0], column), true, 5)
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(back)
			if want := ids(pages[len(pages)-2]); !slices.Equal(ids(back), want) {
				t.Errorf("%s %s backward: %v, want %v", column, dir, ids(back), want)
			}
		}
	}
	for _, bad := range [][]string{{"x"}, {"x", "Name", "seven"}, {"lots", "Name", "1"}} {
		if _, err := SeekRoster(entries, "progress", "asc", bad, false, 5); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := SeekRoster(entries, "activity", "asc", []string{"yesterday", "Name", "1"}, false, 5); err == nil {
		t.Error("a bad time: no error")
	}
}

func TestScheduleLabel(t *testing.T) {
	for in, want := range map[string]string{
		"npq-leadership-autumn": "NPQ leadership autumn",
		"npq-leadership-spring": "NPQ leadership spring",
		"npq-specialist-autumn": "NPQ specialist autumn",
		"npq-aso-march":         "Additional support offer March",
		"npq-ehco-december":     "Early headship coaching offer December",
		"npq-other-autumn":      "npq-other-autumn",
		"something":             "something",
		"":                      "",
	} {
		if got := ScheduleLabel(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
