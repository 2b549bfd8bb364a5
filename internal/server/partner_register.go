package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"npq/internal/events"
	"npq/internal/programme"
	"npq/web/pages/partner"
)

// The register of an event, for partner staff and admins (routes in partnerEventRoutes).

func (s *Server) registerView(r *http.Request, e events.Event) (partner.RegisterView, error) {
	bookings, err := s.events.Bookings(r.Context(), e.ID, scopeFor(r))
	if err != nil {
		return partner.RegisterView{}, err
	}
	base := eventsBase(r)
	v := partner.RegisterView{BasePath: base, PeopleBase: strings.TrimSuffix(base, "/events") + "/participants", Event: e,
		Marks: map[int64]string{}, Notes: map[int64]string{},
		Open: !programme.Today(s.now()).Before(programme.Today(e.StartsAt)) && !e.Cancelled()}
	for _, b := range bookings {
		if b.Status == events.StatusBooked {
			v.Rows = append(v.Rows, b)
			v.Marks[b.ID], v.Notes[b.ID] = b.Attendance, b.AttendanceNote
		}
	}
	return v, nil
}

// registerFromURL is the event in the URL with its register.
func (s *Server) registerFromURL(r *http.Request) (events.Event, partner.RegisterView, error) {
	e, err := s.eventFromURL(r)
	if err != nil {
		return e, partner.RegisterView{}, err
	}
	v, err := s.registerView(r, e)
	return e, v, err
}

func (s *Server) partnerRegister(w http.ResponseWriter, r *http.Request) error {
	_, v, err := s.registerFromURL(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Register(v))
}

// readMarks reads the rows of a submitted register; with "Mark the rest as attended" everyone
// left unmarked is marked attended. A booking that is not a number is a malformed request.
func readMarks(r *http.Request) ([]events.Mark, error) {
	var marks []events.Mark
	for _, raw := range r.PostForm["booking"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return nil, badRequest("The register could not be read.")
		}
		marks = append(marks, events.Mark{BookingID: id, Attendance: field(r, events.RegisterField("mark", id)),
			Note: field(r, events.RegisterField("note", id))})
	}
	if r.PostForm.Get("action") == "mark-rest" {
		marks = events.MarkRest(marks)
	}
	return marks, nil
}

// partnerRegisterSave saves the marks and notes as submitted. Saving the same form twice
// changes nothing the second time, so a double submission is harmless.
func (s *Server) partnerRegisterSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	marks, err := readMarks(r)
	if err != nil {
		return err
	}
	e, v, err := s.registerFromURL(r)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, b := range v.Rows {
		names[b.ID] = b.Name
	}
	for _, m := range marks {
		v.Marks[m.BookingID], v.Notes[m.BookingID] = m.Attendance, m.Note
	}
	if ps := events.CheckRegister(marks, names); len(ps) > 0 {
		addProblems(&v.Errors, ps)
		return s.invalid(w, r, partner.Register(v))
	}
	first := ""
	if v.Open && len(v.Rows) > 0 {
		first = events.RegisterField("mark", v.Rows[0].ID)
	}
	n, err := s.events.MarkRegister(r.Context(), e.ID, marks, scopeFor(r), currentUser(r.Context()).ID, s.now())
	if err != nil {
		return onField(err, &v.Errors, first, func() templ.Component { return partner.Register(v) })
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d/register", eventsBase(r), e.ID), registerSaved(r.PostForm.Get("action") == "mark-rest", n))
}

// registerSaved is what the register says after a save.
func registerSaved(markedRest bool, changes int) string {
	what := "no changes"
	switch {
	case changes == 1:
		what = "1 change"
	case changes > 1:
		what = strconv.Itoa(changes) + " changes"
	}
	if markedRest {
		return "Everyone not yet marked is marked as attended (" + what + "). Change anyone who was not there, then save the register."
	}
	return "Register saved (" + what + ")"
}
