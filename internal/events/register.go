package events

import (
	"strconv"

	"npq/internal/problem"
)

// MaxNoteLength is the longest note a register row takes.
const MaxNoteLength = 500

// RegisterField is the form field of a booking's mark ("mark") or note ("note") on a register.
func RegisterField(kind string, bookingID int64) string {
	return kind + "-" + strconv.FormatInt(bookingID, 10)
}

// MarkRest marks everyone the register leaves unmarked as attended and keeps every other
// mark, so staff can mark the whole room at once and then change the exceptions.
func MarkRest(marks []Mark) []Mark {
	out := make([]Mark, len(marks))
	for i, m := range marks {
		if m.Attendance == "" {
			m.Attendance = "attended"
		}
		out[i] = m
	}
	return out
}

// CheckRegister finds the problems with a submitted register, keyed by each row's field and
// naming the person, whose name comes from names (by booking).
func CheckRegister(marks []Mark, names map[int64]string) problem.Problems {
	var ps problem.Problems
	for _, m := range marks {
		who := names[m.BookingID]
		if who == "" {
			who = "this person"
		}
		if !ValidAttendance(m.Attendance) {
			ps.Add(RegisterField("mark", m.BookingID), "Choose attended, partly attended, absent or excused for "+who)
		}
		ps.MaxLength(RegisterField("note", m.BookingID), "The note for "+who, m.Note, MaxNoteLength)
	}
	return ps
}
