package events

import "time"

// SessionState is where a participant stands with one session activity (a face-to-face
// session or webinar), across all its dates.
type SessionState string

// The states of a session activity, from the most hopeful.
const (
	SessionBooked       SessionState = "booked"        // booked on a date still to come
	SessionBookable     SessionState = "bookable"      // a date is open to book now
	SessionWaiting      SessionState = "waiting"       // on a waiting list, nothing open to book
	SessionCatchUp      SessionState = "catch-up"      // missed or passed, with a recording or task to catch up with
	SessionMissed       SessionState = "missed"        // booked on a date that has passed
	SessionNotOpenYet   SessionState = "not-open-yet"  // dates to come whose booking has not opened
	SessionPassed       SessionState = "passed"        // every date has passed or closed unbooked
	SessionNotScheduled SessionState = "not-scheduled" // no dates at all
)

// Doable reports whether the participant can do something about the session now: book it,
// or catch up on a date they missed.
func (s SessionState) Doable() bool { return s == SessionBookable || s == SessionCatchUp }

// Stuck reports whether the session needs something other than booking: every date has
// passed unbooked, was missed, or none was ever scheduled.
func (s SessionState) Stuck() bool {
	return s == SessionPassed || s == SessionMissed || s == SessionNotScheduled || s == ""
}

// Sessions works out the state of each session activity offered to a participant from all
// its dates (past ones too), keyed by item. Items with no dates are not in the map.
func Sessions(offers []Offer, now time.Time) map[int64]SessionState {
	rank := map[SessionState]int{SessionBooked: 0, SessionBookable: 1, SessionWaiting: 2, SessionCatchUp: 3, SessionMissed: 4, SessionNotOpenYet: 5, SessionPassed: 6}
	out := map[int64]SessionState{}
	for _, o := range offers {
		st := sessionState(o, now)
		if cur, ok := out[o.ItemID]; !ok || rank[st] < rank[cur] {
			out[o.ItemID] = st
		}
	}
	return out
}

func sessionState(o Offer, now time.Time) SessionState {
	st := dateState(o, now)
	if (st == SessionMissed || st == SessionPassed) && o.CatchUp.Offered() && !o.Cancelled() && !now.Before(o.StartsAt) {
		return SessionCatchUp
	}
	return st
}

// dateState is where a participant stands with one date of a session.
func dateState(o Offer, now time.Time) SessionState {
	switch {
	case o.Cancelled():
		return SessionPassed
	case o.BookingStatus == StatusBooked && now.Before(o.StartsAt):
		return SessionBooked
	case o.BookingStatus == StatusBooked:
		return SessionMissed
	case o.BookingStatus == StatusWaiting && now.Before(o.StartsAt):
		return SessionWaiting
	case BookingProblem(o.Event, now) == "":
		return SessionBookable
	case now.Before(o.StartsAt) && now.Before(o.BookingOpensAt):
		return SessionNotOpenYet
	}
	return SessionPassed
}

// CatchUps finds, for each session activity, the date whose catch-up a participant would use:
// the latest date that has started, was not cancelled, and has a recording or task.
func CatchUps(offers []Offer, now time.Time) map[int64]Offer {
	out := map[int64]Offer{}
	for _, o := range offers {
		if !o.CatchUp.Offered() || o.Cancelled() || now.Before(o.StartsAt) {
			continue
		}
		if cur, ok := out[o.ItemID]; !ok || o.StartsAt.After(cur.StartsAt) {
			out[o.ItemID] = o
		}
	}
	return out
}
