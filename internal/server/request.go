package server

import (
	"net/http"
	"strconv"

	"npq/internal/scope"

	"github.com/go-chi/chi/v5"
)

// scopeFor is what the signed-in user may see, built once per request by loadUser; the zero
// scope (nobody signed in) sees nothing.
func scopeFor(r *http.Request) scope.Scope {
	sc, _ := r.Context().Value(scopeKey{}).(scope.Scope)
	return sc
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
