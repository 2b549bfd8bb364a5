package events

import (
	"net/url"
	"time"

	"npq/internal/problem"
	"npq/internal/timefmt"
)

// EventDraft is an event as staff filled in the form, before its rules are checked. A time
// that could not be read is zero, and the rules that need it are left out: the form has
// already said what is wrong with it.
type EventDraft struct {
	NewEvent
	Kind       Kind // of the chosen session; "" when none is chosen
	Scheduling bool // a new event rather than a change, so it must start in the future
}

// Check applies the rules for an event scheduled or changed at now. Its problems are keyed
// by the form's field names.
func (d EventDraft) Check(now time.Time) problem.Problems {
	var p problem.Problems
	if len(d.CohortIDs) == 0 {
		p.Add("cohorts", "Choose at least one cohort to offer it to")
	}
	p.MaxLength("title", "Title", d.Title, 200)
	p.MaxLength("description", "Description", d.Description, 5000)
	p.MaxLength("facilitator", "Facilitator", d.Facilitator, 200)
	if !d.StartsAt.IsZero() {
		if !d.EndsAt.After(d.StartsAt) {
			p.Add("end_time", "End time must be after the start time")
		}
		if d.Scheduling && !d.StartsAt.After(now) {
			p.Add("date-day", "Date must be in the future")
		}
	}
	p.MaxLength("venue", "Venue address", d.Venue, 1000)
	if d.JoiningLink != "" {
		if !webAddress(d.JoiningLink) {
			p.Add("joining_link", "Joining link must be a web address starting with https://")
		}
		p.MaxLength("joining_link", "Joining link", d.JoiningLink, 1000)
	}
	switch {
	case d.Kind.Online() && d.JoiningLink == "":
		p.Add("joining_link", "Enter the joining link for this webinar")
	case d.Kind != "" && !d.Kind.Online() && d.Venue == "" && d.JoiningLink == "":
		p.Add("venue", "Enter the venue address, or a joining link if it is held online")
	}
	if !d.BookingOpensAt.IsZero() && !d.BookingClosesAt.IsZero() && p.For("date-day") == "" && !d.BookingOpensAt.Before(d.BookingClosesAt) {
		p.Add("opens-day", "Booking must open before it closes ("+timefmt.DateTime(d.BookingClosesAt)+")")
	}
	return p
}

// webAddress reports whether s is an http or https address with a host.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
