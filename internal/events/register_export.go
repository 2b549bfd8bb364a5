package events

import (
	"context"
	"fmt"

	"npq/internal/scope"
)

// Label is a booking status as the register shows it.
func (s BookingStatus) Label() string {
	switch s {
	case StatusBooked:
		return "Booked"
	case StatusWaiting:
		return "Waiting list"
	case StatusCancelled:
		return "Cancelled"
	}
	return string(s)
}

// RegisterLine is one place on an event's register as an export lists it, with the cohort
// the person is in, since an event can serve several.
type RegisterLine struct {
	Name, Email, School string
	CohortName          string
	Status              BookingStatus
	Attendance, Note    string
}

// RegisterExport is an event's register for a file: the course's short name and the lines.
type RegisterExport struct {
	CourseCode string
	Lines      []RegisterLine
}

// RegisterForExport lists the booked and waiting places of an event within sc, booked first,
// in one query; an event outside sc has no lines.
func (s Store) RegisterForExport(ctx context.Context, eventID int64, sc scope.Scope) (RegisterExport, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT c.qualification_code, l.name, l.email, l.school, l.cohort, l.status, l.attendance, l.note
		FROM events e JOIN block_items i ON i.id = e.item_id JOIN blocks bl ON bl.id = i.block_id JOIN courses c ON c.id = bl.course_id
		LEFT JOIN LATERAL (
			SELECT u.name, u.email, n.school, h.name AS cohort, b.status, coalesce(b.attendance, '') AS attendance,
			       b.attendance_note AS note, b.waiting_since, b.id
			FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN users u ON u.id = n.user_id JOIN cohorts h ON h.id = n.cohort_id
			WHERE b.event_id = e.id AND b.status IN ('booked', 'waiting')) l ON true
		WHERE e.id = $1 AND ($2 OR e.delivery_partner_id = $3)
		ORDER BY l.status, l.waiting_since NULLS FIRST, l.name, l.id`, eventID, sc.All(), sc.PartnerID())
	if err != nil {
		return RegisterExport{}, fmt.Errorf("events: register export %d: %w", eventID, err)
	}
	defer rows.Close()
	var out RegisterExport
	for rows.Next() {
		var name, email, school, cohort, status, attendance, note *string
		if err := rows.Scan(&out.CourseCode, &name, &email, &school, &cohort, &status, &attendance, &note); err != nil {
			return out, fmt.Errorf("events: register export %d: %w", eventID, err)
		}
		if name != nil {
			out.Lines = append(out.Lines, RegisterLine{Name: *name, Email: *email, School: *school, CohortName: *cohort,
				Status: BookingStatus(*status), Attendance: *attendance, Note: *note})
		}
	}
	return out, rows.Err()
}
