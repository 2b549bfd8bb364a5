package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"npq/internal/audit"
	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/problem"
	"npq/web/components"
	"npq/web/pages/admin"
)

// adminUserRoutes registers the pages where admins look after everyone's accounts: leavers,
// changes of role or partner, invitations and password resets.
func (s *Server) adminUserRoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/users", admins, s.adminUsers)
	s.handle(r, "GET", "/admin/users/{user}", admins, s.adminUser)
	s.handle(r, "GET", "/admin/users/{user}/deactivate", admins, s.adminUserDeactivateForm)
	s.handle(r, "POST", "/admin/users/{user}/deactivate", admins, s.adminUserDeactivate)
	s.handle(r, "POST", "/admin/users/{user}/reactivate", admins, s.adminUserReactivate)
	s.handle(r, "GET", "/admin/users/{user}/role", admins, s.adminUserRoleForm)
	s.handle(r, "POST", "/admin/users/{user}/role", admins, s.adminUserRoleSave)
	s.handle(r, "POST", "/admin/users/{user}/invitation", admins, s.adminUserInvite)
	s.handle(r, "POST", "/admin/users/{user}/password-reset", admins, s.adminUserPasswordReset)
	s.handle(r, "POST", "/admin/invitations/{invitation}/resend", admins, s.adminInvitationResend)
}

// accountFor reads the {user} in the address and returns that account.
func (s *Server) accountFor(r *http.Request) (auth.Account, error) {
	id, err := urlID(r, "user")
	if err != nil {
		return auth.Account{}, err
	}
	a, err := s.users.AccountByID(r.Context(), id)
	if errors.Is(err, database.ErrNotFound) {
		return a, errNotFound
	}
	return a, err
}

// userAccountView is an account as the admin views show it.
func userAccountView(a auth.Account, me *auth.User) admin.UserAccount {
	staff := false
	for _, r := range auth.StaffRoles {
		staff = staff || a.Role == r
	}
	return admin.UserAccount{ID: a.ID, Name: a.Name, Email: a.Email, Role: a.Role.Label(),
		Participant: a.Role == auth.RoleParticipant, Staff: staff, Partner: a.PartnerName,
		Status: string(a.Status()), StatusLabel: a.Status().Label(), CreatedAt: a.CreatedAt, LastSignIn: a.LastSignIn,
		InvitationExpiresAt: a.InvitationExpiresAt, DeactivatedAt: a.DeactivatedAt, Self: me != nil && me.ID == a.ID,
		TwoStep: a.TwoStep}
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.User(admin.UserView{Account: userAccountView(a, currentUser(r.Context())),
		CanResetPassword: a.Status() == auth.StatusActive}))
}

func (s *Server) adminUserDeactivateForm(w http.ResponseWriter, r *http.Request) error {
	if s.requireRecentCode(w, r, "/admin/users/"+chi.URLParam(r, "user")+"/deactivate") {
		return nil
	}
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	// Refusals (yourself, the last admin, already deactivated) are said before asking.
	me := currentUser(r.Context())
	if ps := (auth.AccountChange{Kind: auth.ChangeDeactivate, ActorID: me.ID, Target: a.User, ActiveAdmin: 2}).Check(); len(ps) > 0 {
		return s.seeOtherProblem(w, r, fmt.Sprintf("/admin/users/%d", a.ID), ps[0].Message)
	}
	return s.ok(w, r, admin.UserDeactivate(userAccountView(a, me)))
}

// changeAccount makes a change and goes back to the account's page saying what happened.
func (s *Server) changeAccount(w http.ResponseWriter, r *http.Request, c auth.AccountChange, flash string) error {
	back := fmt.Sprintf("/admin/users/%d", c.Target.ID)
	err := s.users.ChangeAccount(r.Context(), c)
	if errors.Is(err, database.ErrNotFound) {
		return errNotFound
	}
	return s.seeOtherAfter(w, r, err, back, flash)
}

func (s *Server) adminUserDeactivate(w http.ResponseWriter, r *http.Request) error {
	if s.requireRecentCode(w, r, "/admin/users/"+chi.URLParam(r, "user")+"/deactivate") {
		return nil
	}
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	return s.changeAccount(w, r, auth.AccountChange{Kind: auth.ChangeDeactivate, ActorID: currentUser(r.Context()).ID, Target: a.User},
		a.Name+"’s account is deactivated. They have been signed out and cannot sign in")
}

func (s *Server) adminUserReactivate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	return s.changeAccount(w, r, auth.AccountChange{Kind: auth.ChangeReactivate, ActorID: currentUser(r.Context()).ID, Target: a.User},
		a.Name+"’s account is active again. They can sign in with their password")
}

// userRoleOptions fills the role and partner choices of the role form.
func (s *Server) userRoleOptions(r *http.Request, f *admin.UserRoleForm) error {
	partners, err := s.users.DeliveryPartners(r.Context())
	if err != nil {
		return err
	}
	f.Roles = nil
	for _, role := range auth.StaffRoles {
		f.Roles = append(f.Roles, components.Option{Value: string(role), Label: role.Label()})
	}
	f.Partners = []components.Option{{Value: "", Label: "Not a delivery partner's staff"}}
	for _, p := range partners {
		f.Partners = append(f.Partners, components.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	return nil
}

func (s *Server) adminUserRoleForm(w http.ResponseWriter, r *http.Request) error {
	if s.requireRecentCode(w, r, "/admin/users/"+chi.URLParam(r, "user")+"/role") {
		return nil
	}
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	f := admin.UserRoleForm{Account: userAccountView(a, currentUser(r.Context())), Role: string(a.Role)}
	if a.DeliveryPartnerID != nil {
		f.PartnerID = strconv.FormatInt(*a.DeliveryPartnerID, 10)
	}
	switch {
	case !f.Account.Staff:
		return s.seeOtherProblem(w, r, fmt.Sprintf("/admin/users/%d", a.ID),
			"A participant's role cannot be changed. Invite them as staff with a work email address")
	case a.Deactivated():
		return s.seeOtherProblem(w, r, fmt.Sprintf("/admin/users/%d", a.ID), "Reactivate this account before changing its role")
	}
	if err := s.userRoleOptions(r, &f); err != nil {
		return err
	}
	return s.ok(w, r, admin.UserRole(f))
}

// userRoleFields are the role form's fields in the order their problems are listed.
var userRoleFields = []string{"role", "partner"}

func (s *Server) adminUserRoleSave(w http.ResponseWriter, r *http.Request) error {
	if s.requireRecentCode(w, r, "/admin/users/"+chi.URLParam(r, "user")+"/role") {
		return nil
	}
	if err := parseForm(r); err != nil {
		return err
	}
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	me := currentUser(r.Context())
	f := admin.UserRoleForm{Account: userAccountView(a, me), Role: field(r, "role"), PartnerID: field(r, "partner")}
	if err := s.userRoleOptions(r, &f); err != nil {
		return err
	}
	c := auth.AccountChange{Kind: auth.ChangeRole, ActorID: me.ID, Target: a.User, NewRole: auth.Role(f.Role), ActiveAdmin: 2}
	var ps problem.Problems
	readChoice(&ps, "role", f.Role, f.Roles, "Select a role", "Select one of the roles listed")
	if f.PartnerID != "" && readChoice(&ps, "partner", f.PartnerID, f.Partners, "", "Select one of the delivery partners listed") {
		id, _ := strconv.ParseInt(f.PartnerID, 10, 64)
		c.NewPartner = &id
	}
	// The last-admin rule is checked again with the real count when the change is made.
	ps.Merge(c.Check())
	addProblems(&f.Errors, ps.Sorted(userRoleFields...))
	if f.Errors.Any() {
		return s.invalid(w, r, admin.UserRole(f))
	}
	err = s.users.ChangeAccount(r.Context(), c)
	if errors.Is(err, database.ErrNotFound) {
		return errNotFound
	}
	if err := onField(err, &f.Errors, "role", func() templ.Component { return admin.UserRole(f) }); err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("/admin/users/%d", a.ID), a.Name+"’s role is changed. They have been signed out, so it applies at once")
}

func (s *Server) adminUserInvite(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/admin/users/%d", a.ID)
	if a.Status() != auth.StatusInvited {
		return s.seeOtherProblem(w, r, back, "This account has been activated already, so it needs no invitation")
	}
	me := currentUser(r.Context())
	_, err = s.users.Invite(r.Context(), auth.NewInvitation{Email: a.Email, Name: a.Name, Role: a.Role,
		DeliveryPartnerID: a.DeliveryPartnerID, InvitedBy: me.ID}, s.cfg.BaseURL)
	if errors.Is(err, auth.ErrEmailTaken) {
		return s.seeOtherProblem(w, r, back, "This account has been activated already, so it needs no invitation")
	}
	if err != nil {
		return err
	}
	if err := audit.Record(r.Context(), s.pool, me.ID, "user.invitation_resent", fmt.Sprintf("user:%d", a.ID), nil); err != nil {
		return err
	}
	return s.seeOther(w, r, back, "A new invitation is on its way to "+a.Email+". Earlier links no longer work")
}

// readUsersFilter reads the accounts list's filters from the address; its problems are on
// the form. partners are the delivery partners to choose from.
func readUsersFilter(q url.Values, query string, partners []auth.DeliveryPartner) (auth.AccountFilter, admin.UsersFilterForm) {
	form := admin.UsersFilterForm{Query: query, Role: q.Get("role"), PartnerID: q.Get("partner"), Status: q.Get("status"),
		SignedInBefore: strings.TrimSpace(q.Get("signed-in-before"))}
	form.Roles = []components.Option{{Value: "", Label: "Any role"}}
	for _, role := range auth.Roles {
		form.Roles = append(form.Roles, components.Option{Value: string(role), Label: role.Label()})
	}
	form.Partners = []components.Option{{Value: "", Label: "Any delivery partner"}}
	for _, p := range partners {
		form.Partners = append(form.Partners, components.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	form.Statuses = []components.Option{{Value: "", Label: "Any status"}}
	for _, st := range auth.AccountStatuses {
		form.Statuses = append(form.Statuses, components.Option{Value: string(st), Label: st.Label()})
	}
	f := auth.AccountFilter{Query: query, Role: auth.Role(form.Role), Status: auth.AccountStatus(form.Status)}
	if form.Role != "" && !hasOption(form.Roles, form.Role) {
		form.Errors.Add("role", "Select one of the roles listed")
	}
	if form.PartnerID != "" {
		if !hasOption(form.Partners, form.PartnerID) {
			form.Errors.Add("partner", "Select one of the delivery partners listed")
		} else {
			f.PartnerID, _ = strconv.ParseInt(form.PartnerID, 10, 64)
		}
	}
	if form.Status != "" && !hasOption(form.Statuses, form.Status) {
		form.Errors.Add("status", "Select one of the statuses listed")
	}
	var msg string
	if f.SignedInBefore, msg = filterDay(form.SignedInBefore, "last signed in before"); msg != "" {
		form.Errors.Add("signed-in-before", msg)
	}
	return f, form
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	req, err := listing.Read(r.URL.Query())
	if err != nil {
		return errBadPage
	}
	pos := auth.AccountPosition{Backward: req.Backward()}
	if c := req.Cursor(); c != nil {
		if len(c) != 2 {
			return errBadPage
		}
		pos.Name = c[0]
		if pos.ID, err = strconv.ParseInt(c[1], 10, 64); err != nil {
			return errBadPage
		}
	}
	partners, err := s.users.DeliveryPartners(r.Context())
	if err != nil {
		return err
	}
	f, form := readUsersFilter(r.URL.Query(), req.Query, partners)
	v := admin.UsersView{Filter: form}
	if form.Errors.Any() {
		return s.invalid(w, r, admin.Users(v))
	}
	rows, err := s.users.Accounts(r.Context(), f, pos, req.Limit())
	if err != nil {
		return err
	}
	page := listing.Cut(rows, req, func(a auth.Account) listing.Cursor {
		return listing.Cursor{a.Name, strconv.FormatInt(a.ID, 10)}
	})
	me := currentUser(r.Context())
	for _, a := range page.Rows {
		v.Rows = append(v.Rows, userAccountView(a, me))
	}
	v.Pager.PrevHref, v.Pager.NextHref = page.Links(r.URL)
	v.Pager.Label = "Users pages"
	return s.ok(w, r, admin.Users(v))
}

// adminInvitationResend sends an invitation that was not accepted again, with a new link
// that replaces the old one: for someone whose link expired or whose email went astray.
func (s *Server) adminInvitationResend(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "invitation")
	if err != nil {
		return err
	}
	inv, err := s.users.InvitationByID(r.Context(), id)
	if errors.Is(err, database.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if inv.AcceptedAt != nil {
		return s.seeOtherProblem(w, r, "/admin/invitations", inv.Email+" accepted this invitation already")
	}
	_, err = s.users.Invite(r.Context(), auth.NewInvitation{Email: inv.Email, Name: inv.Name, Role: inv.Role,
		DeliveryPartnerID: inv.DeliveryPartnerID, InvitedBy: currentUser(r.Context()).ID}, s.cfg.BaseURL)
	if errors.Is(err, auth.ErrEmailTaken) {
		return s.seeOtherProblem(w, r, "/admin/invitations", "An account with the address "+inv.Email+" is active already, so it needs no invitation")
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/invitations", "A new invitation is on its way to "+inv.Email+". Earlier links no longer work")
}

// adminUserPasswordReset emails an active account a forgotten-password link; the admin never
// sees it.
func (s *Server) adminUserPasswordReset(w http.ResponseWriter, r *http.Request) error {
	a, err := s.accountFor(r)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/admin/users/%d", a.ID)
	if a.Status() != auth.StatusActive {
		return s.seeOtherProblem(w, r, back, "Only an active account with a password can be sent a password reset link")
	}
	if err := s.users.SendPasswordReset(r.Context(), a.ID, currentUser(r.Context()).ID, s.cfg.BaseURL, s.now()); err != nil {
		return err
	}
	return s.seeOther(w, r, back, "A password reset link is on its way to "+a.Email+". It works once, for an hour")
}
