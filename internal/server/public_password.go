package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
	"npq/web/pages/public"
)

func (s *Server) forgottenPasswordForm(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, public.ForgottenPassword(public.ForgottenPasswordForm{}))
}

// forgottenPasswordSend answers with the same page, status and steps whether or not the
// address belongs to an account.
func (s *Server) forgottenPasswordSend(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := public.ForgottenPasswordForm{Email: field(r, "email")}
	f.Errors.Add("email", auth.EmailProblem(f.Email))
	if f.Errors.Any() {
		return s.invalid(w, r, public.ForgottenPassword(f))
	}
	err := s.users.RequestPasswordReset(r.Context(), f.Email, clientIP(r), s.cfg.BaseURL, s.now())
	if errors.Is(err, auth.ErrResetRateLimited) {
		s.log.Warn("password reset rate limited", "ip", clientIP(r))
		w.Header().Set("Retry-After", strconv.Itoa(int(auth.ResetWindow.Seconds())))
		return httpError{Status: http.StatusTooManyRequests,
			Message: "There have been too many requests for password links from your network. Try again in an hour, or contact your lead provider."}
	}
	if err != nil {
		return err
	}
	return s.ok(w, r, public.ForgottenPasswordSent(auth.NormaliseEmail(f.Email), int(auth.ResetLifetime.Minutes()), auth.MaxResetEmailsPerAccount))
}

// usableReset renders the page for a forgotten-password link that cannot be used, or
// returns the link when it can.
func (s *Server) usableReset(w http.ResponseWriter, r *http.Request) (auth.PasswordReset, bool, error) {
	reset, state, err := s.users.PasswordResetByToken(r.Context(), chi.URLParam(r, "token"), s.now())
	if err != nil {
		return reset, false, err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if state == auth.LinkUsable {
		return reset, true, nil
	}
	s.resetLinkUnusable(w, r, state)
	return reset, false, nil
}

// resetLinkUnusable explains why a forgotten-password link cannot be used.
func (s *Server) resetLinkUnusable(w http.ResponseWriter, r *http.Request, state auth.LinkState) {
	again := "/forgotten-password"
	switch state {
	case auth.LinkUnknown:
		s.render(w, r, http.StatusNotFound, public.LinkUnusable("This password link is not valid",
			"Check you copied the whole link from the email. If it still does not work, ask for a new link.", again, "Ask for a new link"))
	case auth.LinkExpired:
		s.render(w, r, http.StatusGone, public.LinkUnusable("This password link has expired",
			"Password links work for "+strconv.Itoa(int(auth.ResetLifetime.Minutes()))+" minutes. Ask for a new link: it takes a minute.", again, "Ask for a new link"))
	case auth.LinkReplaced:
		s.render(w, r, http.StatusGone, public.LinkUnusable("This password link has been replaced",
			"A newer link was sent, or the password was changed since, so this one no longer works. Use the latest email, or ask for a new link.", again, "Ask for a new link"))
	default:
		s.render(w, r, http.StatusGone, public.LinkUnusable("This password link has already been used",
			"Each password link works once. Sign in with the password you set, or ask for a new link if you have forgotten it again.", "/sign-in", "Sign in"))
	}
}

func (s *Server) resetPasswordForm(w http.ResponseWriter, r *http.Request) error {
	reset, ok, err := s.usableReset(w, r)
	if err != nil || !ok {
		return err
	}
	return s.ok(w, r, public.ResetPassword(public.ResetPasswordForm{Token: chi.URLParam(r, "token"), Email: reset.User.Email}))
}

// resetPassword sets the new password, ends every session of the account, and signs the
// person in afresh: the link proved they hold the account's email.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	reset, ok, err := s.usableReset(w, r)
	if err != nil || !ok {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	token := chi.URLParam(r, "token")
	f := public.ResetPasswordForm{Token: token, Email: reset.User.Email}
	password, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	f.Errors.Add("password", auth.PasswordProblem(password, reset.User.Email))
	if !f.Errors.Any() && password != confirm {
		f.Errors.Add("confirm", "Passwords do not match: enter the same password twice")
	}
	if f.Errors.Any() {
		return s.invalid(w, r, public.ResetPassword(f))
	}
	u, err := s.users.ResetPassword(r.Context(), token, password, clientIP(r), s.cfg.BaseURL, s.now())
	switch {
	case errors.Is(err, auth.ErrLinkUnusable):
		s.resetLinkUnusable(w, r, auth.LinkUsed)
		return nil
	case errors.Is(err, auth.ErrBusy):
		return errBusy(w)
	case err != nil:
		return err
	}
	if u.TwoStep {
		// The email link proves the address, not the phone: the code is still asked for.
		s.sessions.Put(r.Context(), "flash", "Your new password is set. You have been signed out everywhere else.")
		return s.startTwoStep(w, r, u, "")
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	return s.seeOther(w, r, u.Role.HomePath(), "Your new password is set and you are signed in. You have been signed out everywhere else.")
}
