package events

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"npq/internal/timefmt"
)

// CalendarEntry is one booking as a calendar shows it.
type CalendarEntry struct {
	BookingID     int64
	Event         Event
	Status        BookingStatus
	Sequence      int // the booking's own changes; the event's are added
	UpdatedAt     time.Time
	ShowJoinLink  bool
	EventsPageURL string
}

// UID is a booking's stable calendar identifier: the same entry, however often it changes.
func UID(bookingID int64) string {
	return "booking-" + strconv.FormatInt(bookingID, 10) + "@npq-platform"
}

const tzid = "Europe/London"

// addLondonTimezone describes Europe/London (GMT, and BST from the last Sunday of March to the
// last Sunday of October) so calendar apps show the right local times.
func addLondonTimezone(cal *ics.Calendar) {
	tz := cal.AddTimezone(tzid)
	tz.SetProperty(ics.ComponentProperty("X-LIC-LOCATION"), tzid)
	daylight := &ics.Daylight{ComponentBase: ics.ComponentBase{}}
	daylight.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), "+0000")
	daylight.SetProperty(ics.ComponentProperty("TZOFFSETTO"), "+0100")
	daylight.SetProperty(ics.ComponentProperty("TZNAME"), "BST")
	daylight.SetProperty(ics.ComponentPropertyDtStart, "19700329T010000")
	daylight.SetProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	standard := &ics.Standard{ComponentBase: ics.ComponentBase{}}
	standard.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), "+0100")
	standard.SetProperty(ics.ComponentProperty("TZOFFSETTO"), "+0000")
	standard.SetProperty(ics.ComponentProperty("TZNAME"), "GMT")
	standard.SetProperty(ics.ComponentPropertyDtStart, "19701025T020000")
	standard.SetProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append(tz.Components, daylight, standard)
}

func localStamp(t time.Time) string { return t.In(timefmt.London).Format("20060102T150405") }

// Calendar builds an iCalendar document of bookings: booked ones confirmed, waiting-list
// places tentative, cancelled ones marked cancelled, each under its booking's stable UID.
func Calendar(name string, entries []CalendarEntry, method ics.Method, now time.Time) string {
	cal := ics.NewCalendarFor("NPQ platform")
	cal.SetMethod(method)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(tzid)
	cal.SetRefreshInterval("PT1H")
	addLondonTimezone(cal)
	for _, en := range entries {
		e := en.Event
		ev := cal.AddEvent(UID(en.BookingID))
		ev.SetDtStampTime(now)
		ev.SetModifiedAt(en.UpdatedAt)
		ev.SetSequence(e.Sequence + en.Sequence)
		ev.SetProperty(ics.ComponentPropertyDtStart, localStamp(e.StartsAt), ics.WithTZID(tzid))
		ev.SetProperty(ics.ComponentPropertyDtEnd, localStamp(e.EndsAt), ics.WithTZID(tzid))
		summary := e.Title
		description := e.Description
		switch {
		case en.Status == StatusCancelled || e.Cancelled():
			ev.SetStatus(ics.ObjectStatusCancelled)
			summary = "Cancelled: " + summary
			if e.CancelledReason != "" {
				description = "Cancelled: " + e.CancelledReason
			}
		case en.Status == StatusWaiting:
			ev.SetStatus(ics.ObjectStatusTentative)
			summary = "Waiting list: " + summary
		default:
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
		ev.SetSummary(calendarText(summary, false))
		if e.Kind.Online() {
			ev.SetLocation("Online")
			if en.ShowJoinLink && en.Status == StatusBooked && e.JoiningLink != "" {
				ev.SetURL(e.JoiningLink)
				description += "\n\nJoin: " + e.JoiningLink
			}
		} else if e.Venue != "" {
			ev.SetLocation(calendarText(e.Venue, false))
		}
		if en.EventsPageURL != "" {
			description += "\n\nManage your booking: " + en.EventsPageURL
		}
		ev.SetDescription(calendarText(description, true))
	}
	// RFC 5545 ends every content line with CRLF.
	return cal.Serialize(ics.WithNewLineWindows)
}

// calendarText makes a value safe for an iCalendar TEXT property. A carriage return or other
// control character would end the content line or break it, so line breaks become one
// newline (escaped as \n when serialised) where a value may have several lines, or a space
// where it may not, and other control characters are dropped.
func calendarText(s string, multiline bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if !multiline {
		s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}
