package server

import (
	"net/http"

	"npq/internal/scope"
	"npq/web/pages/admin"
)

// adminOverview shows the whole provider's to-do lines and counts, worked out at most once a
// minute (figures.go) and saying when.
func (s *Server) adminOverview(w http.ResponseWriter, r *http.Request) error {
	f, asOf, err := s.adminOverviewFigures(r.Context())
	if err != nil {
		return err
	}
	todo := todoLinks(f.todo, scope.Admin(), s.now())
	return s.ok(w, r, admin.Overview(admin.OverviewView{Counts: f.counts, Todo: todo, AsOf: asOf}))
}
