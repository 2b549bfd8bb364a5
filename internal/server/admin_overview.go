package server

import (
	"net/http"

	"npq/web/pages/admin"
)

func (s *Server) adminOverview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.overview.Counts(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Overview(admin.OverviewView{Counts: c}))
}
