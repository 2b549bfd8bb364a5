package wording

// StaffMessage is a message partner staff or an admin wrote to a participant.
type StaffMessage struct {
	Name          string // the participant's
	Subject, Body string // as the sender wrote them
	SenderName    string
	From          string // the sender's organisation: their delivery partner, or the lead provider
	BaseURL       string
}

// StaffMessageEmail words a staff message: the sender's words between a greeting and their
// name, with a note on how to reply.
func StaffMessageEmail(d StaffMessage) (Text, error) { return render("staff-message", d) }
