package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/auth"
)

// Leaver is a delivery partner's staff member who has left: the account is deactivated, so
// signing in with it is refused, and its records and audit entries stay.
var Leaver = Account{Email: "leaver@demo.test", Name: "Lee Leaver", Role: auth.RolePartnerStaff, Partner: 0}

// demoOrigin is where the demo's own audit entries say they came from (a documentation
// address, RFC 5737).
var demoOrigin = audit.Origin{IP: "192.0.2.10", RequestID: "demo"}

// loadLeaver creates the leaver's account and, the first time, signs them in once, has an
// admin deactivate them and records their refused attempt to sign in afterwards.
func loadLeaver(ctx context.Context, tx pgx.Tx, partnerID int64) error {
	users := auth.Store{DB: tx}
	u, err := users.UpsertUser(ctx, Leaver.Email, Leaver.Name, Leaver.Role, &partnerID, Password)
	if err != nil {
		return err
	}
	admin, err := users.UserByEmail(ctx, Accounts[0].Email)
	if err != nil {
		return fmt.Errorf("demo: leaver: %w", err)
	}
	tag, err := tx.Exec(ctx, `UPDATE users SET deactivated_at = now(), last_sign_in_at = now() - interval '20 days',
		session_version = session_version + 1 WHERE id = $1 AND deactivated_at IS NULL`, u.ID)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	ctx = audit.WithOrigin(ctx, demoOrigin)
	subject := fmt.Sprintf("user:%d", u.ID)
	for _, e := range []struct {
		actor  int64
		action string
		detail map[string]any
	}{
		{u.ID, "sign_in.succeeded", nil},
		{admin.ID, "sign_in.succeeded", nil},
		{admin.ID, "user.deactivated", map[string]any{"invitations_cancelled": 0}},
		{0, "sign_in.refused", map[string]any{"reason": "deactivated"}},
	} {
		s := subject
		if e.actor == admin.ID && e.action == "sign_in.succeeded" {
			s = fmt.Sprintf("user:%d", admin.ID)
		}
		if err := audit.Record(ctx, tx, e.actor, e.action, s, e.detail); err != nil {
			return err
		}
	}
	return nil
}
