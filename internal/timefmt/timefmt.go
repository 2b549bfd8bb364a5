// Package timefmt holds the time zone every time is shown in and the ways dates and times are
// written, for domain messages and views alike.
package timefmt

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/London must work on machines without a zone database
)

// London is the time zone every date and time is shown in.
var London = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return l
}()

// Date formats t as a date in UK time, e.g. "3 March 2027".
func Date(t time.Time) string {
	return t.In(London).Format("2 January 2006")
}

// DateTime formats t for people, in UK time, e.g. "3 March 2027 at 2:30pm" or "3 March 2027 at 4pm".
func DateTime(t time.Time) string {
	return t.In(London).Format("2 January 2006 at ") + Clock(t)
}

// DayDate formats t as a date with its weekday in UK time, e.g. "Wednesday 3 March 2027".
func DayDate(t time.Time) string {
	return t.In(London).Format("Monday 2 January 2006")
}

// DayDateTime formats t with its weekday in UK time, e.g. "Wednesday 3 March 2027 at 4pm".
func DayDateTime(t time.Time) string {
	return t.In(London).Format("Monday 2 January 2006 at ") + Clock(t)
}

// Clock formats the time of day in UK time, written one way everywhere, as GOV.UK style has
// it: minutes are left out on the hour ("3pm", "9:30am"), and 12 o'clock is "midday" or
// "midnight".
func Clock(t time.Time) string {
	t = t.In(London)
	switch {
	case t.Minute() == 0 && t.Hour() == 0:
		return "midnight"
	case t.Minute() == 0 && t.Hour() == 12:
		return "midday"
	case t.Minute() == 0:
		return t.Format("3pm")
	}
	return t.Format("3:04pm")
}

// Clock24 formats the time of day in UK time on the 24-hour clock, as time inputs take it: "14:30".
func Clock24(t time.Time) string {
	return t.In(London).Format("15:04")
}

// ISODate formats t as a date in UK time for files and machines, e.g. "2027-03-03".
func ISODate(t time.Time) string {
	return t.In(London).Format("2006-01-02")
}

// ISODateTime formats t in UK time for files and spreadsheets, e.g. "2027-03-03 14:30".
func ISODateTime(t time.Time) string {
	return t.In(London).Format("2006-01-02 15:04")
}

// SameDay reports whether a and b fall on the same date in UK time.
func SameDay(a, b time.Time) bool {
	ay, am, ad := a.In(London).Date()
	by, bm, bd := b.In(London).Date()
	return ay == by && am == bm && ad == bd
}

// Since says how long before now t was, for recent activity: "just now", "12 minutes ago",
// or the date and time once it is an hour or more.
func Since(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 2*time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	}
	return DateTime(t)
}
