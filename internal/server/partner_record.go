package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"npq/internal/records"
	"npq/web/pages/partner"
)

// recordRoutes registers the participant record: partner staff see their own partner's
// participants, admins everyone's.
func (s *Server) recordRoutes(r chi.Router) {
	s.handle(r, "GET", "/partner/participants/{user}", partnerStaff, s.partnerRecord)
	s.handle(r, "GET", "/admin/participants/{user}", admins, s.partnerRecord)
}

// partnerRecord shows one participant's record; someone outside the viewer's scope is a 404.
func (s *Server) partnerRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "user")
	if err != nil {
		return err
	}
	sc := scopeFor(r)
	rec, err := records.Store{DB: s.pool}.RecordFor(r.Context(), id, sc)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Record(partner.RecordView{Record: rec, Admin: sc.All(), Path: r.URL.Path}))
}
