package server

import (
	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
)

// signedIn lets in everyone who is signed in, whatever their role: their own account.
var signedIn = access{roles: auth.Roles}

// accountRoutes registers forgotten passwords, My account, and the privacy notice.
func (s *Server) accountRoutes(r chi.Router) {
	// Forgotten passwords: asking for a link, and setting a new password with it.
	s.handle(r, "GET", "/forgotten-password", publicAccess, s.forgottenPasswordForm)
	s.handle(r, "POST", "/forgotten-password", publicAccess, s.forgottenPasswordSend)
	s.handle(r, "GET", "/reset-password/{token}", publicAccess, noStore(s.resetPasswordForm))
	s.handle(r, "POST", "/reset-password/{token}", publicAccess, noStore(s.resetPassword))

	// My account: details, password, email address (confirmed from the new address, by a
	// link that works signed in or not) and where the account is signed in.
	s.handle(r, "GET", "/account", signedIn, s.accountPage)
	s.handle(r, "GET", "/account/name", signedIn, s.accountNameForm)
	s.handle(r, "POST", "/account/name", signedIn, s.accountNameSave)
	s.handle(r, "GET", "/account/password", signedIn, s.accountPasswordForm)
	s.handle(r, "POST", "/account/password", signedIn, s.accountPasswordSave)
	s.handle(r, "GET", "/account/email", signedIn, s.accountEmailForm)
	s.handle(r, "POST", "/account/email", signedIn, s.accountEmailSave)
	s.handle(r, "GET", "/account/email/{token}", publicAccess, noStore(s.accountEmailConfirmForm))
	s.handle(r, "POST", "/account/email/{token}", publicAccess, noStore(s.accountEmailConfirm))
	s.handle(r, "POST", "/account/sessions/sign-out-others", signedIn, s.accountSessionsSignOutOthers)
	s.handle(r, "POST", "/account/sessions/{session}/sign-out", signedIn, s.accountSessionSignOut)

	// The privacy notice, linked from every page's footer.
	s.handle(r, "GET", "/privacy", publicAccess, s.publicPrivacy)
}
