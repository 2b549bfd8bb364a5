package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// partnerScope is the delivery partner whose data a request may see: the user's own for
// partner staff, nil (everything) for admins.
func partnerScope(r *http.Request) *int64 {
	if u := currentUser(r.Context()); u != nil && u.DeliveryPartnerID != nil {
		return u.DeliveryPartnerID
	}
	return nil
}

func urlID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// seeOtherAfter answers a change: a redirect to to with flash when err is nil, or with the
// problem when the change was refused (see backTo); other errors are returned.
func (s *Server) seeOtherAfter(w http.ResponseWriter, r *http.Request, err error, to, flash string) error {
	if err != nil {
		return backTo(to, err)
	}
	return s.seeOther(w, r, to, flash)
}

// seeOtherProblem redirects with a message explaining why nothing changed.
func (s *Server) seeOtherProblem(w http.ResponseWriter, r *http.Request, to, problem string) error {
	s.sessions.Put(r.Context(), "problem", problem)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
