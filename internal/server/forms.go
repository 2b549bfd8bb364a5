package server

import (
	"errors"
	"net/http"
	"strings"
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
