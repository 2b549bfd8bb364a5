package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"npq/internal/twostep"
	"npq/web/pages/public"
)

// StepUpAge is how old the last code may be before a sensitive change asks for a fresh one.
const StepUpAge = 15 * time.Minute

// requireRecentCode reports whether it has sent a signed-in user with two-step sign-in to
// /step-up because their last code is older than StepUpAge; they come back to next.
func (s *Server) requireRecentCode(w http.ResponseWriter, r *http.Request, next string) bool {
	u := currentUser(r.Context())
	if u == nil || !u.TwoStep {
		return false
	}
	at := time.Unix(s.sessions.GetInt64(r.Context(), codeVerifiedAtKey), 0)
	if s.now().Sub(at) <= StepUpAge {
		return false
	}
	http.Redirect(w, r, "/step-up?next="+url.QueryEscape(next), http.StatusSeeOther)
	return true
}

func (s *Server) stepUpForm(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, public.StepUp(public.StepUpForm{Next: safeNext(r.URL.Query().Get("next"))}))
}

func (s *Server) stepUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r.Context())
	f := public.StepUpForm{Next: safeNext(field(r, "next"))}
	code := field(r, "code")
	if twostep.NormaliseCode(code) == "" {
		f.Errors.Add("code", "Enter the code from your authenticator app, or a recovery code")
		return s.invalid(w, r, public.StepUp(f))
	}
	out, err := s.twoStep().Verify(r.Context(), u.ID, code, s.now())
	if err != nil {
		return err
	}
	switch out {
	case twostep.Limited:
		w.Header().Set("Retry-After", strconv.Itoa(int(twostep.FailureWindow.Seconds())))
		return httpError{Status: http.StatusTooManyRequests,
			Message: "There have been too many wrong codes for this account. For your security, codes are refused for 15 minutes."}
	case twostep.Reused:
		f.Errors.Add("code", "That code has already been used. Wait for your app to show a new code, then enter it")
	case twostep.Wrong:
		f.Errors.Add("code", "The code is not right. Enter the code your app shows now, or a recovery code you have not used")
	}
	if f.Errors.Any() {
		return s.invalid(w, r, public.StepUp(f))
	}
	s.sessions.Put(r.Context(), codeVerifiedAtKey, s.now().Unix())
	to := f.Next
	if to == "" {
		to = "/account"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
