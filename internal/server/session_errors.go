package server

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
)

type sessionProgressKey struct{}

// sessionProgress records whether a request's session was loaded, which tells a session
// error at the start of a request (nothing answered yet) from one at the end (an answer
// is already being written).
type sessionProgress struct{ loaded bool }

// loadAndSaveSession is the session middleware with its errors turned into the app's
// pages: a session that cannot be loaded (the database is down) gets the 503 page.
func (s *Server) loadAndSaveSession(next http.Handler) http.Handler {
	h := s.sessions.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(sessionProgressKey{}).(*sessionProgress); ok {
			p.loaded = true
		}
		next.ServeHTTP(w, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), sessionProgressKey{}, &sessionProgress{})
		ctx = context.WithValue(ctx, sessionLoadKey{}, &sessionLoad{ip: clientIP(r), now: s.now()})
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// sessionError is the session manager's ErrorFunc. A session that could not be loaded gets
// the error page; one that could not be saved as the answer went out is only logged, as the
// answer (often already an error page) is on its way and a second page would garble it.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	if p, ok := r.Context().Value(sessionProgressKey{}).(*sessionProgress); ok && p.loaded {
		s.log.Warn("session not saved", "err", err, "request_id", middleware.GetReqID(r.Context()))
		return
	}
	s.renderError(w, r, err)
}
