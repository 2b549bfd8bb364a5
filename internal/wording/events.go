package wording

import "time"

// Event is what a message about an event says of it, and whom it is to.
type Event struct {
	Name          string // the participant
	Title, Timing string
	Online        bool
	Venue         string
	JoiningLink   string // shown only to people with a place: empty for the waiting list
	CancelBy      time.Time
	EventURL      string // the participant's page for the event
	BaseURL       string
	Reason        string // why the event was cancelled
}

// BookingConfirmedEmail confirms a booking.
func BookingConfirmedEmail(d Event) (Text, error) { return render("booking-confirmed", d) }

// BookingPromotedEmail tells someone on the waiting list that they now have a place.
func BookingPromotedEmail(d Event) (Text, error) { return render("booking-promoted", d) }

// BookingWaitingEmail tells someone they are on an event's waiting list.
func BookingWaitingEmail(d Event) (Text, error) { return render("booking-waiting", d) }

// BookingCancelledEmail confirms that someone cancelled their place.
func BookingCancelledEmail(d Event) (Text, error) { return render("booking-cancelled", d) }

// BookingMovedEmail tells someone who changed date that their old booking is cancelled.
func BookingMovedEmail(d Event) (Text, error) { return render("booking-moved", d) }

// ReminderWeekEmail reminds someone of a booking a week ahead.
func ReminderWeekEmail(d Event) (Text, error) { return render("reminder-week", d) }

// ReminderDayEmail reminds someone of a booking the day before.
func ReminderDayEmail(d Event) (Text, error) { return render("reminder-day", d) }

// EventCancelledEmail tells everyone booked or waiting that an event was cancelled.
func EventCancelledEmail(d Event) (Text, error) { return render("event-cancelled", d) }

// EventChangedEmail tells everyone booked or waiting that an event's details changed.
func EventChangedEmail(d Event) (Text, error) { return render("event-changed", d) }
