package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"npq/internal/problem"
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

func hasOption(opts []components.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}
