package server

import (
	"fmt"
	"net/http"

	"npq/web/pages/admin"
)

func (s *Server) adminUserTwoStepForm(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	me := currentUser(r.Context())
	switch {
	case a.ID == me.ID:
		return s.seeOtherProblem(w, r, fmt.Sprintf("/admin/users/%d", a.ID), "To change your own two-step sign-in, go to My account")
	case !a.TwoStep:
		return s.seeOtherProblem(w, r, fmt.Sprintf("/admin/users/%d", a.ID), a.Name+" has not set up two-step sign-in")
	}
	return s.ok(w, r, admin.UserTwoStepReset(userAccountView(a, me)))
}

func (s *Server) adminUserTwoStepReset(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/admin/users/%d", a.ID)
	me := currentUser(r.Context())
	if a.ID == me.ID {
		return s.seeOtherProblem(w, r, back, "To change your own two-step sign-in, go to My account")
	}
	done, err := s.twoStep().Reset(r.Context(), a.ID, me.ID, s.cfg.BaseURL, s.now())
	if err != nil {
		return err
	}
	if !done {
		return s.seeOtherProblem(w, r, back, a.Name+" has not set up two-step sign-in")
	}
	return s.seeOther(w, r, back, "Two-step sign-in is reset for "+a.Name+". We have emailed them to say so")
}
