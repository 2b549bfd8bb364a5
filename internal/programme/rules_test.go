package programme

import (
	"slices"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func items(blockID int64, firstID int64, spec string) []Item {
	// spec: one letter per item: R required to do, D required done, o optional to do, x optional done.
	var out []Item
	for i, c := range spec {
		out = append(out, Item{ID: firstID + int64(i), BlockID: blockID, Position: i + 1, Kind: KindSelfStudy,
			Required: c == 'R' || c == 'D', Completed: c == 'D' || c == 'x'})
	}
	return out
}

func TestProgressArithmetic(t *testing.T) {
	tests := []struct {
		spec    string
		done    int
		req     int
		percent int
	}{
		{"", 0, 0, 100},
		{"ooo", 0, 0, 100},
		{"RRR", 0, 3, 0},
		{"DRR", 1, 3, 33},
		{"DDR", 2, 3, 66},
		{"DDD", 3, 3, 100},
		{"DxoR", 1, 2, 50},
		{"xxxR", 0, 1, 0},
		{"DDDDDDDDDR", 9, 10, 90},
	}
	for _, tt := range tests {
		p := ItemsProgress(items(1, 1, tt.spec))
		if p.Done != tt.done || p.Required != tt.req || p.Percent() != tt.percent {
			t.Errorf("%q: %+v %d%%, want %d/%d %d%%", tt.spec, p, p.Percent(), tt.done, tt.req, tt.percent)
		}
	}
	blocks := []Block{{Items: items(1, 1, "DDR")}, {Items: items(2, 10, "RRo")}, {Items: items(3, 20, "")}}
	if p := CourseProgress(blocks); p.Done != 2 || p.Required != 5 || p.Percent() != 40 {
		t.Errorf("course progress %+v", p)
	}
}

func TestBlockOpening(t *testing.T) {
	today := date("2026-03-10")
	tests := []struct {
		opens string
		open  bool
	}{
		{"", false},           // no date set: not open
		{"2026-03-11", false}, // tomorrow
		{"2026-03-10", true},  // today
		{"2025-09-01", true},  // long ago
	}
	for _, tt := range tests {
		b := Block{}
		if tt.opens != "" {
			b.OpensOn = date(tt.opens)
		}
		if got := b.IsOpen(today); got != tt.open {
			t.Errorf("opens %q: open %v", tt.opens, got)
		}
	}
	// Today is England's date: 00:30 BST on 1 June is still 31 May in UTC.
	if got := Today(time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC)); !got.Equal(date("2026-06-01")) {
		t.Errorf("Today = %s", got)
	}
	if got := Today(time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC)); !got.Equal(date("2026-01-31")) {
		t.Errorf("Today in winter = %s", got)
	}
}

func TestCurrentBlockAndResume(t *testing.T) {
	today := date("2026-03-10")
	open, later := date("2026-01-01"), date("2026-06-01")
	tests := []struct {
		name     string
		blocks   []Block
		last     int64
		current  int
		resumeAt [2]int
		resumeOK bool
	}{
		{"nothing open", []Block{{OpensOn: later, Items: items(1, 1, "RR")}}, 0, -1, [2]int{-1, -1}, false},
		{"fresh start", []Block{{OpensOn: open, Items: items(1, 1, "RR")}, {OpensOn: later, Items: items(2, 10, "R")}}, 0, 0, [2]int{0, 0}, true},
		{"last item still to do", []Block{{OpensOn: open, Items: items(1, 1, "DRR")}}, 3, 0, [2]int{0, 2}, true},
		{"next after last done", []Block{{OpensOn: open, Items: items(1, 1, "DDR")}, {OpensOn: open, Items: items(2, 10, "R")}}, 2, 0, [2]int{0, 2}, true},
		{"block finished, next open block", []Block{{OpensOn: open, Items: items(1, 1, "DD")}, {OpensOn: open, Items: items(2, 10, "RR")}}, 2, 1, [2]int{1, 0}, true},
		{"skips optional items", []Block{{OpensOn: open, Items: items(1, 1, "DoR")}}, 1, 0, [2]int{0, 2}, true},
		{"wraps to an earlier gap", []Block{{OpensOn: open, Items: items(1, 1, "RDD")}}, 3, 0, [2]int{0, 0}, true},
		{"all open work done, next block not open", []Block{{OpensOn: open, Items: items(1, 1, "DD")}, {OpensOn: later, Items: items(2, 10, "R")}}, 2, 0, [2]int{-1, -1}, false},
		{"last item in a closed block is ignored", []Block{{OpensOn: open, Items: items(1, 1, "R")}, {OpensOn: later, Items: items(2, 10, "R")}}, 10, 0, [2]int{0, 0}, true},
		{"unknown last item", []Block{{OpensOn: open, Items: items(1, 1, "DR")}}, 999, 0, [2]int{0, 1}, true},
	}
	for _, tt := range tests {
		if got := CurrentBlock(tt.blocks, today); got != tt.current {
			t.Errorf("%s: current block %d, want %d", tt.name, got, tt.current)
		}
		b, i, ok := Resume(tt.blocks, tt.last, today)
		if b != tt.resumeAt[0] || i != tt.resumeAt[1] || ok != tt.resumeOK {
			t.Errorf("%s: resume at %d/%d %v, want %v %v", tt.name, b, i, ok, tt.resumeAt, tt.resumeOK)
		}
	}
}

func TestOverviewAndHours(t *testing.T) {
	its := []Item{
		{Kind: KindFaceToFace, ExpectedMinutes: 600}, {Kind: KindTutorSession, ExpectedMinutes: 360},
		{Kind: KindWebinar, ExpectedMinutes: 900}, {Kind: KindIntroduction, ExpectedMinutes: 300},
		{Kind: KindSelfStudy, ExpectedMinutes: 2400}, {Kind: KindMicroTask, ExpectedMinutes: 300}, {Kind: KindFormativeAssess, ExpectedMinutes: 0},
		{Kind: KindCoaching, ExpectedMinutes: 90},
	}
	o := Overview(its)
	if o[OverviewFaceToFace] != 960 || o[OverviewOnline] != 1200 || o[OverviewSelfStudy] != 2700 || o[OverviewCoaching] != 90 {
		t.Errorf("overview %v", o)
	}
	for m, want := range map[int]string{960: "16 hours", 60: "1 hour", 90: "1.5 hours", 0: "0 hours", 20: "0.33 hours"} {
		if got := FormatHours(m); got != want {
			t.Errorf("FormatHours(%d) = %q, want %q", m, got, want)
		}
	}
	for _, k := range ItemKinds {
		if !k.Valid() || k.Label() == string(k) {
			t.Errorf("kind %s has no label", k)
		}
	}
	if KindWebinar.SelfCompleted() || !KindSelfStudy.SelfCompleted() {
		t.Error("self-completion rule")
	}
}

func TestResumePassesOverWhatCannotBeDoneNow(t *testing.T) {
	today := date("2026-03-10")
	open := date("2026-01-01")
	stuck := func(ids ...int64) func(Item) bool {
		return func(it Item) bool {
			return !slices.Contains(ids, it.ID)
		}
	}
	tests := []struct {
		name     string
		blocks   []Block
		last     int64
		doable   func(Item) bool
		resumeAt [2]int
		ok       bool
	}{
		{"the next item's dates have passed", []Block{{OpensOn: open, Items: items(1, 1, "DRR")}}, 1, stuck(2), [2]int{0, 2}, true},
		{"the last item opened cannot be done", []Block{{OpensOn: open, Items: items(1, 1, "RR")}}, 1, stuck(1), [2]int{0, 1}, true},
		{"into the next block", []Block{{OpensOn: open, Items: items(1, 1, "DR")}, {OpensOn: open, Items: items(2, 10, "R")}}, 1, stuck(2), [2]int{1, 0}, true},
		{"nothing can be done", []Block{{OpensOn: open, Items: items(1, 1, "DR")}}, 1, stuck(2), [2]int{-1, -1}, false},
		{"nil means everything can", []Block{{OpensOn: open, Items: items(1, 1, "DR")}}, 1, nil, [2]int{0, 1}, true},
	}
	for _, tt := range tests {
		b, i, ok := ResumeDoable(tt.blocks, tt.last, today, tt.doable)
		if b != tt.resumeAt[0] || i != tt.resumeAt[1] || ok != tt.ok {
			t.Errorf("%s: resume at %d/%d %v, want %v %v", tt.name, b, i, ok, tt.resumeAt, tt.ok)
		}
	}
}

func TestCalendarGap(t *testing.T) {
	today := date("2026-03-10")
	open, later := date("2026-01-01"), date("2026-06-01")
	tests := []struct {
		name           string
		blocks         []Block
		latest, behind int
		laterBlock     bool
	}{
		{"nothing open", []Block{{OpensOn: later, Items: items(1, 1, "R")}}, -1, 0, false},
		{"on track", []Block{{OpensOn: open, Items: items(1, 1, "DD")}, {OpensOn: open, Items: items(2, 10, "R")}, {OpensOn: later}}, 1, 0, true},
		{"one block behind", []Block{{OpensOn: open, Items: items(1, 1, "DR")}, {OpensOn: open, Items: items(2, 10, "R")}, {OpensOn: later}}, 1, 1, true},
		{"two behind on the last block", []Block{{OpensOn: open, Items: items(1, 1, "R")}, {OpensOn: open, Items: items(2, 10, "R")}, {OpensOn: open, Items: items(3, 20, "R")}}, 2, 2, false},
		{"optional items do not count", []Block{{OpensOn: open, Items: items(1, 1, "Do")}, {OpensOn: open, Items: items(2, 10, "R")}}, 1, 0, false},
	}
	for _, tt := range tests {
		latest, behind := CalendarGap(tt.blocks, today)
		if latest != tt.latest || behind != tt.behind {
			t.Errorf("%s: latest %d behind %d", tt.name, latest, behind)
		}
		if latest >= 0 && LaterBlock(tt.blocks, latest, today) != tt.laterBlock {
			t.Errorf("%s: later block %v", tt.name, !tt.laterBlock)
		}
	}
}
