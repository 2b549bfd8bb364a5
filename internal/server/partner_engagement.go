package server

import (
	"net/http"
	"strconv"

	"npq/internal/programme"
	"npq/web/pages/partner"
)

func (s *Server) partnerEngagement(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	now := s.now()
	en, err := s.events.EngagementFor(r.Context(), c.ID, scopeFor(r), now)
	if err != nil {
		return err
	}
	blocks, err := s.programme.CohortBlocks(r.Context(), c.ID, scopeFor(r))
	if err != nil {
		return err
	}
	roster, err := s.programme.Roster(r.Context(), c.ID, scopeFor(r), blocks, programme.Today(now))
	if err != nil {
		return err
	}
	base := "/partner/cohorts/"
	if scopeFor(r).All() {
		base = "/admin/cohorts/"
	}
	v := partner.EngagementView{Cohort: c, BasePath: base + strconv.FormatInt(c.ID, 10), Engagement: en, InactiveDays: programme.InactiveDays}
	if n, err := strconv.Atoi(r.URL.Query().Get("inactive")); err == nil && n >= 1 && n <= 365 {
		v.InactiveDays = n
	}
	for _, e := range roster {
		if e.Inactive(now, v.InactiveDays) {
			v.Inactive = append(v.Inactive, e)
		}
	}
	if scopeFor(r).All() {
		v.PersonHref = func(id int64) string { return "/admin/enrolments/" + strconv.FormatInt(id, 10) }
	}
	return s.ok(w, r, partner.Engagement(v))
}
