package server

import (
	"net/http"

	"npq/internal/lifecycle"
	"npq/web/pages/partner"
)

func (s *Server) partnerDecisions(w http.ResponseWriter, r *http.Request) error {
	a := lifecycle.Access{PartnerID: partnerScope(r)}
	requests, err := s.lifecycle.RequestsFor(r.Context(), a, 200)
	if err != nil {
		return err
	}
	list, err := s.lifecycle.LettersFor(r.Context(), a, 200)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Decisions(requests, list))
}
