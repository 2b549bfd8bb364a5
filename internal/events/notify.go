package events

import (
	"context"
	"fmt"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/jackc/pgx/v5"

	"npq/internal/notify"
	"npq/internal/wording"
)

// recipient is who a booking belongs to.
type recipient struct {
	bookingID, enrolmentID int64
	name, email            string
	status                 BookingStatus
	sequence               int
	updatedAt              time.Time
}

func bookingRecipient(ctx context.Context, tx pgx.Tx, bookingID int64) (recipient, error) {
	var r recipient
	err := tx.QueryRow(ctx, `SELECT b.id, b.enrolment_id, u.name, u.email, b.status, b.sequence, b.updated_at
		FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN users u ON u.id = n.user_id WHERE b.id = $1`, bookingID).
		Scan(&r.bookingID, &r.enrolmentID, &r.name, &r.email, &r.status, &r.sequence, &r.updatedAt)
	return r, err
}

func (s Store) eventURL(e Event) string { return s.BaseURL + "/events/" + strconv.FormatInt(e.ID, 10) }

// message is what a message about e says to r; only people with a place see the joining link.
func (s Store) message(e Event, r recipient) wording.Event {
	m := wording.Event{Name: r.name, Title: e.Title, Timing: e.Timing(), Online: e.Kind.Online(), Venue: e.Venue,
		CancelBy: e.CancellationCutoff, EventURL: s.eventURL(e), BaseURL: s.BaseURL}
	if r.status == StatusBooked {
		m.JoiningLink = e.JoiningLink
	}
	return m
}

// bookingMessages word what happened to a booking, by what notifyBooking is told.
var bookingMessages = map[string]func(wording.Event) (wording.Text, error){
	"booked":       wording.BookingConfirmedEmail,
	"promoted":     wording.BookingPromotedEmail,
	"waiting":      wording.BookingWaitingEmail,
	"cancelled":    wording.BookingCancelledEmail,
	"changed-away": wording.BookingMovedEmail,
	"reminder-7d":  wording.ReminderWeekEmail,
	"reminder-1d":  wording.ReminderDayEmail,
}

// notifyBooking tells a participant what happened to their booking, with the calendar entry.
func (s Store) notifyBooking(ctx context.Context, tx pgx.Tx, bookingID int64, e Event, what string) error {
	r, err := bookingRecipient(ctx, tx, bookingID)
	if err != nil {
		return err
	}
	words, ok := bookingMessages[what]
	if !ok {
		return fmt.Errorf("events: no message for a booking %s", what)
	}
	method := ics.MethodPublish
	if what == "cancelled" || what == "changed-away" {
		method = ics.MethodCancel
	}
	text, err := words(s.message(e, r))
	if err != nil {
		return err
	}
	msg := notify.Message{ToAddress: r.email, ToName: r.name, Subject: text.Subject, Body: text.Body, PartnerID: e.PartnerID}
	msg.AttachmentName, msg.AttachmentType = "invite.ics", "text/calendar; charset=utf-8; method="+string(method)
	msg.Attachment = Calendar(e.Title, []CalendarEntry{{BookingID: r.bookingID, Event: e, Status: r.status, Sequence: r.sequence,
		UpdatedAt: r.updatedAt, ShowJoinLink: true, EventsPageURL: s.eventURL(e)}}, method, time.Now())
	return notify.Enqueue(ctx, tx, msg)
}

// notifyEveryone tells everyone booked or waiting that an event changed or was cancelled.
func (s Store) notifyEveryone(ctx context.Context, tx pgx.Tx, e Event, what, reason string) error {
	rows, err := tx.Query(ctx, `SELECT id FROM bookings WHERE event_id = $1 AND status IN ('booked', 'waiting')`, e.ID)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		r, err := bookingRecipient(ctx, tx, id)
		if err != nil {
			return err
		}
		status := r.status
		method := ics.MethodPublish
		m := s.message(e, r)
		words := wording.EventChangedEmail
		if what == "cancelled" {
			status, method = StatusCancelled, ics.MethodCancel
			m.Reason, words = reason, wording.EventCancelledEmail
		}
		text, err := words(m)
		if err != nil {
			return err
		}
		msg := notify.Message{ToAddress: r.email, ToName: r.name, Subject: text.Subject, Body: text.Body, PartnerID: e.PartnerID}
		msg.AttachmentName, msg.AttachmentType = "invite.ics", "text/calendar; charset=utf-8; method="+string(method)
		msg.Attachment = Calendar(e.Title, []CalendarEntry{{BookingID: id, Event: e, Status: status, Sequence: r.sequence + 1,
			UpdatedAt: time.Now(), ShowJoinLink: true, EventsPageURL: s.eventURL(e)}}, method, time.Now())
		if err := notify.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
	}
	return nil
}
