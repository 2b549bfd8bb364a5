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

// DateTime formats t for people, in UK time, e.g. "3 March 2027 at 2:30pm".
func DateTime(t time.Time) string {
	return t.In(London).Format("2 January 2006 at 3:04pm")
}

// Date formats t as a date in UK time, e.g. "3 March 2027".
func Date(t time.Time) string {
	return t.In(London).Format("2 January 2006")
}
