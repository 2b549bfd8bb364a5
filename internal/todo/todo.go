// Package todo works out what staff need to do: the to-do lists that open the partner and
// admin pages, each item with a count, its age and the rows behind it.
package todo

import (
	"math"
	"strconv"
	"time"

	"npq/internal/assessment"
	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/programme"
)

// Kind names one line of a to-do list; it is also the last part of the address of the list
// that shows its rows (/partner/todo/registers).
type Kind string

// The kinds of work, in the order the list shows them.
const (
	Registers   Kind = "registers"   // registers not taken for past events
	Unbooked    Kind = "unbooked"    // people not booked on required sessions that are filling or closing
	Inactive    Kind = "inactive"    // participants inactive past the threshold, once started
	Requests    Kind = "requests"    // deferral and withdrawal requests waiting for a decision
	Returns     Kind = "returns"     // returns from deferral due and unanswered
	Unallocated Kind = "unallocated" // submissions waiting for a marker
	Overdue     Kind = "overdue"     // marking past its due date
	Release     Kind = "release"     // outcomes ready to release
	FailedMail  Kind = "failed-mail" // emails that could not be sent
)

// PartnerKinds are the lines partner staff see: the work they do for their own partner.
var PartnerKinds = []Kind{Registers, Unbooked, Inactive}

// AdminKinds are the lines admins see, for every partner.
var AdminKinds = []Kind{Requests, Returns, Unallocated, Overdue, Release, FailedMail, Registers, Unbooked, Inactive}

// KindsFor returns the kinds one audience sees.
func KindsFor(admin bool) []Kind {
	if admin {
		return AdminKinds
	}
	return PartnerKinds
}

// Allowed reports whether an audience has the list of kind k.
func Allowed(k Kind, admin bool) bool {
	for _, x := range KindsFor(admin) {
		if x == k {
			return true
		}
	}
	return false
}

// Item is one line of a to-do list: how many rows need doing and the date that says how old
// (or, for sessions and returns, how close) the most pressing one is.
type Item struct {
	Kind  Kind
	Count int
	// At is the most pressing row's date: when the oldest became due (ended, asked,
	// submitted, failed), the earliest closing date of a session, the earliest return date.
	At time.Time
}

// Items puts the found counts into the audience's order and leaves out kinds with nothing to do.
func Items(found map[Kind]Item, admin bool) []Item {
	var out []Item
	for _, k := range KindsFor(admin) {
		if it, ok := found[k]; ok && it.Count > 0 {
			it.Kind = k
			out = append(out, it)
		}
	}
	return out
}

var nouns = map[Kind][2]string{
	Registers:   {"register not taken for a past event", "registers not taken for past events"},
	Unbooked:    {"booking missing on a required session that is filling up or closing", "bookings missing on required sessions that are filling up or closing"},
	Inactive:    {"participant not active for " + strconv.Itoa(programme.InactiveDays) + " days or more", "participants not active for " + strconv.Itoa(programme.InactiveDays) + " days or more"},
	Requests:    {"deferral or withdrawal request to decide", "deferral and withdrawal requests to decide"},
	Returns:     {"return from deferral due and unanswered", "returns from deferral due and unanswered"},
	Unallocated: {"submission without a marker", "submissions without a marker"},
	Overdue:     {"marking allocation overdue", "marking allocations overdue"},
	Release:     {"outcome ready to release", "outcomes ready to release"},
	FailedMail:  {"email that failed to send", "emails that failed to send"},
}

// Label says what an item is, with its count: "3 registers not taken for past events".
func (it Item) Label() string { return Count(it.Count, it.Kind) }

// Count writes n rows of kind k in words.
func Count(n int, k Kind) string {
	w := nouns[k]
	if n == 1 {
		return "1 " + w[0]
	}
	return strconv.Itoa(n) + " " + w[1]
}

// Title is the heading of the list of one kind.
func Title(k Kind) string {
	return map[Kind]string{
		Registers:   "Registers not taken",
		Unbooked:    "Not booked on required sessions",
		Inactive:    "Participants not active",
		Requests:    "Requests to decide",
		Returns:     "Returns due and unanswered",
		Unallocated: "Submissions without a marker",
		Overdue:     "Marking overdue",
		Release:     "Outcomes ready to release",
		FailedMail:  "Emails that failed to send",
	}[k]
}

// Age says in plain words how old or how close an item is on now: "oldest 9 days",
// "booking closes in 3 days", "oldest 2 days overdue".
func (it Item) Age(now time.Time) string { return Age(it.Kind, it.At, now, "oldest ") }

// Age says how old (or close) one row of kind k with date at is on now; prefix is put before
// ages ("oldest " for a whole item, "" for one row).
func Age(k Kind, at, now time.Time, prefix string) string {
	days := Days(at, now)
	switch k {
	case Unbooked:
		if days >= 0 {
			return "booking closes today"
		}
		return "booking closes in " + plural(-days, "day")
	case Returns:
		if days < 0 {
			return "return due in " + plural(-days, "day")
		}
		if days == 0 {
			return "return due today"
		}
		return prefix + plural(days, "day") + " past the return date"
	case Overdue:
		if days <= 0 {
			return "due today"
		}
		return prefix + plural(days, "day") + " overdue"
	}
	if days <= 0 {
		return prefix + "today"
	}
	return prefix + plural(days, "day")
}

// Days is the number of calendar days in London from at to now: 0 on the same day, negative
// when at is later.
func Days(at, now time.Time) int {
	return int(math.Round(programme.Today(now).Sub(programme.Today(at)).Hours() / 24))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Explain says which rows a list of kind k shows, and why they need doing.
func Explain(k Kind) string {
	return map[Kind]string{
		Registers:   "Events that have ended with at least one booked place whose attendance is not recorded. Recording attendance completes the session for those who came.",
		Unbooked:    "Active participants who have not booked a required session whose dates are at least " + strconv.Itoa(events.Filling) + "% full or whose booking closes within 7 days.",
		Inactive:    "Active participants who have done nothing for more than " + strconv.Itoa(programme.InactiveDays) + " days, counted only once they could have started that long ago: their own start, the cohort's start and the first block's opening all passed.",
		Requests:    "Deferral and withdrawal requests waiting for a decision, oldest first.",
		Returns:     "Deferred participants due back within " + strconv.Itoa(lifecycle.ReturnWindow) + " months (or overdue) who have not said whether they will return.",
		Unallocated: "Submissions waiting for a first marker, and sampled submissions waiting for a second marker.",
		Overdue:     "Marking not finished " + strconv.Itoa(assessment.MarkingWorkingDays) + " working days after it was allocated.",
		Release:     "Submissions whose marking is finished and whose outcome can be released to the participant.",
		FailedMail:  "Emails that could not be sent. They are tried again later, with a growing wait.",
	}[k]
}

// AtHeading is the heading of the date column of a list of kind k.
func AtHeading(k Kind) string {
	return map[Kind]string{
		Registers: "Ended", Unbooked: "Booking closes", Inactive: "Idle since", Requests: "Received", Returns: "Return date",
		Unallocated: "Submitted", Overdue: "Due", Release: "Marked", FailedMail: "Queued",
	}[k]
}
