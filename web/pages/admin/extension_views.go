package admin

import "npq/web/components"

// ExtensionForm grants an individual deadline.
type ExtensionForm struct {
	EnrolmentID     int64
	ParticipantName string
	CourseName      string
	Deadline        components.DateValue
	Current         string
	Reason          string
	Errors          components.Errors
}
