package server

import (
	"errors"
	"net/http"
	"strings"
)

// parseForm reads a posted form. A body we cannot read is a 400 (or 413 when too large).
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return httpError{Status: http.StatusRequestEntityTooLarge}
		}
		return badRequest("The form could not be read.")
	}
	return nil
}

// field returns a form value with surrounding white space removed.
func field(r *http.Request, name string) string {
	return strings.TrimSpace(r.PostForm.Get(name))
}
