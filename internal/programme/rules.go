// Package programme holds courses, blocks and items, cohorts, enrolments, completions and
// news: the rules as plain functions (progress, block opening, where to resume, CSV rows)
// and a Store with the SQL.
package programme

import (
	"slices"
	"time"

	"npq/internal/timefmt"
)

// ItemKind is what sort of learning an item is.
type ItemKind string

// The kinds of block item.
const (
	KindIntroduction    ItemKind = "introduction"
	KindSelfStudy       ItemKind = "self_study"
	KindWebinar         ItemKind = "webinar"
	KindFaceToFace      ItemKind = "face_to_face"
	KindTutorSession    ItemKind = "tutor_session"
	KindCoaching        ItemKind = "coaching"
	KindMicroTask       ItemKind = "micro_implementation_task"
	KindFormativeAssess ItemKind = "formative_assessment"
)

// ItemKinds lists every kind in the order forms offer them.
var ItemKinds = []ItemKind{KindIntroduction, KindSelfStudy, KindWebinar, KindFaceToFace, KindTutorSession,
	KindCoaching, KindMicroTask, KindFormativeAssess}

// Label is the kind as people say it.
func (k ItemKind) Label() string {
	switch k {
	case KindIntroduction:
		return "Introduction and diagnostic"
	case KindSelfStudy:
		return "Self-study"
	case KindWebinar:
		return "Webinar"
	case KindFaceToFace:
		return "Face-to-face session"
	case KindTutorSession:
		return "Tutor session"
	case KindCoaching:
		return "One-to-one coaching"
	case KindMicroTask:
		return "Micro implementation task"
	case KindFormativeAssess:
		return "Formative assessment"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k ItemKind) Valid() bool {
	return slices.Contains(ItemKinds, k)
}

// SelfCompleted reports whether participants mark the item done themselves. Sessions are
// completed by the register instead.
func (k ItemKind) SelfCompleted() bool {
	switch k {
	case KindWebinar, KindFaceToFace, KindTutorSession, KindCoaching:
		return false
	}
	return true
}

// Overview categories of the handbook's course overview table.
const (
	OverviewFaceToFace = "Face-to-face training and tutoring"
	OverviewOnline     = "Online training"
	OverviewSelfStudy  = "Self-study"
	OverviewCoaching   = "One-to-one coaching"
)

// OverviewCategories is the order the overview lists them.
var OverviewCategories = []string{OverviewFaceToFace, OverviewOnline, OverviewSelfStudy, OverviewCoaching}

// OverviewCategory is the line of the course overview an item's hours count towards.
func (k ItemKind) OverviewCategory() string {
	switch k {
	case KindFaceToFace, KindTutorSession:
		return OverviewFaceToFace
	case KindWebinar, KindIntroduction:
		return OverviewOnline
	case KindCoaching:
		return OverviewCoaching
	}
	return OverviewSelfStudy
}

// Item is a block item with whether one participant has completed it.
type Item struct {
	ID              int64
	BlockID         int64
	Position        int
	Kind            ItemKind
	Title           string
	Required        bool
	ExpectedMinutes int
	Completed       bool
}

// Block is a block with its items and the date it opens for a cohort (zero: not scheduled).
type Block struct {
	ID       int64
	Position int
	Title    string
	OpensOn  time.Time
	Items    []Item
}

// Progress counts completed required items out of required items.
type Progress struct {
	Done, Required int
}

// Percent is Done out of Required, rounded down; nothing required counts as 100%.
func (p Progress) Percent() int {
	if p.Required == 0 {
		return 100
	}
	return p.Done * 100 / p.Required
}

// Complete reports whether every required item is done.
func (p Progress) Complete() bool { return p.Done >= p.Required }

// Add combines two counts.
func (p Progress) Add(q Progress) Progress { return Progress{p.Done + q.Done, p.Required + q.Required} }

// ItemsProgress counts the required items of items.
func ItemsProgress(items []Item) Progress {
	var p Progress
	for _, it := range items {
		if it.Required {
			p.Required++
			if it.Completed {
				p.Done++
			}
		}
	}
	return p
}

// CourseProgress counts required items across every block, open or not.
func CourseProgress(blocks []Block) Progress {
	var p Progress
	for _, b := range blocks {
		p = p.Add(ItemsProgress(b.Items))
	}
	return p
}

// Today is the current date in England, as a UTC midnight like the dates from the database.
func Today(now time.Time) time.Time {
	y, m, d := now.In(timefmt.London).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StartOfDay is the instant a calendar day (as Today gives it) starts in London.
func StartOfDay(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, timefmt.London)
}

// IsOpen reports whether a block is open on today: it has an open date on or before today.
func (b Block) IsOpen(today time.Time) bool {
	return !b.OpensOn.IsZero() && !b.OpensOn.After(today)
}

// CurrentBlock is the block a participant is working on: the first open block with required
// items left, or else the last open block. It returns -1 when no block is open yet.
func CurrentBlock(blocks []Block, today time.Time) int {
	last := -1
	for i, b := range blocks {
		if !b.IsOpen(today) {
			continue
		}
		if !ItemsProgress(b.Items).Complete() {
			return i
		}
		last = i
	}
	return last
}

// Resume says where "pick up where you left off" goes: the item last opened if it is still
// to do, else the next required item to do after it, else the first required item to do in
// any open block. Only open blocks count. ok is false when nothing is left to do.
func Resume(blocks []Block, lastItemID int64, today time.Time) (block, item int, ok bool) {
	return ResumeDoable(blocks, lastItemID, today, nil)
}

// ResumeDoable is Resume that passes over items the participant cannot do anything about now
// (doable says which can be done; nil means all): a session whose dates have all passed.
func ResumeDoable(blocks []Block, lastItemID int64, today time.Time, doable func(Item) bool) (block, item int, ok bool) {
	can := func(it Item) bool { return !it.Completed && (doable == nil || doable(it)) }
	type pos struct{ b, i int }
	var order []pos
	for bi, b := range blocks {
		if !b.IsOpen(today) {
			continue
		}
		for ii := range b.Items {
			order = append(order, pos{bi, ii})
		}
	}
	start := 0
	for k, p := range order {
		if blocks[p.b].Items[p.i].ID == lastItemID {
			if can(blocks[p.b].Items[p.i]) {
				return p.b, p.i, true
			}
			start = k + 1
			break
		}
	}
	for _, from := range []int{start, 0} {
		for _, p := range order[from:] {
			it := blocks[p.b].Items[p.i]
			if it.Required && can(it) {
				return p.b, p.i, true
			}
		}
	}
	return -1, -1, false
}

// CalendarGap says how far a participant is behind the block calendar: the latest block that
// has opened (its index, or -1) and how many open blocks before it still have required
// activities to do.
func CalendarGap(blocks []Block, today time.Time) (latest, behind int) {
	latest = -1
	for i, b := range blocks {
		if b.IsOpen(today) {
			latest = i
		}
	}
	for i := 0; i < latest; i++ {
		if !ItemsProgress(blocks[i].Items).Complete() {
			behind++
		}
	}
	return latest, behind
}

// LaterBlock reports whether a block after the i-th is still to open.
func LaterBlock(blocks []Block, i int, today time.Time) bool {
	for _, b := range blocks[i+1:] {
		if !b.IsOpen(today) {
			return true
		}
	}
	return false
}

// Overview totals the expected minutes of items by course-overview category.
func Overview(items []Item) map[string]int {
	out := map[string]int{}
	for _, it := range items {
		out[it.Kind.OverviewCategory()] += it.ExpectedMinutes
	}
	return out
}

// FormatHours shows minutes as hours, e.g. "16 hours", "1.5 hours", "1 hour".
func FormatHours(minutes int) string {
	h := minutes / 60
	switch {
	case minutes%60 != 0:
		return trimZero(float64(minutes)/60) + " hours"
	case h == 1:
		return "1 hour"
	}
	return itoa(h) + " hours"
}

func cmpTime(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}
