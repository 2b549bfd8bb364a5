package admin

import (
	"time"

	"npq/web/components"
)

// UserAccount is one account as the admin pages about accounts show it.
type UserAccount struct {
	ID          int64
	Name        string
	Email       string
	Role        string
	Participant bool // a participant, whose record is at /admin/participants/{id}
	Staff       bool // a staff role, which can be changed
	Partner     string
	Status      string // active, invited, deactivated
	StatusLabel string
	CreatedAt   time.Time
	LastSignIn  *time.Time
	// InvitationExpiresAt is when the waiting invitation expires, or nil.
	InvitationExpiresAt *time.Time
	DeactivatedAt       *time.Time
	Self                bool // the signed-in admin's own account
	TwoStep             bool // two-step sign-in is set up
}

// UserView is an account's page.
type UserView struct {
	Account UserAccount
	// CanResetPassword shows "Send a password reset link" (active accounts with a password).
	CanResetPassword bool
}

// UserRoleForm is the form that changes an account's role or delivery partner.
type UserRoleForm struct {
	Account   UserAccount
	Role      string
	PartnerID string
	Roles     []components.Option
	Partners  []components.Option
	Errors    components.Errors
}

// userPath is an account's page.
func userPath(userID int64) string { return "/admin/users/" + id(userID) }

// userStatusTag is the colour of a status tag.
func userStatusTag(status string) string {
	switch status {
	case "active":
		return "govuk-tag--green"
	case "deactivated":
		return "govuk-tag--grey"
	}
	return "govuk-tag--blue"
}

// UsersFilterForm is the accounts list's search and filters, as typed into the address.
type UsersFilterForm struct {
	Query          string
	Role           string
	PartnerID      string
	Status         string
	SignedInBefore string // YYYY-MM-DD
	Roles          []components.Option
	Partners       []components.Option
	Statuses       []components.Option
	Errors         components.Errors
}

// UsersView is the list of every account.
type UsersView struct {
	Filter UsersFilterForm
	Rows   []UserAccount
	Pager  components.SeekPagination
}
