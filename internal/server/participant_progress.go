package server

import (
	"net/http"

	"npq/internal/programme"
	"npq/web/pages/participant"
)

func (s *Server) participantProgress(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.primaryEnrolment(w, r)
	if err != nil || !ok {
		return err
	}
	j, err := s.journeyOf(r, c.chosen)
	if err != nil {
		return err
	}
	st := s.standing(c, c.chosen)
	return s.ok(w, r, participant.Progress(participant.ProgressView{Enrolment: enrolmentView(c.chosen), Switcher: c.switcher("/progress"),
		Standing: st, Overall: programme.CourseProgress(j.blocks), Blocks: j.views, Continue: j.cont}))
}
