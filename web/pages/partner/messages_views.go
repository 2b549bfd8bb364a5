package partner

import (
	"strconv"

	"npq/internal/messages"
	"npq/internal/plural"
	"npq/web/components"
)

// MessageView is the compose page for a message to a chosen group of participants.
type MessageView struct {
	Action     string // where the form posts
	Back       string // where the page came from, and where a sent message returns
	Key        string
	Recipients []messages.Recipient // everyone offered, ticked or not
	Chosen     map[string]bool      // the ticked ones, by user id
	Subject    string
	Body       string
	Errors     components.Errors
}

// ChosenCount is how many people are ticked.
func (v MessageView) ChosenCount() int {
	n := 0
	for _, p := range v.Recipients {
		if v.Chosen[strconv.FormatInt(p.UserID, 10)] {
			n++
		}
	}
	return n
}

// People is a count of people in words: "1 person", "12 people".
func People(n int) string { return plural.Count(n, "person", "people") }

func (v MessageView) recipientGroups() []components.CheckboxGroup {
	g := components.CheckboxGroup{Legend: "Who it goes to (" + People(len(v.Recipients)) + ")"}
	for _, p := range v.Recipients {
		g.Options = append(g.Options, components.Option{Value: strconv.FormatInt(p.UserID, 10), Label: p.Name + " (" + p.Email + ")"})
	}
	return []components.CheckboxGroup{g}
}
