package server

import (
	"net/http"

	"npq/internal/programme"
	"npq/web/pages/participant"
)

func (s *Server) participantProgress(w http.ResponseWriter, r *http.Request) error {
	e, ok, err := s.primaryEnrolment(w, r)
	if err != nil || !ok {
		return err
	}
	j, err := s.journeyOf(r, e)
	if err != nil {
		return err
	}
	return s.ok(w, r, participant.Progress(participant.ProgressView{Enrolment: enrolmentView(e), Overall: programme.CourseProgress(j.blocks),
		Blocks: j.views, Continue: j.cont}))
}
