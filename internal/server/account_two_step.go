package server

import (
	"net/http"

	"npq/internal/auth"
	"npq/internal/timefmt"
	"npq/internal/twostep"
	"npq/web/pages/account"
)

// twoStepSecretKey holds, in the session, the secret being set up until a code confirms it.
const twoStepSecretKey = "two_step_new_secret"

func (s *Server) twoStep() twostep.Store { return twostep.Store{DB: s.pool, Sealer: s.twoStepSealer} }

// pendingSecret is the secret being set up, kept (encrypted like a stored one) in the session
// until a code confirms it; "" when there is none.
func (s *Server) pendingSecret(r *http.Request, userID int64) string {
	secret, err := s.twoStepSealer.Open(userID, s.sessions.GetString(r.Context(), twoStepSecretKey))
	if err != nil {
		return "" // sealed under another key: start again
	}
	return secret
}

func (s *Server) keepPendingSecret(r *http.Request, userID int64, secret string) error {
	sealed, err := s.twoStepSealer.Seal(userID, secret)
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), twoStepSecretKey, sealed)
	return nil
}

func (s *Server) accountTwoStepForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	setup, err := s.twoStep().SetupFor(r.Context(), u.ID)
	if err != nil {
		return err
	}
	if setup != nil && r.URL.Query().Get("new") == "" {
		return s.ok(w, r, account.TwoStepOn(account.TwoStepStatus{Since: timefmt.DateTime(setup.EnabledAt), RecoveryLeft: setup.RecoveryLeft,
			Required: s.twoStepPolicy().Requires(u.Role)}))
	}
	secret := s.pendingSecret(r, u.ID)
	var key twostep.Key
	if secret == "" {
		if key, err = twostep.NewKey(u.Email); err != nil {
			return err
		}
		if err := s.keepPendingSecret(r, u.ID, key.Secret); err != nil {
			return err
		}
	} else {
		key = twostep.KeyFor(u.Email, secret)
	}
	f, err := twoStepSetUpForm(key, setup != nil)
	if err != nil {
		return err
	}
	f.Required = s.mustSetUpTwoStep(u)
	return s.ok(w, r, account.TwoStepSetUp(f))
}

func twoStepSetUpForm(key twostep.Key, replace bool) (account.TwoStepSetUpForm, error) {
	qr, err := key.QRDataURL()
	if err != nil {
		return account.TwoStepSetUpForm{}, err
	}
	return account.TwoStepSetUpForm{QR: qr, Secret: twostep.Grouped(key.Secret), Replace: replace}, nil
}

func (s *Server) accountTwoStepSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r.Context())
	secret := s.pendingSecret(r, u.ID)
	if secret == "" {
		// The session lost the secret (it expired, or the form was posted twice): start again.
		return s.seeOther(w, r, "/account/two-step?new=1", "")
	}
	setup, err := s.twoStep().SetupFor(r.Context(), u.ID)
	if err != nil {
		return err
	}
	f, err := twoStepSetUpForm(twostep.KeyFor(u.Email, secret), setup != nil)
	if err != nil {
		return err
	}
	f.Required = s.mustSetUpTwoStep(u)
	code := field(r, "code")
	f.Errors.Add("code", twostep.CodeProblem(code))
	step, ok := twostep.Match(secret, code, s.now())
	if !f.Errors.Any() && !ok {
		f.Errors.Add("code", "The code is not right. Check the time on your phone is set automatically, and enter the code your app shows now")
	}
	if f.Errors.Any() {
		return s.invalid(w, r, account.TwoStepSetUp(f))
	}
	codes, err := twostep.NewRecoveryCodes()
	if err != nil {
		return err
	}
	if err := s.twoStep().Enable(r.Context(), u.ID, secret, step, codes, s.now()); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), twoStepSecretKey)
	// The code just given counts as this session's latest, for the step-up check.
	s.sessions.Put(r.Context(), codeVerifiedAtKey, s.now().Unix())
	page := account.TwoStepRecoveryPage{Codes: codes, ContinueHref: "/account", ContinueLabel: "Continue to My account"}
	if f.Required {
		// Set up on the way in: carry on to where the sign-in was going.
		page.ContinueHref, page.ContinueLabel = s.sessions.PopString(r.Context(), pendingNextKey), "Continue"
		if page.ContinueHref == "" {
			page.ContinueHref = u.Role.HomePath()
		}
	}
	return s.ok(w, r, account.TwoStepRecovery(page))
}

// twoStepStatus is My account's line about two-step sign-in.
func twoStepStatus(on bool) *account.TwoStep {
	if !on {
		return &account.TwoStep{Status: "Off: you sign in with your password alone"}
	}
	return &account.TwoStep{Status: "On: codes from an authenticator app", On: true}
}

// accountTwoStepOffForm confirms, with the password, turning off one's own two-step sign-in.
// A role that requires it cannot turn it off.
func (s *Server) accountTwoStepOffForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	if refused, err := s.twoStepOffRefused(w, r, u); refused {
		return err
	}
	return s.ok(w, r, account.TwoStepOff(account.TwoStepOffForm{Email: u.Email}))
}

func (s *Server) accountTwoStepOff(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r.Context())
	if refused, err := s.twoStepOffRefused(w, r, u); refused {
		return err
	}
	f := account.TwoStepOffForm{Email: u.Email}
	current := r.PostForm.Get("current")
	if len(current) > 4*auth.MaxPasswordLength {
		f.Errors.Add("current", "Your current password is not right")
	} else if err := s.checkCurrentPassword(w, r, current, &f.Errors, "current"); err != nil {
		return err
	}
	if f.Errors.Any() {
		return s.invalid(w, r, account.TwoStepOff(f))
	}
	if _, err := s.twoStep().TurnOff(r.Context(), u.ID, s.cfg.BaseURL, s.now()); err != nil {
		return err
	}
	return s.seeOther(w, r, "/account", "Two-step sign-in is off. You will sign in with your password alone.")
}

// twoStepOffRefused answers when there is nothing to turn off, or the role requires it.
func (s *Server) twoStepOffRefused(w http.ResponseWriter, r *http.Request, u *auth.User) (bool, error) {
	switch {
	case s.twoStepPolicy().Requires(u.Role):
		return true, s.seeOtherProblem(w, r, twoStepSetUpPath, "Your role needs two-step sign-in, so it cannot be turned off")
	case !u.TwoStep:
		return true, s.seeOther(w, r, twoStepSetUpPath, "")
	}
	return false, nil
}
