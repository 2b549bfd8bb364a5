package server

import (
	"net/http"

	"npq/web/pages/marking"
)

func (s *Server) markingHome(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, marking.Home(currentUser(r.Context()).Name))
}
