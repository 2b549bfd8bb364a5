package server

import (
	"net/http"

	"npq/web/components"
	"npq/web/pages/admin"
)

// adminOverview shows the whole provider's to-do lines and counts, worked out at most once a
// minute (figures.go) and saying when.
func (s *Server) adminOverview(w http.ResponseWriter, r *http.Request) error {
	f, asOf, err := s.adminOverviewFigures(r.Context())
	if err != nil {
		return err
	}
	now := s.now()
	todo := make([]components.TodoItem, len(f.todo))
	for i, it := range f.todo {
		todo[i] = components.TodoItem{Label: it.Label(), Age: it.Age(now), Href: "/admin/todo/" + string(it.Kind)}
	}
	return s.ok(w, r, admin.Overview(admin.OverviewView{Counts: f.counts, Todo: todo, AsOf: asOf}))
}
