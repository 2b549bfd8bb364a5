package events

import (
	"context"
	"fmt"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/jackc/pgx/v5"

	"npq/internal/notify"
	"npq/web/layout"
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

// details is the block of text every event message carries.
func (s Store) details(e Event, withLink bool) string {
	where := e.Venue
	if e.Kind.Online() {
		where = "Online"
		if withLink && e.JoiningLink != "" {
			where += " – join at " + e.JoiningLink
		}
	}
	return fmt.Sprintf("%s\nWhen: %s\nWhere: %s\nCancel or change by: %s\n\nSee or change your booking: %s\n",
		e.Title, e.Timing(), where, layout.DayDateTime(e.CancellationCutoff), s.eventURL(e))
}

// notifyBooking tells a participant what happened to their booking, with the calendar entry.
func (s Store) notifyBooking(ctx context.Context, tx pgx.Tx, bookingID int64, e Event, what string) error {
	r, err := bookingRecipient(ctx, tx, bookingID)
	if err != nil {
		return err
	}
	var subject, intro string
	method := ics.MethodPublish
	switch what {
	case "booked":
		subject, intro = "Booking confirmed: "+e.Title, "Your place is booked."
	case "promoted":
		subject, intro = "A place came up: you are booked on "+e.Title, "A place became free and you were first on the waiting list, so you are now booked."
	case "waiting":
		subject, intro = "You are on the waiting list for "+e.Title, "This session is full, so you are on its waiting list. If a place comes up you will be booked automatically (unless it clashes with another booking) and we will email you."
	case "cancelled":
		subject, intro, method = "Booking cancelled: "+e.Title, "You cancelled your place.", ics.MethodCancel
	case "changed-away":
		subject, intro, method = "Booking moved from "+e.Timing(), "You changed to another date, so this booking is cancelled.", ics.MethodCancel
	case "reminder-7d":
		subject, intro = "In a week: "+e.Title, "A reminder that you are booked on this session next week."
	case "reminder-1d":
		subject, intro = "Tomorrow: "+e.Title, "A reminder that you are booked on this session tomorrow."
	}
	msg := notify.Message{ToAddress: r.email, ToName: r.name, Subject: subject,
		Body: fmt.Sprintf("Dear %s,\n\n%s\n\n%s", r.name, intro, s.details(e, r.status == StatusBooked))}
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
		msg := notify.Message{ToAddress: r.email, ToName: r.name}
		method := ics.MethodPublish
		if what == "cancelled" {
			status, method = StatusCancelled, ics.MethodCancel
			msg.Subject = "Cancelled: " + e.Title
			msg.Body = fmt.Sprintf("Dear %s,\n\nSorry: %s on %s has been cancelled.\nReason: %s\n\nYour booking is cancelled. Book another date on the Events page: %s/events\n",
				r.name, e.Title, e.Timing(), reason, s.BaseURL)
		} else {
			msg.Subject = "Changed: " + e.Title
			msg.Body = fmt.Sprintf("Dear %s,\n\nThe details of a session you are booked on (or waiting for) have changed. Here are the new details.\n\n%s",
				r.name, s.details(e, r.status == StatusBooked))
		}
		msg.AttachmentName, msg.AttachmentType = "invite.ics", "text/calendar; charset=utf-8; method="+string(method)
		msg.Attachment = Calendar(e.Title, []CalendarEntry{{BookingID: id, Event: e, Status: status, Sequence: r.sequence + 1,
			UpdatedAt: time.Now(), ShowJoinLink: true, EventsPageURL: s.eventURL(e)}}, method, time.Now())
		if err := notify.Enqueue(ctx, tx, msg); err != nil {
			return err
		}
	}
	return nil
}
