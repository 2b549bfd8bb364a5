package server

import (
	"net/http"
	"unicode/utf8"

	"npq/web/pages/admin"
)

func (s *Server) adminParticipants(w http.ResponseWriter, r *http.Request) error {
	v := admin.ParticipantsView{}
	q := r.URL.Query().Get("q")
	switch {
	case !r.URL.Query().Has("q"):
		return s.ok(w, r, admin.Participants(v))
	case !utf8.ValidString(q):
		v.Errors.Add("q", "Enter a name or email address")
		return s.invalid(w, r, admin.Participants(v))
	}
	v.Query = q
	switch n := utf8.RuneCountInString(v.Query); {
	case n < 2:
		v.Errors.Add("q", "Enter at least 2 characters of a name or email address")
	case n > 100:
		v.Errors.Add("q", "Search must be 100 characters or fewer")
	}
	if v.Errors.Any() {
		return s.invalid(w, r, admin.Participants(v))
	}
	matches, err := s.programme.SearchParticipants(r.Context(), v.Query, 50)
	if err != nil {
		return err
	}
	v.Matches, v.Searched = matches, true
	return s.ok(w, r, admin.Participants(v))
}
