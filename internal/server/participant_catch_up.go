package server

import (
	"net/http"

	"npq/internal/events"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/web/pages/participant"
)

// participantCatchUp records a participant catching up on a session date they missed: they
// watched the recording or did the task their delivery partner set, and wrote a reflection.
// The session then counts as done.
func (s *Server) participantCatchUp(w http.ResponseWriter, r *http.Request) error {
	e, block, j, ok, err := s.participantItem(w, r)
	if err != nil || !ok {
		return err
	}
	item := block.Items[j]
	if item.CatchUp == nil || item.Completed {
		return problem.New("There is nothing to catch up on for this session now.")
	}
	if e.Status != programme.StatusActive {
		return httpError{Status: http.StatusForbidden, Message: "Only an active enrolment can record catching up on a session."}
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reflection := r.PostFormValue("reflection")
	if ps := events.CheckReflection(reflection); len(ps) > 0 {
		v, err := s.itemPageView(r, e, block, j)
		if err != nil {
			return err
		}
		v.Reflection = reflection
		addProblems(&v.Errors, ps)
		s.render(w, r, http.StatusUnprocessableEntity, participant.ItemPage(v))
		return nil
	}
	if err := s.events.RecordCatchUp(r.Context(), e.ID, item.ID, item.CatchUp.EventID, reflection, s.now()); err != nil {
		return err
	}
	return s.seeOther(w, r, item.Href, "Caught up: "+item.Title)
}
