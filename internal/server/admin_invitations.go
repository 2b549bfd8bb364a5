package server

import (
	"errors"
	"net/http"
	"strconv"

	"npq/internal/auth"
	"npq/internal/problem"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) adminInvitations(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.users.RecentInvitations(r.Context(), 100)
	if err != nil {
		return err
	}
	now := s.now()
	out := make([]admin.InvitationRow, len(rows))
	for i, inv := range rows {
		out[i] = admin.InvitationRow{ID: inv.ID, Email: inv.Email, Name: inv.Name, Role: inv.Role.Label(), Partner: inv.PartnerName,
			CreatedAt: inv.CreatedAt, Status: inv.Status(now)}
	}
	return s.ok(w, r, admin.Invitations(out))
}

// invitationFormOptions fills the role and partner choices of the invite form.
func (s *Server) invitationFormOptions(r *http.Request, f *admin.InvitationForm) error {
	partners, err := s.users.DeliveryPartners(r.Context())
	if err != nil {
		return err
	}
	f.Roles = nil
	for _, role := range auth.Roles {
		f.Roles = append(f.Roles, components.Option{Value: string(role), Label: role.Label()})
	}
	f.Partners = []components.Option{{Value: "", Label: "Not a delivery partner's staff"}}
	for _, p := range partners {
		f.Partners = append(f.Partners, components.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	return nil
}

func (s *Server) adminInvitationForm(w http.ResponseWriter, r *http.Request) error {
	var f admin.InvitationForm
	if err := s.invitationFormOptions(r, &f); err != nil {
		return err
	}
	return s.ok(w, r, admin.InvitationNew(f))
}

// invitationFields are the invitation form's fields in the order their problems are listed.
var invitationFields = []string{"name", "email", "role", "partner"}

func (s *Server) adminInvitationCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := admin.InvitationForm{Name: field(r, "name"), Email: field(r, "email"), Role: field(r, "role"), PartnerID: field(r, "partner")}
	if err := s.invitationFormOptions(r, &f); err != nil {
		return err
	}
	n := auth.NewInvitation{Email: f.Email, Name: f.Name, Role: auth.Role(f.Role), InvitedBy: currentUser(r.Context()).ID}
	var ps problem.Problems
	// No partner is a choice too: only delivery partner staff have one (see Check).
	if f.PartnerID != "" && readChoice(&ps, "partner", f.PartnerID, f.Partners, "", "Select one of the delivery partners listed") {
		id, _ := strconv.ParseInt(f.PartnerID, 10, 64)
		n.DeliveryPartnerID = &id
	}
	ps.Merge(n.Check())
	addProblems(&f.Errors, ps.Sorted(invitationFields...))
	if f.Errors.Any() {
		return s.invalid(w, r, admin.InvitationNew(f))
	}
	_, err := s.users.Invite(r.Context(), n, s.cfg.BaseURL)
	if errors.Is(err, auth.ErrEmailTaken) {
		f.Errors.Add("email", "An account with this email address already exists")
		return s.invalid(w, r, admin.InvitationNew(f))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/invitations", "Invitation sent to "+auth.NormaliseEmail(f.Email))
}
