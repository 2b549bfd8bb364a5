package server

import (
	"net/http"

	"npq/internal/events"
	"npq/web/pages/participant"

	"github.com/go-chi/chi/v5"
)

func (s *Server) feedURL(token string) string { return s.cfg.BaseURL + "/calendar/" + token + ".ics" }

// calendarFeed serves a participant's private iCalendar feed; the token is the only key.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	if len(token) < 20 || len(token) > 64 {
		return errNotFound
	}
	body, err := s.events.Feed(r.Context(), token, s.now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, err = w.Write([]byte(body))
	return err
}

// calendarReset makes the participant a new calendar address (retiring any old one) and shows
// it this once: only its hash is kept, and the page is not cached.
func (s *Server) calendarReset(w http.ResponseWriter, r *http.Request) error {
	token, err := s.events.NewFeedToken(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	feed := s.feedURL(token)
	return s.ok(w, r, participant.CalendarLink(feed, events.Subscribe(feed)))
}
