package server

import (
	"errors"
	"net/http"
	"strconv"

	"npq/internal/auth"
	"npq/web/pages/public"
)

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if u := currentUser(r.Context()); u != nil {
		if next == "" {
			next = u.Role.HomePath()
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.ok(w, r, public.SignIn(public.SignInForm{Next: next}))
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := public.SignInForm{Email: field(r, "email"), Next: safeNext(field(r, "next"))}
	password := r.PostForm.Get("password")
	if f.Email == "" {
		f.Errors.Add("email", "Enter your email address")
	} else if len(f.Email) > auth.MaxEmailLength {
		f.Errors.Add("email", "Email address must be 254 characters or fewer")
	}
	if password == "" {
		f.Errors.Add("password", "Enter your password")
	} else if len(password) > 4*auth.MaxPasswordLength {
		f.Errors.Add("password", "Enter a correct email address and password")
	}
	if f.Errors.Any() {
		return s.invalid(w, r, public.SignIn(f))
	}
	u, err := s.users.Authenticate(r.Context(), f.Email, password, clientIP(r))
	switch {
	case errors.Is(err, auth.ErrRateLimited):
		s.log.Warn("sign-in rate limited", "ip", clientIP(r))
		w.Header().Set("Retry-After", strconv.Itoa(int(auth.SignInWindow.Seconds())))
		return httpError{Status: http.StatusTooManyRequests,
			Message: "There have been too many attempts to sign in. For your security, signing in is paused for a while."}
	case errors.Is(err, auth.ErrBusy):
		return errBusy(w)
	case errors.Is(err, auth.ErrBadCredentials):
		// The same answer whether the email or the password is wrong: no account enumeration.
		f.Errors.Add("email", "Enter a correct email address and password")
		return s.invalid(w, r, public.SignIn(f))
	case err != nil:
		return err
	}
	if err := s.startSession(r, u); err != nil {
		return err
	}
	to := f.Next
	if to == "" {
		to = u.Role.HomePath()
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// errBusy is the answer when too many passwords are being checked at once.
func errBusy(w http.ResponseWriter) error {
	w.Header().Set("Retry-After", "5")
	return httpError{Status: http.StatusServiceUnavailable, Message: "Many people are signing in at the moment."}
}

// startSession signs u in on a fresh session token, so a token fixed before sign-in is useless.
func (s *Server) startSession(r *http.Request, u auth.User) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "user_id", u.ID)
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), "user_id")
	return s.seeOther(w, r, "/sign-in", "You have signed out")
}
