package server

import (
	"net/http"

	"npq/internal/dfe/statements"
	"npq/internal/programme"
	"npq/web/pages/admin"
)

func (s *Server) dfeStatements() statements.Store { return statements.Store{DB: s.pool} }

// adminDfEStatements shows DfE's statement calendar: for each cohort, the next cut-off a
// declaration must beat to be paid in that statement's month, then every statement from
// last month on.
func (s *Server) adminDfEStatements(w http.ResponseWriter, r *http.Request) error {
	today := programme.Today(s.now())
	list, synced, err := s.dfeStatements().Calendar(r.Context(), today.AddDate(0, -1, 0))
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.DfEStatements(admin.StatementsView(list, today, synced, s.dfe != nil)))
}
