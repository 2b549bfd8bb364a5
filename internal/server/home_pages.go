package server

import (
	"net/http"

	"npq/web/pages/marking"
	"npq/web/pages/participant"
	"npq/web/pages/partner"
)

func (s *Server) participantHome(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	return s.ok(w, r, participant.Home(participant.HomeView{Name: u.Name}))
}

func (s *Server) partnerHome(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	var name string
	if err := s.pool.QueryRow(r.Context(), `SELECT name FROM delivery_partners WHERE id = $1`, u.DeliveryPartnerID).Scan(&name); err != nil {
		return err
	}
	return s.ok(w, r, partner.Home(partner.HomeView{Name: u.Name, PartnerName: name}))
}

func (s *Server) markingHome(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, marking.Home(currentUser(r.Context()).Name))
}
