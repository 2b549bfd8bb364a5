// Package personaldata answers people's requests about the personal data the platform holds:
// it logs each request with the date it must be answered by, and gathers everything held
// about one person into a single download.
package personaldata

import "time"

// DueOn is the date a request received on a day must be answered by: one calendar month
// later, or the last day of that month when it has no such day (received 31 January, due
// 28 or 29 February), as the ICO counts it.
func DueOn(received time.Time) time.Time {
	y, m, d := received.Date()
	first := time.Date(y, m+1, 1, 0, 0, 0, 0, received.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, received.Location())
}
