package admin

import (
	"npq/internal/programme"
	"npq/web/components"
)

// ParticipantsView is the participant search.
type ParticipantsView struct {
	Query    string
	Matches  []programme.ParticipantMatch
	Searched bool
	Errors   components.Errors
}
