package records

import (
	"npq/internal/assessment"
	"npq/internal/events"
)

// AssessmentLabel is what a viewer sees of an assessment attempt. Only someone who sees marks
// (an admin) learns a provisional outcome before it is released; partner staff see only that
// it is being marked until the result is released.
func AssessmentLabel(m Submission, seesMarks bool) string {
	stage := assessment.Stage(m.Stage)
	switch {
	case stage == assessment.StageDraft:
		return "Drafting, not submitted"
	case stage == assessment.StageReleased && m.Passed != nil && *m.Passed:
		return "Passed"
	case stage == assessment.StageReleased:
		return "Not passed"
	case !seesMarks:
		return "Submitted, being marked"
	case m.Passed != nil && *m.Passed:
		return stage.Label() + " (provisional pass, not released)"
	case m.Passed != nil:
		return stage.Label() + " (provisional fail, not released)"
	}
	return stage.Label()
}

// BookingLabel says where a booking stands: its place and, once the register is taken, its
// attendance.
func BookingLabel(b Booking) string {
	switch {
	case b.Cancelled:
		return "Event cancelled"
	case b.Status == string(events.StatusWaiting):
		return "On the waiting list"
	case b.Status == string(events.StatusCancelled):
		return "Place given up"
	case b.Attendance != "":
		return events.AttendanceLabel(b.Attendance)
	}
	return "Booked"
}

// EmailStatus says whether a message has gone: sent, failed (tried and given an error), or
// waiting to be sent.
func EmailStatus(m Email) string {
	switch {
	case m.SentAt != nil:
		return "Sent"
	case m.Failed:
		return "Not sent yet: delivery failed"
	}
	return "Waiting to be sent"
}
