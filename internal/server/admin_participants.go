package server

import (
	"net/http"
	"strings"

	"npq/internal/listing"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) adminParticipants(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := admin.ParticipantsView{Filter: admin.ParticipantsFilter{Query: strings.TrimSpace(q.Get("q")), Course: q.Get("course"),
		Cohort: q.Get("cohort"), Partner: q.Get("partner"), Status: q.Get("status")}}
	f := programme.ParticipantFilter{Query: req.Query}
	var ok bool
	if f.Status, ok = programme.ParseStatus(v.Filter.Status); !ok {
		return badRequest("The list could not be filtered.")
	}
	for _, id := range []struct {
		name string
		to   *int64
	}{{"course", &f.CourseID}, {"cohort", &f.CohortID}, {"partner", &f.PartnerID}} {
		if *id.to, err = filterID(r, id.name); err != nil {
			return err
		}
	}
	o, err := s.listChoices(r)
	if err != nil {
		return err
	}
	v.Choices.Courses, v.Choices.Cohorts, v.Choices.Partners, v.Choices.CohortHint = o.courses, o.cohorts, o.partners, o.cohortHint
	v.Choices.Statuses = []components.Option{{Value: "", Label: "Any status"}}
	for _, st := range programme.Statuses {
		v.Choices.Statuses = append(v.Choices.Statuses, components.Option{Value: string(st), Label: st.Label()})
	}
	rows, err := s.programme.ParticipantsPage(r.Context(), scopeFor(r), f, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, programme.ParticipantKey)
	v.Rows, v.Pages = page.Rows, seekPager(r, page)
	return s.ok(w, r, admin.Participants(v))
}
