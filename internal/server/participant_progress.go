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
	blocks, err := s.programme.Journey(r.Context(), e)
	if err != nil {
		return err
	}
	views, _, cont := journeyView(blocks, lastItem(e), programme.Today(s.now()))
	return s.ok(w, r, participant.Progress(participant.ProgressView{Enrolment: enrolmentView(e), Overall: programme.CourseProgress(blocks),
		Blocks: views, Continue: cont}))
}
