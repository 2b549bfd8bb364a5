package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"npq/internal/personaldata"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/admin"
)

// dataRequestRoutes are admins' pages for people's requests about their personal data.
func (s *Server) dataRequestRoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/data-requests", admins, s.adminDataRequests)
	s.handle(r, "GET", "/admin/data-requests/new", admins, s.adminDataRequestNew)
	s.handle(r, "POST", "/admin/data-requests", admins, s.adminDataRequestLog)
	s.handle(r, "GET", "/admin/data-requests/{request}", admins, s.adminDataRequest)
	s.handle(r, "GET", "/admin/data-requests/{request}/export.zip", admins, s.adminDataRequestExport)
	s.handle(r, "POST", "/admin/data-requests/{request}/complete", admins, s.adminDataRequestComplete)
}

func (s *Server) adminDataRequests(w http.ResponseWriter, r *http.Request) error {
	list, err := s.personalData.Requests(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.DataRequests(admin.DataRequestsView{Requests: list, Today: programme.Today(s.now())}))
}

func (s *Server) adminDataRequestNew(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, admin.DataRequestNew(admin.DataRequestForm{Received: components.DateOf(programme.Today(s.now()))}))
}

func (s *Server) adminDataRequestLog(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := admin.DataRequestForm{Email: field(r, "email"), Received: components.DateFrom(r.PostForm.Get, "received"), Note: field(r, "note")}
	page := func() templ.Component { return admin.DataRequestNew(f) }
	var ps problem.Problems
	n := personaldata.NewRequest{Email: f.Email, Note: f.Note, ReceivedOn: readDay(&ps, "received-day", "Date received", f.Received)}
	ps = append(ps, n.Check(programme.Today(s.now()))...)
	if len(ps) > 0 {
		addProblems(&f.Errors, ps)
		s.render(w, r, http.StatusUnprocessableEntity, page())
		return nil
	}
	id, err := s.personalData.Log(r.Context(), n, currentUser(r.Context()).ID)
	if err := onField(err, &f.Errors, "email", page); err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("/admin/data-requests/%d", id), "Request logged: due "+timefmt.Date(personaldata.DueOn(n.ReceivedOn)))
}

func (s *Server) dataRequestFromURL(r *http.Request) (personaldata.Request, error) {
	id, err := urlID(r, "request")
	if err != nil {
		return personaldata.Request{}, err
	}
	return s.personalData.RequestByID(r.Context(), id)
}

func (s *Server) adminDataRequest(w http.ResponseWriter, r *http.Request) error {
	q, err := s.dataRequestFromURL(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.DataRequest(admin.DataRequestView{Request: q, Today: programme.Today(s.now())}))
}

// adminDataRequestExport downloads everything held about the person as a ZIP, and records
// the download in the audit trail before the first byte is sent.
func (s *Server) adminDataRequestExport(w http.ResponseWriter, r *http.Request) error {
	q, err := s.dataRequestFromURL(r)
	if err != nil {
		return err
	}
	now := s.now()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="personal-data-%d-%s.zip"`, q.UserID, now.In(timefmt.London).Format(time.DateOnly)))
	return s.personalData.ExportFor(r.Context(), q, currentUser(r.Context()).ID, w, now)
}

func (s *Server) adminDataRequestComplete(w http.ResponseWriter, r *http.Request) error {
	q, err := s.dataRequestFromURL(r)
	if err != nil {
		return err
	}
	if err := s.personalData.Complete(r.Context(), q.ID, currentUser(r.Context()).ID, s.now()); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/data-requests", "Marked as answered: "+q.Name)
}
