package declarations

import (
	"strings"
	"time"

	"npq/internal/timefmt"
)

// Type is a DfE declaration type.
type Type string

// The DfE declaration types, in the order they are earned.
const (
	Started   Type = "started"
	Retained1 Type = "retained-1"
	Retained2 Type = "retained-2"
	Completed Type = "completed"
)

// Family is a DfE course group, which decides the allowed types.
type Family string

// The course families of DfE's schedules (dfe-npq-lifecycle.md §3).
const (
	Leadership Family = "leadership"
	Specialist Family = "specialist"
	EHCO       Family = "ehco"
	ASO        Family = "aso"
)

// Schedule is DfE's schedule for one cohort with its milestone deadlines.
type Schedule struct {
	Identifier      string        // e.g. npq-leadership-autumn
	CohortStartYear int           // e.g. 2024
	AppliesFrom     time.Time     // the earliest declaration date, a London date
	Deadlines       map[Type]Date // milestone deadline per type; a missing type has no published deadline
	PaymentDates    map[Type]Date // payment date per milestone where published
}

// Date is a civil date (midnight UTC standing for a London calendar day).
type Date = time.Time

// D builds a civil date.
func D(y int, m time.Month, d int) Date { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Family returns the course family named by the schedule identifier.
func (s Schedule) Family() Family {
	for _, f := range []Family{Leadership, Specialist, EHCO, ASO} {
		if strings.HasPrefix(s.Identifier, "npq-"+string(f)+"-") {
			return f
		}
	}
	return Leadership
}

// Allowed lists the types the schedule allows, in order.
func (s Schedule) Allowed() []Type {
	if s.Family() == Specialist {
		return []Type{Started, Retained1, Completed}
	}
	return []Type{Started, Retained1, Retained2, Completed}
}

// Allows reports whether the schedule allows the type.
func (s Schedule) Allows(t Type) bool { return s.position(t) >= 0 }

// HasOutcomes reports whether completed declarations carry a pass or fail;
// EHCO and ASO have no outcomes (dfe-npq-lifecycle.md §6).
func (s Schedule) HasOutcomes() bool { f := s.Family(); return f == Leadership || f == Specialist }

func (s Schedule) position(t Type) int {
	for i, a := range s.Allowed() {
		if a == t {
			return i
		}
	}
	return -1
}

// Window returns the first and last London dates on which the type may be
// declared; a zero last date means no published deadline.
func (s Schedule) Window(t Type) (from, to Date) {
	from = day(s.AppliesFrom)
	if i := s.position(t); i > 0 {
		for j := i - 1; j >= 0; j-- {
			if d, ok := s.Deadlines[s.Allowed()[j]]; ok {
				from = d.AddDate(0, 0, 1)
				break
			}
		}
	}
	return from, s.Deadlines[t]
}

// published holds the schedules whose dates DfE publishes in
// schedules-and-milestone-all-course.md (provider-platform-anchors.md §1.7;
// applies_from from dfe-npq-lifecycle.md §3 and schedules-and-milestone-dates.md).
// Leadership and specialist schedules of a cohort share started, retained-1
// and the schedule start; they differ in retained-2 and completed.
var published = []struct {
	cohort                int
	season                string
	appliesFrom           Date
	started, r1, r2       Date
	specialistCompleted   Date
	leadershipCompleted   Date
	startedPay, r1Pay     Date
	r2Pay, specPay, ldPay Date
}{
	{2023, "autumn", D(2023, 10, 1), D(2023, 11, 24), D(2024, 3, 11), D(2025, 1, 24), D(2025, 2, 25), D(2025, 8, 25),
		Date{}, Date{}, Date{}, Date{}, Date{}},
	{2023, "spring", D(2024, 1, 1), D(2024, 6, 25), D(2024, 10, 25), D(2025, 5, 25), D(2025, 5, 25), D(2025, 12, 19),
		Date{}, Date{}, Date{}, Date{}, Date{}},
	{2024, "autumn", D(2024, 10, 1), D(2024, 11, 25), D(2025, 5, 26), D(2026, 1, 24), D(2026, 2, 21), D(2026, 7, 25),
		D(2024, 12, 15), D(2025, 6, 25), D(2026, 2, 25), D(2026, 3, 26), D(2026, 8, 25)},
	{2025, "spring", D(2025, 2, 1), D(2025, 5, 30), D(2025, 12, 19), D(2026, 7, 24), D(2026, 8, 21), D(2027, 2, 25),
		D(2025, 6, 25), D(2026, 1, 26), D(2026, 8, 25), D(2026, 9, 25), D(2027, 3, 25)},
}

// PublishedSchedule returns the leadership or specialist schedule DfE
// publishes for a cohort start year and identifier, if there is one.
func PublishedSchedule(cohort int, identifier string) (Schedule, bool) {
	for _, p := range published {
		if p.cohort != cohort {
			continue
		}
		s := Schedule{Identifier: identifier, CohortStartYear: cohort, AppliesFrom: p.appliesFrom}
		switch identifier {
		case "npq-leadership-" + p.season:
			s.Deadlines = map[Type]Date{Started: p.started, Retained1: p.r1, Retained2: p.r2, Completed: p.leadershipCompleted}
			s.PaymentDates = payments(map[Type]Date{Started: p.startedPay, Retained1: p.r1Pay, Retained2: p.r2Pay, Completed: p.ldPay})
		case "npq-specialist-" + p.season:
			s.Deadlines = map[Type]Date{Started: p.started, Retained1: p.r1, Completed: p.specialistCompleted}
			s.PaymentDates = payments(map[Type]Date{Started: p.startedPay, Retained1: p.r1Pay, Completed: p.specPay})
		default:
			continue
		}
		return s, true
	}
	return Schedule{}, false
}

func payments(m map[Type]Date) map[Type]Date {
	for t, d := range m {
		if d.IsZero() {
			delete(m, t)
		}
	}
	return m
}

// day returns the London calendar day of t as a civil date.
func day(t time.Time) Date {
	y, m, d := t.In(timefmt.London).Date()
	return D(y, m, d)
}
