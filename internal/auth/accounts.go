package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/problem"
)

// AccountStatus is where an account is in its life.
type AccountStatus string

// The statuses of an account.
const (
	StatusActive      AccountStatus = "active"
	StatusInvited     AccountStatus = "invited" // made by an enrolment or invitation, no password set yet
	StatusDeactivated AccountStatus = "deactivated"
)

// AccountStatuses lists the statuses in the order filters show them.
var AccountStatuses = []AccountStatus{StatusActive, StatusInvited, StatusDeactivated}

// Label is the status as people say it.
func (s AccountStatus) Label() string {
	switch s {
	case StatusActive:
		return "Active"
	case StatusInvited:
		return "Not yet activated"
	case StatusDeactivated:
		return "Deactivated"
	}
	return string(s)
}

// Account is a user as the admin pages about accounts show them.
type Account struct {
	User
	PartnerName string
	CreatedAt   time.Time
	LastSignIn  *time.Time
	Activated   bool // a password has been set
	// InvitationExpiresAt is when the latest waiting invitation for the address expires, or nil.
	InvitationExpiresAt *time.Time
}

// Status is the account's status.
func (a Account) Status() AccountStatus {
	switch {
	case a.Deactivated():
		return StatusDeactivated
	case !a.Activated:
		return StatusInvited
	}
	return StatusActive
}

// ChangeKind is a change an admin makes to someone's account.
type ChangeKind string

// The changes an admin can make.
const (
	ChangeDeactivate ChangeKind = "deactivate"
	ChangeReactivate ChangeKind = "reactivate"
	ChangeRole       ChangeKind = "role"
)

// AccountChange is one admin's change to one account, with what the rules need to know.
type AccountChange struct {
	Kind        ChangeKind
	ActorID     int64
	Target      User
	NewRole     Role   // for ChangeRole
	NewPartner  *int64 // for ChangeRole to partner staff
	ActiveAdmin int    // active provider admins, the target included
}

// StaffRoles are the roles a change of role may move between; a participant's account is
// about their own learning and stays a participant's.
var StaffRoles = []Role{RolePartnerStaff, RoleProviderAdmin, RoleAssessor}

// Check returns the reasons the change may not be made: nobody deactivates or demotes
// themselves, and the last active admin stays an active admin.
func (c AccountChange) Check() problem.Problems {
	var ps problem.Problems
	self := c.ActorID == c.Target.ID
	lastAdmin := c.Target.Role == RoleProviderAdmin && !c.Target.Deactivated() && c.ActiveAdmin <= 1
	switch c.Kind {
	case ChangeDeactivate:
		switch {
		case c.Target.Deactivated():
			ps.Add("", "This account is already deactivated")
		case self:
			ps.Add("", "You cannot deactivate your own account. Ask another admin to do it")
		case lastAdmin:
			ps.Add("", "You cannot deactivate the last active lead provider admin. Make someone else an admin first")
		}
	case ChangeReactivate:
		if !c.Target.Deactivated() {
			ps.Add("", "This account is already active")
		}
	case ChangeRole:
		ps.Merge(c.checkRole(self, lastAdmin))
	default:
		ps.Add("", "Choose a change to make")
	}
	return ps
}

// checkRole checks a change of role or partner.
func (c AccountChange) checkRole(self, lastAdmin bool) problem.Problems {
	var ps problem.Problems
	isStaff := func(r Role) bool {
		for _, s := range StaffRoles {
			if r == s {
				return true
			}
		}
		return false
	}
	switch {
	case c.Target.Deactivated():
		ps.Add("", "Reactivate this account before changing its role")
	case !isStaff(c.Target.Role):
		ps.Add("role", "A participant's role cannot be changed. Invite them as staff with a work email address")
	case c.NewRole == "":
		ps.Add("role", "Select a role")
	case !isStaff(c.NewRole):
		ps.Add("role", "Select one of the roles listed")
	case self && c.NewRole != RoleProviderAdmin:
		ps.Add("role", "You cannot remove your own admin role. Ask another admin to do it")
	case lastAdmin && c.NewRole != RoleProviderAdmin:
		ps.Add("role", "You cannot change the role of the last active lead provider admin. Make someone else an admin first")
	}
	switch {
	case c.NewRole == RolePartnerStaff && c.NewPartner == nil:
		ps.Add("partner", "Select the delivery partner they work for")
	case c.NewRole != RolePartnerStaff && c.NewRole != "" && c.NewPartner != nil:
		ps.Add("partner", "Only delivery partner staff belong to a delivery partner")
	}
	if len(ps) == 0 && c.NewRole == c.Target.Role && samePartner(c.NewPartner, c.Target.DeliveryPartnerID) {
		ps.Add("role", "Choose a different role or delivery partner, or cancel")
	}
	return ps
}

func samePartner(a, b *int64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

const accountColumns = `u.id, u.email, u.name, u.role, u.delivery_partner_id, u.password_hash, u.deactivated_at,
	u.session_version, EXISTS (SELECT FROM two_step t WHERE t.user_id = u.id),
	coalesce(p.name, ''), u.created_at, u.last_sign_in_at, u.password_hash <> ''`

func scanAccount(r pgx.Row) (Account, error) {
	var a Account
	err := r.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.DeliveryPartnerID, &a.PasswordHash, &a.DeactivatedAt,
		&a.SessionVersion, &a.TwoStep, &a.PartnerName, &a.CreatedAt, &a.LastSignIn, &a.Activated, &a.InvitationExpiresAt)
	a.PasswordHash = ""
	return a, err
}

// AccountByID returns one account with its partner, last sign-in and any waiting invitation.
func (s Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(s.DB.QueryRow(ctx, `SELECT `+accountColumns+`,
		(SELECT max(i.expires_at) FROM invitations i WHERE i.email = u.email AND i.accepted_at IS NULL AND i.expires_at > now())
		FROM users u LEFT JOIN delivery_partners p ON p.id = u.delivery_partner_id WHERE u.id = $1`, id))
	if database.IsNoRows(err) {
		return a, database.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("auth: account %d: %w", id, err)
	}
	return a, nil
}

// ChangeAccount makes an admin's change to an account, if Check allows it, in one
// transaction that holds every active admin's row so that two admins cannot each remove
// the other. Deactivating ends the account's sessions and cancels its waiting invitations;
// a new role or partner ends its sessions too, so the change applies at once. The change
// is audited.
func (s Store) ChangeAccount(ctx context.Context, c AccountChange) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT id FROM users WHERE role = 'provider_admin' AND deactivated_at IS NULL
			ORDER BY id FOR UPDATE`); err != nil {
			return err
		}
		t, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, c.Target.ID))
		if err != nil {
			return err
		}
		c.Target = t
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'provider_admin' AND deactivated_at IS NULL`).
			Scan(&c.ActiveAdmin); err != nil {
			return err
		}
		if ps := c.Check(); len(ps) > 0 {
			return ps[0]
		}
		return applyChange(ctx, tx, c)
	})
	if err != nil {
		var p problem.Problem
		if errors.As(err, &p) || errors.Is(err, database.ErrNotFound) {
			return err
		}
		return fmt.Errorf("auth: change account %d: %w", c.Target.ID, err)
	}
	return nil
}

// applyChange writes a checked change and its audit entry.
func applyChange(ctx context.Context, tx pgx.Tx, c AccountChange) error {
	subject := fmt.Sprintf("user:%d", c.Target.ID)
	switch c.Kind {
	case ChangeDeactivate:
		if _, err := tx.Exec(ctx, `UPDATE users SET deactivated_at = now(), session_version = session_version + 1
			WHERE id = $1`, c.Target.ID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE invitations SET expires_at = now()
			WHERE email = $1 AND accepted_at IS NULL AND expires_at > now()`, c.Target.Email)
		if err != nil {
			return err
		}
		if err := endAccountAccess(ctx, tx, c.Target.ID, EndedDeactivated); err != nil {
			return err
		}
		return audit.Record(ctx, tx, c.ActorID, "user.deactivated", subject,
			map[string]any{"invitations_cancelled": tag.RowsAffected()})
	case ChangeReactivate:
		if _, err := tx.Exec(ctx, `UPDATE users SET deactivated_at = NULL WHERE id = $1`, c.Target.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, c.ActorID, "user.reactivated", subject, nil)
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET role = $2, delivery_partner_id = $3, session_version = session_version + 1
		WHERE id = $1`, c.Target.ID, c.NewRole, c.NewPartner); err != nil {
		return err
	}
	if _, err := EndSessions(ctx, tx, c.Target.ID, 0, EndedRoleChanged, time.Now()); err != nil {
		return err
	}
	action := "user.role_changed"
	if c.NewRole == c.Target.Role {
		action = "user.partner_changed"
	}
	var from, to string
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT name FROM delivery_partners WHERE id = $1), ''),
		coalesce((SELECT name FROM delivery_partners WHERE id = $2), '')`, c.Target.DeliveryPartnerID, c.NewPartner).Scan(&from, &to); err != nil {
		return err
	}
	return audit.Record(ctx, tx, c.ActorID, action, subject, map[string]any{
		"from": roleAt(c.Target.Role, from), "to": roleAt(c.NewRole, to)})
}

// AccountFilter narrows the list of accounts. Zero fields do not filter.
type AccountFilter struct {
	Query          string // part of the name or email address
	Role           Role
	PartnerID      int64
	Status         AccountStatus
	SignedInBefore time.Time // last signed in before this, or never
}

// AccountPosition is where a page of accounts starts: after (or, backward, before) the
// account with this sort name and id; the zero AccountPosition is the first account.
type AccountPosition struct {
	Name     string // the account's name (compared lower-cased)
	ID       int64
	Backward bool
}

// where builds the filter's conditions, numbering its parameters from 1.
func (f AccountFilter) where() (string, []any) {
	conds := []string{"true"}
	var args []any
	add := func(cond string, vs ...any) {
		for _, v := range vs {
			args = append(args, v)
			cond = strings.Replace(cond, "$?", fmt.Sprintf("$%d", len(args)), 1)
		}
		conds = append(conds, cond)
	}
	if f.Query != "" {
		like := "%" + likeEscape(strings.ToLower(strings.TrimSpace(f.Query))) + "%"
		add("(lower(u.name) LIKE $? OR u.email LIKE $?)", like, like)
	}
	if f.Role != "" {
		add("u.role = $?", f.Role)
	}
	if f.PartnerID != 0 {
		add("u.delivery_partner_id = $?", f.PartnerID)
	}
	switch f.Status {
	case StatusActive:
		add("(u.deactivated_at IS NULL AND u.password_hash <> '')")
	case StatusInvited:
		add("(u.deactivated_at IS NULL AND u.password_hash = '')")
	case StatusDeactivated:
		add("u.deactivated_at IS NOT NULL")
	}
	if !f.SignedInBefore.IsZero() {
		add("(u.last_sign_in_at IS NULL OR u.last_sign_in_at < $?)", f.SignedInBefore)
	}
	return strings.Join(conds, " AND "), args
}

// Accounts returns up to limit accounts matching f from pos, by name (backward: the accounts
// just before pos, last first, for the caller to reverse).
func (s Store) Accounts(ctx context.Context, f AccountFilter, pos AccountPosition, limit int) ([]Account, error) {
	where, args := f.where()
	order := "lower(u.name), u.id"
	if pos.ID != 0 {
		cmp := ">"
		if pos.Backward {
			cmp = "<"
		}
		args = append(args, pos.Name, pos.ID)
		where += fmt.Sprintf(" AND (lower(u.name), u.id) %s (lower($%d), $%d)", cmp, len(args)-1, len(args))
	}
	if pos.Backward {
		order = "lower(u.name) DESC, u.id DESC"
	}
	args = append(args, limit)
	rows, err := s.DB.Query(ctx, `SELECT `+accountColumns+`, NULL::timestamptz
		FROM users u LEFT JOIN delivery_partners p ON p.id = u.delivery_partner_id
		WHERE `+where+` ORDER BY `+order+fmt.Sprintf(" LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("auth: accounts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
	if err != nil {
		return nil, fmt.Errorf("auth: accounts: %w", err)
	}
	return out, nil
}

// likeEscape stops a search's own % and _ from acting as wildcards.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// roleAt is a role in words, with the delivery partner for partner staff.
func roleAt(r Role, partner string) string {
	if partner == "" {
		return r.Label()
	}
	return r.Label() + " at " + partner
}

// InvitationByID returns one invitation as the admin list shows it.
func (s Store) InvitationByID(ctx context.Context, id int64) (InvitationSummary, error) {
	var i InvitationSummary
	err := s.DB.QueryRow(ctx, `
		SELECT i.id, i.email, i.name, i.role, i.delivery_partner_id, i.expires_at, i.accepted_at,
		       coalesce(p.name, ''), i.created_at
		FROM invitations i LEFT JOIN delivery_partners p ON p.id = i.delivery_partner_id WHERE i.id = $1`, id).
		Scan(&i.ID, &i.Email, &i.Name, &i.Role, &i.DeliveryPartnerID, &i.ExpiresAt, &i.AcceptedAt, &i.PartnerName, &i.CreatedAt)
	if database.IsNoRows(err) {
		return i, database.ErrNotFound
	}
	if err != nil {
		return i, fmt.Errorf("auth: invitation %d: %w", id, err)
	}
	return i, nil
}
