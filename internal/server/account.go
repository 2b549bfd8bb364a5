package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/account"
	"npq/web/pages/public"
)

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	u, now := currentUser(r.Context()), s.now()
	sessions, err := s.users.LiveSessions(r.Context(), u.ID, now)
	if err != nil {
		return err
	}
	pending, err := s.users.PendingEmailChange(r.Context(), u.ID, now)
	if err != nil {
		return err
	}
	p := accountView(u, sessions, pending, currentSessionID(r.Context()), now)
	p.TwoStep = twoStepStatus(u.TwoStep)
	return s.ok(w, r, account.Account(p))
}

// accountView is My account's view of a user, their sessions and a pending change of address.
func accountView(u *auth.User, sessions []auth.Session, pending *auth.EmailChange, current int64, now time.Time) account.Page {
	p := account.Page{Name: u.Name, Email: u.Email, Role: u.Role.Label()}
	if pending != nil {
		p.PendingEmail, p.PendingUntil = pending.NewEmail, timefmt.DateTime(pending.ExpiresAt)
	}
	for _, x := range sessions {
		p.Sessions = append(p.Sessions, account.SessionRow{ID: x.ID, Device: x.Device(), Address: x.IP,
			SignedIn: timefmt.DateTime(x.CreatedAt), LastSeen: timefmt.Since(x.LastSeenAt, now), Current: x.ID == current})
	}
	return p
}

func (s *Server) accountNameForm(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, account.Name(account.NameForm{Name: currentUser(r.Context()).Name}))
}

func (s *Server) accountNameSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := account.NameForm{Name: field(r, "name")}
	f.Errors.Add("name", auth.NameProblem(f.Name))
	if f.Errors.Any() {
		return s.invalid(w, r, account.Name(f))
	}
	if err := s.users.ChangeName(r.Context(), currentUser(r.Context()).ID, f.Name, clientIP(r)); err != nil {
		return err
	}
	return s.seeOther(w, r, "/account", "Your name is saved")
}

// checkCurrentPassword checks the signed-in user's password with the sign-in limits, so a
// stolen session cannot be used to guess it. A wrong password goes on field.
func (s *Server) checkCurrentPassword(w http.ResponseWriter, r *http.Request, password string, errs *components.Errors, field string) error {
	u := currentUser(r.Context())
	if password == "" {
		errs.Add(field, "Enter your current password")
		return nil
	}
	_, err := s.users.Authenticate(r.Context(), u.Email, password, clientIP(r))
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		errs.Add(field, "Your current password is not right")
		return nil
	case errors.Is(err, auth.ErrRateLimited):
		w.Header().Set("Retry-After", strconv.Itoa(int(auth.SignInWindow.Seconds())))
		return httpError{Status: http.StatusTooManyRequests,
			Message: "Your password has been entered wrongly too many times. For your security, try again in 15 minutes."}
	case errors.Is(err, auth.ErrBusy):
		return errBusy(w)
	}
	return err
}

func (s *Server) accountPasswordForm(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, account.Password(account.PasswordForm{Email: currentUser(r.Context()).Email}))
}

func (s *Server) accountPasswordSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r.Context())
	f := account.PasswordForm{Email: u.Email}
	current, password, confirm := r.PostForm.Get("current"), r.PostForm.Get("password"), r.PostForm.Get("confirm")
	if len(current) > 4*auth.MaxPasswordLength {
		f.Errors.Add("current", "Your current password is not right")
	} else if err := s.checkCurrentPassword(w, r, current, &f.Errors, "current"); err != nil {
		return err
	}
	f.Errors.Add("password", auth.PasswordProblem(password, u.Email))
	switch {
	case f.Errors.For("password") != "":
	case password != confirm:
		f.Errors.Add("confirm", "Passwords do not match: enter the same password twice")
	case password == current:
		f.Errors.Add("password", "Your new password must be different from your current one")
	}
	if f.Errors.Any() {
		return s.invalid(w, r, account.Password(f))
	}
	err := s.users.ChangePassword(r.Context(), *u, password, currentSessionID(r.Context()), clientIP(r), s.cfg.BaseURL, s.now())
	if errors.Is(err, auth.ErrBusy) {
		return errBusy(w)
	}
	if err != nil {
		return err
	}
	// A new token for this browser too: whatever knew the old one knows nothing now.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	return s.seeOther(w, r, "/account", "Your password is changed. You have been signed out everywhere else.")
}

func (s *Server) accountEmailForm(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, account.Email(account.EmailForm{Current: currentUser(r.Context()).Email, ValidHours: int(auth.EmailChangeLifetime.Hours())}))
}

// accountEmailSave sends the link to the new address. Whether that address has an account
// of its own changes nothing in the answer.
func (s *Server) accountEmailSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r.Context())
	f := account.EmailForm{Current: u.Email, Email: field(r, "email"), ValidHours: int(auth.EmailChangeLifetime.Hours())}
	f.Errors.Add("email", auth.EmailProblem(f.Email))
	if f.Errors.For("email") == "" && auth.NormaliseEmail(f.Email) == u.Email {
		f.Errors.Add("email", "That is already your email address: enter a different one")
	}
	password := r.PostForm.Get("password")
	if len(password) > 4*auth.MaxPasswordLength {
		f.Errors.Add("password", "Your current password is not right")
	} else if err := s.checkCurrentPassword(w, r, password, &f.Errors, "password"); err != nil {
		return err
	}
	if f.Errors.Any() {
		return s.invalid(w, r, account.Email(f))
	}
	err := s.users.RequestEmailChange(r.Context(), *u, f.Email, clientIP(r), s.cfg.BaseURL, s.now())
	if err := onField(err, &f.Errors, "email", func() templ.Component { return account.Email(f) }); err != nil {
		return err
	}
	return s.seeOther(w, r, "/account", "We have sent a link to "+auth.NormaliseEmail(f.Email)+". Use it to confirm your new email address.")
}

// usableEmailChange renders the page for an email-change link that cannot be used, or
// returns the change when it can.
func (s *Server) usableEmailChange(w http.ResponseWriter, r *http.Request) (auth.EmailChange, bool, error) {
	c, state, err := s.users.EmailChangeByToken(r.Context(), chi.URLParam(r, "token"), s.now())
	if err != nil {
		return c, false, err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if state == auth.LinkUsable {
		return c, true, nil
	}
	s.emailLinkUnusable(w, r, state)
	return c, false, nil
}

// emailLinkUnusable explains why an email-change link cannot be used.
func (s *Server) emailLinkUnusable(w http.ResponseWriter, r *http.Request, state auth.LinkState) {
	again := "/account/email"
	switch state {
	case auth.LinkUnknown:
		s.render(w, r, http.StatusNotFound, public.LinkUnusable("This confirmation link is not valid",
			"Check you copied the whole link from the email. If it still does not work, ask for the change again from My account.", again, "Change your email address"))
	case auth.LinkExpired:
		s.render(w, r, http.StatusGone, public.LinkUnusable("This confirmation link has expired",
			"Confirmation links work for "+strconv.Itoa(int(auth.EmailChangeLifetime.Hours()))+" hours. Your email address has not changed: ask for the change again from My account.", again, "Change your email address"))
	case auth.LinkReplaced:
		s.render(w, r, http.StatusGone, public.LinkUnusable("This confirmation link has been replaced",
			"You asked for another change of address since, so this link no longer works. Use the link in the latest email.", again, "Change your email address"))
	default:
		s.render(w, r, http.StatusGone, public.LinkUnusable("This confirmation link has already been used",
			"Each confirmation link works once. Your email address has already changed: sign in with the new one.", "/account", "Go to My account"))
	}
}

func (s *Server) accountEmailConfirmForm(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.usableEmailChange(w, r)
	if err != nil || !ok {
		return err
	}
	return s.ok(w, r, account.ConfirmEmail(chi.URLParam(r, "token"), c.User.Email, c.NewEmail))
}

// accountEmailConfirm changes the address. The browser that confirms stays signed in when it
// is the account's; every other session of the account ends.
func (s *Server) accountEmailConfirm(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.usableEmailChange(w, r)
	if err != nil || !ok {
		return err
	}
	var keep int64
	if u := currentUser(r.Context()); u != nil && u.ID == c.User.ID {
		keep = currentSessionID(r.Context())
	}
	u, err := s.users.ConfirmEmailChange(r.Context(), chi.URLParam(r, "token"), keep, clientIP(r), s.cfg.BaseURL, s.now())
	switch {
	case errors.Is(err, auth.ErrLinkUnusable):
		s.emailLinkUnusable(w, r, auth.LinkUsed)
		return nil
	case errors.Is(err, auth.ErrEmailTaken):
		s.render(w, r, http.StatusConflict, public.LinkUnusable("This email address cannot be used",
			"Another account uses this address now, so your email address has not changed. Choose another address.", "/account/email", "Change your email address"))
		return nil
	case err != nil:
		return err
	}
	if keep == 0 {
		return s.seeOther(w, r, "/sign-in", "Your email address is now "+u.Email+". Sign in with it.")
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	return s.seeOther(w, r, "/account", "Your email address is now "+u.Email)
}

func (s *Server) accountSessionSignOut(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "session")
	if err != nil {
		return err
	}
	if id == currentSessionID(r.Context()) {
		return s.seeOtherProblem(w, r, "/account", "To sign out of this device, use Sign out at the top of the page.")
	}
	ended, err := s.users.SignOutSession(r.Context(), currentUser(r.Context()).ID, id, clientIP(r), s.now())
	if err != nil {
		return err
	}
	if !ended {
		return s.seeOtherProblem(w, r, "/account", "That device was already signed out.")
	}
	return s.seeOther(w, r, "/account", "That device is signed out")
}

func (s *Server) accountSessionsSignOutOthers(w http.ResponseWriter, r *http.Request) error {
	n, err := s.users.SignOutOtherSessions(r.Context(), currentUser(r.Context()).ID, currentSessionID(r.Context()), clientIP(r), s.now())
	if err != nil {
		return err
	}
	if n == 0 {
		return s.seeOther(w, r, "/account", "You were not signed in anywhere else")
	}
	return s.seeOther(w, r, "/account", "You are signed out everywhere else")
}
