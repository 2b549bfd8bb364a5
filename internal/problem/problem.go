// Package problem is the one error for refusals people can act on: a message worded for the
// person who sees it, about the request as a whole or about one form field. Stores return a
// Problem (wrapped with %w like any other error) when they refuse a change; pure Check
// functions in the domains return Problems keyed by the form's field names. The server maps
// both onto pages in one place.
package problem

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Problem is a refusal worded for the person who sees it.
type Problem struct {
	Field   string // the form field it is about, or "" for the request as a whole
	Message string
}

// New is a problem with the request as a whole.
func New(message string) Problem { return Problem{Message: message} }

// Newf is a problem with the request as a whole, its message formatted as by fmt.Sprintf.
func Newf(format string, args ...any) Problem { return New(fmt.Sprintf(format, args...)) }

// Error returns the message.
func (p Problem) Error() string { return p.Message }

// As finds the Problem in err's chain.
func As(err error) (Problem, bool) {
	var p Problem
	ok := errors.As(err, &p)
	return p, ok
}

// TooLong explains that a text, called what, has more than n characters, or returns "".
func TooLong(what, s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return what + " must be " + strconv.Itoa(n) + " characters or fewer"
	}
	return ""
}

// Problems are the problems found checking a form: at most one per field, in the order found.
type Problems []Problem

// Add records msg against field, unless msg is empty or the field already has a problem.
func (ps *Problems) Add(field, msg string) {
	if msg == "" || ps.For(field) != "" {
		return
	}
	*ps = append(*ps, Problem{Field: field, Message: msg})
}

// Required records msg against field when value is empty.
func (ps *Problems) Required(field, value, msg string) {
	if value == "" {
		ps.Add(field, msg)
	}
}

// MaxLength records that value, called what, is too long when it has more than n characters.
func (ps *Problems) MaxLength(field, what, value string, n int) {
	ps.Add(field, TooLong(what, value, n))
}

// Merge adds more problems after these, keeping the first problem of each field.
func (ps *Problems) Merge(more Problems) {
	for _, p := range more {
		ps.Add(p.Field, p.Message)
	}
}

// For returns the message recorded against field, or "".
func (ps Problems) For(field string) string {
	for _, p := range ps {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

// Sorted returns the problems in the order fields lists their fields, then any others in the
// order they were found.
func (ps Problems) Sorted(fields ...string) Problems {
	rank := func(field string) int {
		if i := slices.Index(fields, field); i >= 0 {
			return i
		}
		return len(fields)
	}
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b Problem) int { return rank(a.Field) - rank(b.Field) })
	return out
}
