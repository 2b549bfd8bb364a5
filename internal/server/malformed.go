package server

import (
	"mime/multipart"
	"net/http"
	"net/url"
	"unicode/utf8"
)

// errMalformed answers a request carrying text that no page of ours sends and that
// PostgreSQL would refuse to store or compare (a NUL byte, invalid UTF-8).
var errMalformed = httpError{Status: http.StatusBadRequest,
	Message: "The request contained characters that cannot be read, such as invisible control characters. Go back, remove them and try again."}

// rejectMalformed refuses a request whose path or query string holds invalid UTF-8 or
// control characters, before any handler or query sees it.
func (s *Server) rejectMalformed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A query pair that does not even unescape is dropped by the parser; the rest are checked.
		query, _ := url.ParseQuery(r.URL.RawQuery)
		if !cleanPath(r.URL.Path) || !cleanValues(query) {
			s.renderError(w, r, errMalformed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cleanPath reports whether a decoded URL path is valid UTF-8 without control characters.
func cleanPath(p string) bool {
	if !utf8.ValidString(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f {
			return false
		}
	}
	return true
}

// cleanText reports whether s is valid UTF-8 whose only control characters are white
// space (tab, line and page breaks), as typed or pasted into a text box: a line break made
// in a word processor can arrive as a vertical tab, and refusing it would lose a draft.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && (c < '\t' || c > '\r')) || c == 0x7f {
			return false
		}
	}
	return true
}

// cleanValues reports whether every key and value of a form or query is clean text.
func cleanValues(v url.Values) bool {
	for k, vs := range v {
		if !cleanText(k) {
			return false
		}
		for _, s := range vs {
			if !cleanText(s) {
				return false
			}
		}
	}
	return true
}

// cleanMultipart reports whether every field, file field name and file name of a
// multipart form is clean text.
func cleanMultipart(f *multipart.Form) bool {
	if f == nil {
		return true
	}
	if !cleanValues(f.Value) {
		return false
	}
	for k, files := range f.File {
		if !cleanText(k) {
			return false
		}
		for _, fh := range files {
			if !cleanText(fh.Filename) {
				return false
			}
		}
	}
	return true
}
