package server

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// uploadAllowance is the extra time a file upload gets, as its body is read within the
// request (the HTTP server allows a minute to read it).
const uploadAllowance = time.Minute

// requestTimeout gives each request a deadline, so a database that has stopped answering
// makes pages fail fast with the 503 page instead of hanging: queries and lock waits are
// cancelled when the deadline passes.
func (s *Server) requestTimeout(next http.Handler) http.Handler {
	if s.cfg.RequestTimeout <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := s.cfg.RequestTimeout
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			d += uploadAllowance
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
