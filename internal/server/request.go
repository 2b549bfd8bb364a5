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

// seeOtherProblem redirects with a message explaining why nothing changed.
func (s *Server) seeOtherProblem(w http.ResponseWriter, r *http.Request, to, problem string) error {
	s.sessions.Put(r.Context(), "problem", problem)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
