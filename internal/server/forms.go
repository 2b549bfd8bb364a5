package server

import (
	"errors"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"npq/internal/problem"
	"npq/internal/timefmt"
	"npq/web/components"
)

// parseForm reads a posted form. A body we cannot read is a 400 (or 413 when too large), and
// so is a form with text no browser sends from our pages (see cleanText).
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return httpError{Status: http.StatusRequestEntityTooLarge}
		}
		return badRequest("The form could not be read.")
	}
	if !cleanValues(r.Form) {
		return errMalformed
	}
	return nil
}

// parseMultipartForm reads a posted form with files. Errors from reading the body are
// returned as they are, for the caller to explain; a form whose fields or file names are
// not clean text is errMalformed.
func parseMultipartForm(r *http.Request, maxMemory int64) error {
	if err := r.ParseMultipartForm(maxMemory); err != nil {
		return err
	}
	if !cleanValues(r.Form) || !cleanMultipart(r.MultipartForm) {
		return errMalformed
	}
	return nil
}

// field returns a form value with surrounding white space removed.
func field(r *http.Request, name string) string {
	return strings.TrimSpace(r.PostForm.Get(name))
}

// maxLength explains a text that is too long, or returns "".
func maxLength(what, s string, n int) string { return problem.TooLong(what, s, n) }

// addProblems puts problems onto a form's errors, in their order: the one mapping from
// problem.Problems to components.Errors.
func addProblems(errs *components.Errors, ps problem.Problems) {
	for _, p := range ps {
		errs.Add(p.Field, p.Message)
	}
}

// wholeNumber reads a whole number in [lo, hi], or explains the problem.
func wholeNumber(what, s string, lo, hi int) (int, string) {
	if s == "" {
		return 0, "Enter the " + strings.ToLower(what)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, what + " must be a whole number, like 18"
	}
	if n < lo || n > hi {
		return 0, what + " must be between " + strconv.Itoa(lo) + " and " + strconv.Itoa(hi)
	}
	return n, ""
}

// readChoice reports whether value is one of the options listed; when it is not, ps gets
// missing for no choice at all or unlisted for another value.
func readChoice(ps *problem.Problems, field, value string, opts []components.Option, missing, unlisted string) bool {
	switch {
	case value == "":
		ps.Add(field, missing)
	case !hasOption(opts, value):
		ps.Add(field, unlisted)
	default:
		return true
	}
	return false
}

func hasOption(opts []components.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

var clockPattern = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$`)

// parseClock reads a time of day such as "9:30am", "14:00" or "2pm".
func parseClock(s string) (hour, minute int, ok bool) {
	m := clockPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, 0, false
	}
	hour, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		minute, _ = strconv.Atoi(m[2])
	}
	switch m[3] {
	case "am":
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		if hour == 12 {
			hour = 0
		}
	case "pm":
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		if hour != 12 {
			hour += 12
		}
	}
	return hour, minute, hour <= 23 && minute <= 59
}

// readClock reads a time of day from a field, called what; a problem with it goes into ps,
// with an example of a time that reads.
func readClock(ps *problem.Problems, field, what, s, example string) (hour, minute int, ok bool) {
	if s == "" {
		ps.Add(field, "Enter the "+strings.ToLower(what))
		return 0, 0, false
	}
	hour, minute, ok = parseClock(s)
	if !ok {
		ps.Add(field, what+" must be a time, like "+example)
	}
	return hour, minute, ok
}

// readDate reads a date, called what, from a date input; a problem with it goes into ps
// against field, and the date is then zero.
func readDate(ps *problem.Problems, field, what string, d components.DateValue) time.Time {
	t, p := d.Parse(what)
	ps.Add(field, p)
	if p != "" {
		return time.Time{}
	}
	return t
}

// readDay reads a date as readDate does, as the start of that day in London.
func readDay(ps *problem.Problems, field, what string, d components.DateValue) time.Time {
	t := readDate(ps, field, what, d)
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, timefmt.London)
}

// readHours reads a number of hours such as 1.5, called what, from 0 to most, as minutes; a
// problem with it goes into ps and the minutes are then 0.
func readHours(ps *problem.Problems, field, what, s string, most int) int {
	if s == "" {
		ps.Add(field, "Enter the "+strings.ToLower(what))
		return 0
	}
	h, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(h):
		ps.Add(field, what+" must be a number, like 1.5")
	case h < 0 || h > float64(most):
		ps.Add(field, what+" must be between 0 and "+strconv.Itoa(most))
	default:
		return int(math.Round(h * 60))
	}
	return 0
}

// chosen reads the values ticked in a list of checkboxes, each once, with the set of them
// kept to show the form again.
func chosen(values []string) (map[string]bool, []string) {
	set := map[string]bool{}
	var out []string
	for _, v := range values {
		if !set[v] {
			set[v] = true
			out = append(out, v)
		}
	}
	return set, out
}

// chosenIDs reads the ids ticked in a list of checkboxes, each once, with the set of values
// kept to show the form again; values that are not ids are left out.
func chosenIDs(values []string) (map[string]bool, []int64) {
	chosen := map[string]bool{}
	var ids []int64
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || chosen[v] {
			continue
		}
		chosen[v] = true
		ids = append(ids, id)
	}
	return chosen, ids
}

// parsePounds reads an amount like "450", "450.5" or "£450.00" into pence.
func parsePounds(s string) (int, bool) {
	s = strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "£")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || w > 100000 {
		return 0, false
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi((frac + "0")[:2]); err != nil {
			return 0, false
		}
	}
	return w*100 + f, true
}
