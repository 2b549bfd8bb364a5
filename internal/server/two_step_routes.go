package server

import (
	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
)

// twoStepSetUpPath is where someone whose role requires two-step sign-in is sent until they
// have set it up.
const twoStepSetUpPath = "/account/two-step"

// settingUpTwoStep lets everyone signed in set up two-step sign-in, including those who may
// do nothing else until they have.
var settingUpTwoStep = access{roles: auth.Roles, beforeTwoStep: true}

// mustSetUpTwoStep reports whether u's role requires two-step sign-in and u has not set it up.
func (s *Server) mustSetUpTwoStep(u *auth.User) bool {
	return !u.TwoStep && s.twoStepPolicy().Requires(u.Role)
}

func (s *Server) twoStepPolicy() auth.TwoStepPolicy {
	return auth.TwoStepPolicy{PartnerStaff: s.cfg.TwoStepPartnerStaff}
}

// twoStepRoutes registers two-step sign-in: the code asked for after the password, setting
// it up from My account, and an admin resetting someone's set-up.
func (s *Server) twoStepRoutes(r chi.Router) {
	s.handle(r, "GET", "/sign-in/two-step", publicAccess, noStore(s.signInCodeForm))
	s.handle(r, "POST", "/sign-in/two-step", publicAccess, noStore(s.signInCode))
	s.handle(r, "GET", twoStepSetUpPath, settingUpTwoStep, noStore(s.accountTwoStepForm))
	s.handle(r, "POST", twoStepSetUpPath, settingUpTwoStep, noStore(s.accountTwoStepSave))
	s.handle(r, "GET", "/account/two-step/off", signedIn, noStore(s.accountTwoStepOffForm))
	s.handle(r, "POST", "/account/two-step/off", signedIn, noStore(s.accountTwoStepOff))
	s.handle(r, "GET", "/step-up", signedIn, noStore(s.stepUpForm))
	s.handle(r, "POST", "/step-up", signedIn, noStore(s.stepUp))
	s.handle(r, "GET", "/admin/users/{user}/two-step", admins, s.adminUserTwoStepForm)
	s.handle(r, "POST", "/admin/users/{user}/two-step", admins, s.adminUserTwoStepReset)
}
