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
	"npq/internal/notify"
	"npq/internal/problem"
	"npq/internal/wording"
)

// Email change limits.
const (
	// EmailChangeLifetime is how long the link confirming a new address works.
	EmailChangeLifetime = 24 * time.Hour
	// MaxEmailChangesPerDay bounds how many changes of address one account may ask for in
	// EmailChangeLifetime, so an account cannot be used to send mail to many addresses.
	MaxEmailChangesPerDay = 5
)

// ChangeName sets the name of a user's account.
func (s Store) ChangeName(ctx context.Context, userID int64, name, ip string) error {
	name = strings.TrimSpace(name)
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var old string
		if err := tx.QueryRow(ctx, `SELECT name FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&old); err != nil {
			return err
		}
		if old == name {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET name = $2 WHERE id = $1`, userID, name); err != nil {
			return err
		}
		return audit.Record(ctx, tx, userID, "account.name_changed", userSubject(userID),
			map[string]any{"from": old, "to": name, "ip": ip})
	})
	if err != nil {
		return fmt.Errorf("auth: change name of %d: %w", userID, err)
	}
	return nil
}

// ChangePassword sets a new password for a user who has just given their current one, ends
// every other session (keeping the one with id keep), and emails a notice. The caller has
// checked the new password against PasswordProblem.
func (s Store) ChangePassword(ctx context.Context, u User, password string, keep int64, ip, baseURL string, now time.Time) error {
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	err = database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		changed, err := scanUser(tx.QueryRow(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING `+userColumns, u.ID, hash))
		if err != nil {
			return err
		}
		return passwordChanged(ctx, tx, changed, keep, EndedPasswordChanged, "account.password_changed", ip, baseURL, now)
	})
	if err != nil {
		return fmt.Errorf("auth: change password of %d: %w", u.ID, err)
	}
	return nil
}

// EmailChange is a change of address waiting for its link to be used.
type EmailChange struct {
	ID        int64
	User      User
	NewEmail  string
	ExpiresAt time.Time
}

// ErrTooManyEmailChanges means the account asked for too many changes of address recently.
var ErrTooManyEmailChanges = problem.New(fmt.Sprintf(
	"You have asked to change your email address %d times today. Use one of the links we sent, or try again tomorrow.", MaxEmailChangesPerDay))

// RequestEmailChange asks to change a user's email address to newEmail: it emails a link to
// the new address (cancelling earlier ones) and a notice to the current one. When the new
// address belongs to another account, that account's holder is told instead and no link is
// sent, and the caller is answered exactly as otherwise, so the request says nothing about
// which addresses have accounts.
func (s Store) RequestEmailChange(ctx context.Context, u User, newEmail, ip, baseURL string, now time.Time) error {
	newEmail = NormaliseEmail(newEmail)
	token := newToken()
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var recent int
		var taken bool
		if err := tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM email_changes WHERE user_id = $1 AND created_at > $2),
			       EXISTS (SELECT FROM users WHERE email = $3 AND id <> $1)
			FROM users WHERE id = $1 FOR UPDATE`, u.ID, now.Add(-EmailChangeLifetime), newEmail).Scan(&recent, &taken); err != nil {
			return err
		}
		if recent >= MaxEmailChangesPerDay {
			return ErrTooManyEmailChanges
		}
		// A request for a taken address is recorded like any other, so My account shows it
		// waiting alike, but its token is sent to nobody and the address's holder is told.
		b := &pgx.Batch{}
		b.Queue(`UPDATE email_changes SET cancelled_at = $2 WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL`, u.ID, now)
		b.Queue(`INSERT INTO email_changes (user_id, old_email, new_email, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, u.ID, u.Email, newEmail, hashToken(token), now, now.Add(EmailChangeLifetime))
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		d := wording.EmailChange{Name: u.Name, OldEmail: u.Email, NewEmail: newEmail, At: now, BaseURL: baseURL, Token: token,
			ValidHours: int(EmailChangeLifetime.Hours())}
		toNew, err := wording.EmailChangeConfirmEmail(d)
		if taken {
			toNew, err = wording.EmailChangeTakenEmail(d)
		}
		if err != nil {
			return err
		}
		toOld, err := wording.EmailChangeRequestedEmail(d)
		if err != nil {
			return err
		}
		name := u.Name
		if taken {
			name = ""
		}
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: newEmail, ToName: name, Subject: toNew.Subject, Body: toNew.Body}); err != nil {
			return err
		}
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: u.Email, ToName: u.Name, Subject: toOld.Subject, Body: toOld.Body}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.ID, "account.email_change_requested", userSubject(u.ID),
			map[string]any{"to": newEmail, "ip": ip, "address_taken": taken})
	})
	if err != nil && !errors.Is(err, ErrTooManyEmailChanges) {
		err = fmt.Errorf("auth: request email change for %d: %w", u.ID, err)
	}
	return err
}

// PendingEmailChange returns a user's change of address still waiting for its link, if any.
func (s Store) PendingEmailChange(ctx context.Context, userID int64, now time.Time) (*EmailChange, error) {
	var c EmailChange
	err := s.DB.QueryRow(ctx, `
		SELECT id, new_email, expires_at FROM email_changes
		WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $2
		ORDER BY created_at DESC LIMIT 1`, userID, now).Scan(&c.ID, &c.NewEmail, &c.ExpiresAt)
	switch {
	case database.IsNoRows(err):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("auth: pending email change of %d: %w", userID, err)
	}
	return &c, nil
}

// EmailChangeByToken finds the change of address a link confirms and says whether the link
// can be used at now.
func (s Store) EmailChangeByToken(ctx context.Context, token string, now time.Time) (EmailChange, LinkState, error) {
	var c EmailChange
	var used, cancelled *time.Time
	row := s.DB.QueryRow(ctx, `
		SELECT `+userColumns+`, c.change_id, c.new_email, c.expires_at, c.used_at, c.cancelled_at
		FROM (SELECT id AS change_id, user_id, new_email, expires_at, used_at, cancelled_at FROM email_changes WHERE token_hash = $1) c
		JOIN users ON users.id = c.user_id`, hashToken(token))
	u, err := scanUser(extraRow{Row: row, extra: []any{&c.ID, &c.NewEmail, &c.ExpiresAt, &used, &cancelled}})
	c.User = u
	switch {
	case errors.Is(err, database.ErrNotFound):
		return c, LinkUnknown, nil
	case err != nil:
		return c, LinkUnknown, fmt.Errorf("auth: email change: %w", err)
	case used != nil:
		return c, LinkUsed, nil
	case cancelled != nil:
		return c, LinkReplaced, nil
	case !now.Before(c.ExpiresAt):
		return c, LinkExpired, nil
	}
	return c, LinkUsable, nil
}

// ConfirmEmailChange makes the change of address a link confirms, once only: it ends the
// account's sessions except the one with id keep (0 for none), cancels its password links
// (sent to the old address) and emails the old address a notice. ErrEmailTaken means the
// new address got an account of its own since the link was sent.
func (s Store) ConfirmEmailChange(ctx context.Context, token string, keep int64, ip, baseURL string, now time.Time) (User, error) {
	var u User
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var id, userID int64
		var oldEmail, newEmail string
		err := tx.QueryRow(ctx, `
			UPDATE email_changes SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $2
			RETURNING id, user_id, old_email, new_email`, hashToken(token), now).Scan(&id, &userID, &oldEmail, &newEmail)
		if database.IsNoRows(err) {
			return ErrLinkUnusable
		}
		if err != nil {
			return err
		}
		u, err = scanUser(tx.QueryRow(ctx, `UPDATE users SET email = $2 WHERE id = $1 RETURNING `+userColumns, userID, newEmail))
		if database.IsUniqueViolation(err, "users_email_key") {
			return ErrEmailTaken
		}
		if err != nil {
			return err
		}
		if _, err := EndSessions(ctx, tx, u.ID, keep, EndedEmailChanged, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET cancelled_at = $2 WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL`, u.ID, now); err != nil {
			return err
		}
		text, err := wording.EmailChangedEmail(wording.EmailChange{Name: u.Name, OldEmail: oldEmail, NewEmail: newEmail, At: now, BaseURL: baseURL})
		if err != nil {
			return err
		}
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: oldEmail, ToName: u.Name, Subject: text.Subject, Body: text.Body}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.ID, "account.email_changed", userSubject(u.ID),
			map[string]any{"from": oldEmail, "to": newEmail, "ip": ip})
	})
	if err != nil && !errors.Is(err, ErrLinkUnusable) && !errors.Is(err, ErrEmailTaken) {
		err = fmt.Errorf("auth: confirm email change: %w", err)
	}
	return u, err
}
