package server

import (
	"net/http"
	"strconv"

	"npq/internal/programme"
	"npq/web/pages/partner"
)

func (s *Server) partnerHome(w http.ResponseWriter, r *http.Request) error {
	sc := scopeFor(r)
	p, err := s.programme.PartnerByID(r.Context(), sc.PartnerID())
	if err != nil {
		return err
	}
	cohorts, err := s.programme.Cohorts(r.Context(), sc)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Cohorts(p.Name, "Delivery partner", cohortRows(cohorts, "/partner/cohorts/", programme.Today(s.now())), ""))
}

func (s *Server) partnerCohort(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	v, err := s.rosterView(r, c, "/partner/cohorts/"+strconv.FormatInt(c.ID, 10))
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Roster(v))
}
