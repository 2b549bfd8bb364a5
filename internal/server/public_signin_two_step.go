package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/twostep"
	"npq/web/pages/public"
)

// PendingSignInLifetime is how long someone who gave the right password has to give a code.
const PendingSignInLifetime = 5 * time.Minute

// Session keys of a sign-in waiting for its second step: the account, when the password was
// right, and where to go once signed in.
const (
	pendingUserKey = "two_step_user"
	pendingAtKey   = "two_step_at"
	pendingNextKey = "two_step_next"
	// An account that must set up two-step sign-in first gives a code emailed to it: its
	// hash, and the wrong codes given so far.
	pendingEmailCodeKey  = "two_step_email_code"
	pendingEmailTriesKey = "two_step_email_tries"
	// codeVerifiedAtKey is when this session last gave a right code, for the step-up check.
	codeVerifiedAtKey = "two_step_verified_at"
)

// startTwoStep keeps a sign-in half done (on a fresh token) until a code is given: from the
// authenticator app, or, for an account that must set up two-step sign-in and has not, one
// emailed to it now.
func (s *Server) startTwoStep(w http.ResponseWriter, r *http.Request, u auth.User, next string) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), pendingUserKey, u.ID)
	s.sessions.Put(r.Context(), pendingAtKey, s.now().Unix())
	s.sessions.Put(r.Context(), pendingNextKey, next)
	if !u.TwoStep {
		hash, err := s.twoStep().SendEmailCode(r.Context(), twostep.EmailCodeTo{UserID: u.ID, Name: u.Name, Email: u.Email}, s.cfg.BaseURL, s.now())
		if err != nil {
			return err
		}
		s.sessions.Put(r.Context(), pendingEmailCodeKey, hash)
		s.sessions.Put(r.Context(), pendingEmailTriesKey, 0)
	}
	http.Redirect(w, r, "/sign-in/two-step", http.StatusSeeOther)
	return nil
}

// pendingSignIn returns the account waiting for its second step, or 0 when there is none
// or it has waited too long.
func (s *Server) pendingSignIn(r *http.Request) int64 {
	id := s.sessions.GetInt64(r.Context(), pendingUserKey)
	at := time.Unix(s.sessions.GetInt64(r.Context(), pendingAtKey), 0)
	lifetime := PendingSignInLifetime
	if s.pendingByEmail(r) {
		lifetime = twostep.EmailCodeLifetime
	}
	if id == 0 || s.now().Sub(at) > lifetime {
		return 0
	}
	return id
}

// pendingByEmail reports whether the half-done sign-in waits for an emailed code.
func (s *Server) pendingByEmail(r *http.Request) bool {
	return s.sessions.GetString(r.Context(), pendingEmailCodeKey) != ""
}

func (s *Server) clearPendingSignIn(r *http.Request) {
	for _, k := range []string{pendingUserKey, pendingAtKey, pendingNextKey, pendingEmailCodeKey, pendingEmailTriesKey} {
		s.sessions.Remove(r.Context(), k)
	}
}

func (s *Server) signInCodeForm(w http.ResponseWriter, r *http.Request) error {
	if s.pendingSignIn(r) == 0 {
		return s.signInAgain(w, r)
	}
	return s.ok(w, r, public.SignInCode(public.SignInCodeForm{ByEmail: s.pendingByEmail(r)}))
}

// signInAgain sends someone without a live half-done sign-in back to the start.
func (s *Server) signInAgain(w http.ResponseWriter, r *http.Request) error {
	s.clearPendingSignIn(r)
	return s.seeOtherProblem(w, r, "/sign-in", "Your sign-in timed out. Enter your email address and password again")
}

func (s *Server) signInCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id := s.pendingSignIn(r)
	if id == 0 {
		return s.signInAgain(w, r)
	}
	code := field(r, "code")
	if s.pendingByEmail(r) {
		return s.signInEmailCode(w, r, id, code)
	}
	var f public.SignInCodeForm
	if twostep.NormaliseCode(code) == "" {
		f.Errors.Add("code", "Enter the code from your authenticator app, or a recovery code")
		return s.invalid(w, r, public.SignInCode(f))
	}
	out, err := s.twoStep().Verify(r.Context(), id, code, s.now())
	if err != nil {
		return err
	}
	if refused, err := s.codeRefused(w, r, out, f); refused {
		return err
	}
	u, next, ok, err := s.finishPendingSignIn(w, r, id)
	if !ok {
		return err
	}
	s.sessions.Put(r.Context(), codeVerifiedAtKey, s.now().Unix())
	if out == twostep.AcceptedRecovery {
		s.sessions.Put(r.Context(), "flash", "You signed in with a recovery code, which cannot be used again. If you have lost your phone, set up two-step sign-in again from My account")
	}
	if next == "" {
		next = u.Role.HomePath()
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// codeRefused answers a code that does not complete the sign-in; refused is false when it does.
func (s *Server) codeRefused(w http.ResponseWriter, r *http.Request, out twostep.Outcome, f public.SignInCodeForm) (refused bool, err error) {
	switch out {
	case twostep.Limited:
		w.Header().Set("Retry-After", strconv.Itoa(int(twostep.FailureWindow.Seconds())))
		return true, httpError{Status: http.StatusTooManyRequests,
			Message: "There have been too many wrong codes for this account. For your security, codes are refused for 15 minutes."}
	case twostep.Reused:
		f.Errors.Add("code", "That code has already been used. Wait for your app to show a new code, then enter it")
		return true, s.invalid(w, r, public.SignInCode(f))
	case twostep.Wrong:
		f.Errors.Add("code", "The code is not right. Enter the code your app shows now, or a recovery code you have not used")
		return true, s.invalid(w, r, public.SignInCode(f))
	case twostep.NotSetUp:
		// Reset by an admin since the password was given: start again, so that someone whose
		// role requires two-step sign-in is emailed a code before setting it up anew.
		return true, s.signInAgain(w, r)
	}
	return false, nil
}

// signInEmailCode checks the code emailed to an account that must set up two-step sign-in.
// Right, it signs them in to set it up (nothing else opens until they have); wrong
// EmailCodeTries times, they start again with their password.
func (s *Server) signInEmailCode(w http.ResponseWriter, r *http.Request, id int64, code string) error {
	f := public.SignInCodeForm{ByEmail: true}
	if twostep.NormaliseCode(code) == "" {
		f.Errors.Add("code", "Enter the code we emailed to you")
		return s.invalid(w, r, public.SignInCode(f))
	}
	if !twostep.EmailCodeMatches(id, code, s.sessions.GetString(r.Context(), pendingEmailCodeKey)) {
		tries := s.sessions.GetInt(r.Context(), pendingEmailTriesKey) + 1
		if tries >= twostep.EmailCodeTries {
			s.clearPendingSignIn(r)
			return s.seeOtherProblem(w, r, "/sign-in", "The code was wrong too many times. Enter your email address and password again to be sent a new code")
		}
		s.sessions.Put(r.Context(), pendingEmailTriesKey, tries)
		f.Errors.Add("code", "The code is not right. Enter the 6-digit code from the latest email we sent you")
		return s.invalid(w, r, public.SignInCode(f))
	}
	_, next, ok, err := s.finishPendingSignIn(w, r, id)
	if !ok {
		return err
	}
	// Kept for the set-up's Continue button.
	s.sessions.Put(r.Context(), pendingNextKey, next)
	http.Redirect(w, r, twoStepSetUpPath, http.StatusSeeOther)
	return nil
}

// finishPendingSignIn signs in the account whose half-done sign-in was just completed, and
// returns where it was going. ok is false when it was not signed in: the account has gone or
// been deactivated since (the person starts again), or err.
func (s *Server) finishPendingSignIn(w http.ResponseWriter, r *http.Request, id int64) (u auth.User, next string, ok bool, err error) {
	u, err = s.users.UserByID(r.Context(), id)
	if errors.Is(err, database.ErrNotFound) || (err == nil && u.Deactivated()) {
		return u, "", false, s.signInAgain(w, r)
	}
	if err != nil {
		return u, "", false, err
	}
	next = s.sessions.GetString(r.Context(), pendingNextKey)
	s.clearPendingSignIn(r)
	if err := s.startSession(r, u); err != nil {
		return u, "", false, err
	}
	return u, next, true, nil
}
