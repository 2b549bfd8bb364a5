package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"npq/internal/events"
	"npq/web/pages/partner"
)

// catchUpRoutes are the recording and task partner staff (and admins) offer people who missed
// an event, under each one's events.
func (s *Server) catchUpRoutes(r chi.Router) {
	for base, access := range map[string]access{"/partner/events": partnerStaff, "/admin/events": admins} {
		s.handle(r, "GET", base+"/{event}/catch-up", access, s.partnerCatchUpForm)
		s.handle(r, "POST", base+"/{event}/catch-up", access, s.partnerCatchUpSave)
	}
}

func (s *Server) partnerCatchUpForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	c, err := s.events.CatchUpOf(r.Context(), e.ID, scopeFor(r))
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.CatchUpPage(partner.CatchUpForm{BasePath: eventsBase(r), Event: e, CatchUp: c}))
}

func (s *Server) partnerCatchUpSave(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := partner.CatchUpForm{BasePath: eventsBase(r), Event: e,
		CatchUp: events.CatchUp{RecordingURL: field(r, "recording_url"), Task: field(r, "task")}}
	page := func() templ.Component { return partner.CatchUpPage(f) }
	if ps := f.CatchUp.Check(); len(ps) > 0 {
		addProblems(&f.Errors, ps)
		s.render(w, r, http.StatusUnprocessableEntity, page())
		return nil
	}
	err = s.events.SaveCatchUp(r.Context(), e.ID, scopeFor(r), f.CatchUp, currentUser(r.Context()).ID, s.now())
	if err := onField(err, &f.Errors, "recording_url", page); err != nil {
		return err
	}
	flash := "Saved the recording and task for people who missed it"
	if !f.CatchUp.Offered() {
		flash = "Took away the recording and task"
	}
	return s.seeOther(w, r, eventsBase(r)+"/"+chi.URLParam(r, "event"), flash)
}
