package server

import (
	"net/http"
	"strconv"

	"npq/internal/programme"
	"npq/web/pages/partner"
)

// partnerHome is the partner staff's home: their to-do list, then their cohorts. It costs
// two queries: everything to do hangs off a cohort, so a partner without cohorts has nothing
// to do and only its name is read.
func (s *Server) partnerHome(w http.ResponseWriter, r *http.Request) error {
	sc := scopeFor(r)
	cohorts, err := s.programme.Cohorts(r.Context(), sc)
	if err != nil {
		return err
	}
	v := partner.HomeView{Cohorts: cohortRows(cohorts, "/partner/cohorts/", programme.Today(s.now()))}
	if len(cohorts) == 0 {
		p, err := s.programme.PartnerByID(r.Context(), sc.PartnerID())
		if err != nil {
			return err
		}
		v.PartnerName = p.Name
		return s.ok(w, r, partner.Home(v))
	}
	v.PartnerName = cohorts[0].PartnerName
	if v.Todo, v.AsOf, err = s.partnerTodoList(r); err != nil {
		return err
	}
	return s.ok(w, r, partner.Home(v))
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
