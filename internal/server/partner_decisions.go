package server

import (
	"net/http"

	"npq/web/pages/partner"
)

func (s *Server) partnerDecisions(w http.ResponseWriter, r *http.Request) error {
	sc := scopeFor(r)
	requests, err := s.lifecycle.RequestsFor(r.Context(), sc, 200)
	if err != nil {
		return err
	}
	list, err := s.lifecycle.LettersFor(r.Context(), sc, 200)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Decisions(requests, list))
}
