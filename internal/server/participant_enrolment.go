package server

import (
	"net/http"

	"npq/internal/programme"
	"npq/web/pages/participant"
)

func enrolmentView(e programme.Enrolment) participant.EnrolmentView {
	return participant.EnrolmentView{ID: e.ID, CourseName: e.CourseName, CohortName: e.CohortName, PartnerName: e.PartnerName,
		Status: e.Status, StartsOn: e.StartsOn, StudyEndsOn: e.StudyEndsOn}
}

// primaryEnrolment is the enrolment the Progress and Learn pages show, or a page saying the
// participant has none or may not see content.
func (s *Server) primaryEnrolment(w http.ResponseWriter, r *http.Request) (programme.Enrolment, bool, error) {
	enrolments, err := s.programme.EnrolmentsForUser(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return programme.Enrolment{}, false, err
	}
	if len(enrolments) == 0 {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return programme.Enrolment{}, false, nil
	}
	e := enrolments[0]
	if !e.Status.CanSeeContent() {
		s.render(w, r, http.StatusForbidden, participant.Unavailable(participant.UnavailableView{Enrolment: enrolmentView(e)}))
		return e, false, nil
	}
	return e, true, nil
}
