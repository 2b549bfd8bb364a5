package partner

import (
	"strconv"

	"npq/internal/events"
	"npq/web/components"
)

// RegisterView is an event's register: one row per person booked.
type RegisterView struct {
	BasePath   string // "/partner/events" or "/admin/events"
	PeopleBase string // where participant records live: "/partner/participants" or "/admin/participants"
	Event      events.Event
	Rows       []events.Booking
	Marks      map[int64]string // the mark shown for each booking, as saved or as submitted
	Notes      map[int64]string
	Open       bool // the register can be taken (the day of the event or later, not cancelled)
	Errors     components.Errors
}

// Unmarked counts the people the register shows without a mark.
func (v RegisterView) Unmarked() int {
	n := 0
	for _, b := range v.Rows {
		if v.Marks[b.ID] == "" {
			n++
		}
	}
	return n
}

// booked says how many people are booked.
func (v RegisterView) booked() string {
	if len(v.Rows) == 1 {
		return "1 person is booked"
	}
	return strconv.Itoa(len(v.Rows)) + " people are booked"
}

// counts says how many people are booked and how many are still to mark.
func (v RegisterView) counts() string {
	booked := strconv.Itoa(len(v.Rows)) + " booked"
	if u := v.Unmarked(); u > 0 {
		return booked + ", " + strconv.Itoa(u) + " not yet marked"
	}
	return booked + ", everyone marked"
}

func (v RegisterView) personHref(b events.Booking) string {
	return v.PeopleBase + "/" + strconv.FormatInt(b.UserID, 10)
}

func registerHref(v RegisterView) string { return eventHref(v.BasePath, v.Event) + "/register" }
