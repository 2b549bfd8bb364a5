package assessment

import (
	"sort"
	"time"

	"npq/internal/programme"
)

// MarkingWorkingDays is how long a marker has for an allocation: fifteen working days
// (Monday to Friday) after the day it was allocated, three working weeks.
const MarkingWorkingDays = 15

// MarkingDue is the last day for marking allocated at allocatedAt: MarkingWorkingDays
// working days after the allocation's date in London. The date is a calendar day (UTC
// midnight, like programme.Today).
func MarkingDue(allocatedAt time.Time) time.Time {
	return AddWorkingDays(programme.Today(allocatedAt), MarkingWorkingDays)
}

// AddWorkingDays is the nth working day (Monday to Friday) after day.
func AddWorkingDays(day time.Time, n int) time.Time {
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return day
}

// MarkingOverdue reports whether marking due on due is overdue on today.
func MarkingOverdue(due, today time.Time) bool { return today.After(due) }

// OverdueAllocatedBefore is the instant before which an allocation is overdue on now: the
// start (in London) of the earliest day whose due date is not yet past. Queries compare
// allocated_at with it, so the list and the count follow MarkingDue exactly.
func OverdueAllocatedBefore(now time.Time) time.Time {
	today := programme.Today(now)
	day := today
	for !MarkingOverdue(MarkingDue(day.AddDate(0, 0, -1)), today) {
		day = day.AddDate(0, 0, -1)
	}
	return programme.StartOfDay(day)
}

// Due is the allocation's marking due date.
func (a Allocated) Due() time.Time { return MarkingDue(a.AllocatedAt) }

// Overdue reports whether the marker still has work on it past its due date on today.
func (a Allocated) Overdue(today time.Time) bool { return a.ToDo() && MarkingOverdue(a.Due(), today) }

// SortForMarker orders a marker's list: unfinished work first, by due date (so overdue work
// leads), then the rest by due date.
func SortForMarker(list []Allocated) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].ToDo() != list[j].ToDo() {
			return list[i].ToDo()
		}
		return list[i].AllocatedAt.Before(list[j].AllocatedAt)
	})
}
