package server

import (
	"net/http"
	"strconv"
	"strings"

	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) extensionForm(r *http.Request) (admin.ExtensionForm, error) {
	id, err := urlID(r, "enrolment")
	if err != nil {
		return admin.ExtensionForm{}, err
	}
	e, err := s.programme.EnrolmentByID(r.Context(), id)
	if err != nil {
		return admin.ExtensionForm{}, err
	}
	win, err := s.assessment.WindowFor(r.Context(), id)
	if err != nil {
		return admin.ExtensionForm{}, err
	}
	return admin.ExtensionForm{EnrolmentID: id, ParticipantName: e.Name, CourseName: win.CourseName, Current: timefmt.Date(win.Deadline)}, nil
}

func (s *Server) adminExtensionForm(w http.ResponseWriter, r *http.Request) error {
	f, err := s.extensionForm(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Extension(f))
}

func (s *Server) adminExtend(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f, err := s.extensionForm(r)
	if err != nil {
		return err
	}
	get := func(k string) string { return field(r, k) }
	f.Deadline, f.Reason = components.DateFrom(get, "deadline"), strings.TrimSpace(r.PostForm.Get("reason"))
	deadline, problem := f.Deadline.Parse("The new deadline")
	if problem == "" && deadline.Before(programme.Today(s.now())) {
		problem = "The new deadline must be today or in the future"
	}
	f.Errors.Add("deadline", problem)
	if f.Reason == "" {
		f.Errors.Add("reason", "Enter the reason for the extension")
	}
	f.Errors.Add("reason", maxLength("The reason", f.Reason, 2000))
	if f.Errors.Any() {
		return s.invalid(w, r, admin.Extension(f))
	}
	if err := s.assessment.Extend(r.Context(), f.EnrolmentID, deadline, f.Reason, currentUser(r.Context()).ID); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/enrolments/"+strconv.FormatInt(f.EnrolmentID, 10), "The assessment deadline is now "+timefmt.Date(deadline))
}
