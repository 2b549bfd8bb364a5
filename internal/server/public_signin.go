package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"npq/internal/audit"
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
	checkSignInForm(&f, password)
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
	case errors.Is(err, auth.ErrDeactivated):
		// Said only to someone who typed the right password, so it reveals nothing more
		// than a successful sign-in would.
		f.Errors.Add("email", "Your account has been deactivated, so you cannot sign in. If you think this is a mistake, contact your lead provider")
		return s.invalid(w, r, public.SignIn(f))
	case errors.Is(err, auth.ErrBadCredentials):
		// The same answer whether the email or the password is wrong: no account enumeration.
		f.Errors.Add("email", "Enter a correct email address and password")
		return s.invalid(w, r, public.SignIn(f))
	case err != nil:
		return err
	}
	if u.TwoStep || s.mustSetUpTwoStep(&u) {
		return s.startTwoStep(w, r, u, f.Next)
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

// checkSignInForm adds the sign-in form's problems to f.Errors.
func checkSignInForm(f *public.SignInForm, password string) {
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
}

// errBusy is the answer when too many passwords are being checked at once.
func errBusy(w http.ResponseWriter) error {
	w.Header().Set("Retry-After", "5")
	return httpError{Status: http.StatusServiceUnavailable, Message: "Many people are signing in at the moment."}
}

// startSession signs u in on a fresh session token, so a token fixed before sign-in is useless,
// and records the session so its holder can see and end it from My account.
func (s *Server) startSession(r *http.Request, u auth.User) error {
	key, err := s.users.StartSession(r.Context(), u.ID, r.UserAgent(), clientIP(r), s.now())
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), "user_id", u.ID)
	s.sessions.Put(r.Context(), "session_key", key)
	s.sessions.Put(r.Context(), "session_version", u.SessionVersion)
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r.Context()); u != nil {
		if _, err := s.users.EndSession(r.Context(), u.ID, currentSessionID(r.Context()), auth.EndedSignedOut, s.now()); err != nil {
			return err
		}
		if err := audit.Record(r.Context(), s.pool, u.ID, "sign_out", fmt.Sprintf("user:%d", u.ID), nil); err != nil {
			return err
		}
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), "user_id")
	s.sessions.Remove(r.Context(), "session_key")
	return s.seeOther(w, r, "/sign-in", "You have signed out")
}
