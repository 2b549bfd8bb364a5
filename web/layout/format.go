package layout

import (
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

// DateTime formats t for people, in UK time, e.g. "3 March 2027 at 2:30pm" or "3 March 2027 at 4pm".
func DateTime(t time.Time) string {
	return t.In(London).Format("2 January 2006 at ") + Clock(t)
}

// DayDateTime formats t with its weekday in UK time, e.g. "Wednesday 3 March 2027 at 4pm".
func DayDateTime(t time.Time) string {
	return t.In(London).Format("Monday 2 January 2006 at ") + Clock(t)
}

// Clock is the time of day in UK time, written one way everywhere, as GOV.UK style has it:
// minutes are left out on the hour ("4pm", "9:30am"), and 12 o'clock is "midday" or "midnight".
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

// Date formats t as a date in UK time, e.g. "3 March 2027".
func Date(t time.Time) string {
	return t.In(London).Format("2 January 2006")
}
