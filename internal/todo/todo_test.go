package todo

import (
	"testing"
	"time"

	"npq/internal/timefmt"
)

func TestAge(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, timefmt.London)
	ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	for _, tc := range []struct {
		kind Kind
		at   time.Time
		want string
	}{
		{Registers, ago(9), "oldest 9 days"},
		{Registers, ago(1), "oldest 1 day"},
		{Registers, now.Add(-time.Hour), "oldest today"},
		{Requests, time.Date(2026, 11, 30, 23, 30, 0, 0, timefmt.London), "oldest 1 day"}, // yesterday evening is a day ago
		{Unbooked, ago(-3), "booking closes in 3 days"},
		{Unbooked, ago(-1), "booking closes in 1 day"},
		{Unbooked, now.Add(time.Hour), "booking closes today"},
		{Returns, ago(-20), "return due in 20 days"},
		{Returns, now, "return due today"},
		{Returns, ago(5), "oldest 5 days past the return date"},
		{Overdue, ago(0), "due today"},
		{Overdue, ago(2), "oldest 2 days overdue"},
		{FailedMail, ago(40), "oldest 40 days"},
	} {
		if got := Age(tc.kind, tc.at, now, "oldest "); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.kind, tc.at, got, tc.want)
		}
	}
	if got := Age(Registers, ago(2), now, ""); got != "2 days" {
		t.Errorf("a row's age: %q", got)
	}
}

func TestDaysAcrossTheClockChange(t *testing.T) {
	// 29 March 2026 is 23 hours long in London.
	at := time.Date(2026, 3, 28, 12, 0, 0, 0, timefmt.London)
	if d := Days(at, time.Date(2026, 3, 30, 0, 30, 0, 0, timefmt.London)); d != 2 {
		t.Errorf("days: %d", d)
	}
	if d := Days(time.Date(2026, 3, 30, 0, 30, 0, 0, timefmt.London), at); d != -2 {
		t.Errorf("days ahead: %d", d)
	}
}

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		it   Item
		want string
	}{
		{Item{Kind: Registers, Count: 1}, "1 register not taken for a past event"},
		{Item{Kind: Registers, Count: 3}, "3 registers not taken for past events"},
		{Item{Kind: Inactive, Count: 7}, "7 participants not active for 14 days or more"},
		{Item{Kind: Release, Count: 1}, "1 outcome ready to release"},
		{Item{Kind: FailedMail, Count: 2}, "2 emails that failed to send"},
	} {
		if got := tc.it.Label(); got != tc.want {
			t.Errorf("%q, want %q", got, tc.want)
		}
	}
	for _, k := range AdminKinds {
		if Title(k) == "" || Explain(k) == "" || AtHeading(k) == "" || nouns[k][0] == "" {
			t.Errorf("%s lacks wording", k)
		}
		if _, ok := fragments[k]; !ok && k != Unbooked {
			t.Errorf("%s has no query", k)
		}
	}
}

func TestItemsKeepTheAudiencesOrderAndDropEmptyLines(t *testing.T) {
	found := map[Kind]Item{Inactive: {Count: 2}, Registers: {Count: 1}, Requests: {Count: 4}, FailedMail: {Count: 0}}
	partner := Items(found, false)
	if len(partner) != 2 || partner[0].Kind != Registers || partner[1].Kind != Inactive {
		t.Errorf("partner items: %+v", partner)
	}
	admin := Items(found, true)
	if len(admin) != 3 || admin[0].Kind != Requests {
		t.Errorf("admin items: %+v", admin)
	}
	for _, tc := range []struct {
		k     Kind
		admin bool
		want  bool
	}{{Registers, false, true}, {Requests, false, false}, {Requests, true, true}, {"nonsense", true, false}} {
		if Allowed(tc.k, tc.admin) != tc.want {
			t.Errorf("Allowed(%s, %v)", tc.k, tc.admin)
		}
	}
}

func TestMergeKeepsTheMostPressingDate(t *testing.T) {
	a, b := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	it := merge(merge(Item{}, Unbooked, 2, b), Unbooked, 3, a)
	if it.Count != 5 || !it.At.Equal(a) {
		t.Errorf("%+v", it)
	}
}
