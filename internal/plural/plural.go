// Package plural writes counts of things in plain English: "1 outcome", "2 outcomes",
// "1 person", "1,200 people". Domains, handlers and views all use it, so no page says
// "1 outcomes" or "outcome(s)".
package plural

import "strconv"

// Count is n followed by the singular or plural form of a noun, with thousands separated
// by commas: Count(1, "person", "people") is "1 person".
func Count(n int, singular, plural string) string {
	return Number(n) + " " + Noun(n, singular, plural)
}

// Noun is the singular form when n is 1 (or -1) and the plural form otherwise, as in
// "0 outcomes".
func Noun(n int, singular, plural string) string {
	if n == 1 || n == -1 {
		return singular
	}
	return plural
}

// Number writes n with commas between thousands: 12345 is "12,345".
func Number(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
