package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
	"npq/web/pages/public"
)

// invitationState renders the page for a link that cannot be used, or returns the
// invitation when it can.
func (s *Server) usableInvitation(w http.ResponseWriter, r *http.Request) (auth.Invitation, bool, error) {
	inv, state, err := s.users.InvitationByToken(r.Context(), chi.URLParam(r, "token"), s.now())
	if err != nil {
		return inv, false, err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	switch state {
	case auth.InvitationUnknown:
		s.render(w, r, http.StatusNotFound, public.InvitationUnusable("This invitation link is not valid",
			"Check you copied the whole link from your email. If it still does not work, ask your lead provider to invite you again."))
		return inv, false, nil
	case auth.InvitationExpired:
		s.render(w, r, http.StatusGone, public.InvitationUnusable("This invitation has expired",
			"Invitation links work for 7 days. Ask your lead provider to send you a new invitation."))
		return inv, false, nil
	case auth.InvitationUsed:
		s.render(w, r, http.StatusGone, public.InvitationUnusable("This invitation has already been used",
			"Each invitation link works once. Sign in with the password you set."))
		return inv, false, nil
	}
	return inv, true, nil
}

func invitationForm(token string, inv auth.Invitation) public.InvitationForm {
	return public.InvitationForm{Token: token, Name: inv.Name, Email: inv.Email, Role: inv.Role.LabelWithArticle()}
}

func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request) error {
	inv, ok, err := s.usableInvitation(w, r)
	if err != nil || !ok {
		return err
	}
	return s.ok(w, r, public.Invitation(invitationForm(chi.URLParam(r, "token"), inv)))
}

func (s *Server) invitationAccept(w http.ResponseWriter, r *http.Request) error {
	inv, ok, err := s.usableInvitation(w, r)
	if err != nil || !ok {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	token := chi.URLParam(r, "token")
	f := invitationForm(token, inv)
	password, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	f.Errors.Add("password", auth.PasswordProblem(password, inv.Email))
	if !f.Errors.Any() && password != confirm {
		f.Errors.Add("confirm", "Passwords do not match: enter the same password twice")
	}
	if f.Errors.Any() {
		return s.invalid(w, r, public.Invitation(f))
	}
	u, err := s.users.AcceptInvitation(r.Context(), token, password)
	switch {
	case errors.Is(err, auth.ErrInvitationUnusable):
		s.render(w, r, http.StatusGone, public.InvitationUnusable("This invitation has already been used",
			"Each invitation link works once. Sign in with the password you set."))
		return nil
	case errors.Is(err, auth.ErrBusy):
		return errBusy(w)
	case errors.Is(err, auth.ErrEmailTaken):
		s.render(w, r, http.StatusConflict, public.InvitationUnusable("You already have an account",
			"An account with this email address exists already. Sign in with its password."))
		return nil
	case err != nil:
		return err
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	return s.seeOther(w, r, u.Role.HomePath(), "Your password is set and you are signed in")
}
