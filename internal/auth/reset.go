package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/wording"
)

// Forgotten-password limits. Requests count for ResetWindow, whether or not the address
// typed belongs to an account, so the limits say nothing about which addresses do.
const (
	// ResetLifetime is how long a forgotten-password link works.
	ResetLifetime = time.Hour
	ResetWindow   = time.Hour
	// MaxResetEmailsPerAccount is how many links one address is sent in a window; further
	// requests get the same answer and no email, and the last link sent still works.
	MaxResetEmailsPerAccount = 3
	// MaxResetRequestsPerAddress refuses a client address asking for very many links.
	MaxResetRequestsPerAddress = 20
)

// ErrResetRateLimited means this client address has asked for too many links recently.
var ErrResetRateLimited = errors.New("too many password reset requests")

// ResetVerdict is what to do with a request for a forgotten-password link.
type ResetVerdict struct {
	Refuse bool // answer "too many requests", recording nothing
	Send   bool // send a link, if the address belongs to an account
}

// ThrottleReset decides what to do with a request for a link, given how many requests in
// the window came before it for the same email address and from the same client address.
func ThrottleReset(forEmail, fromAddress int) ResetVerdict {
	if fromAddress >= MaxResetRequestsPerAddress {
		return ResetVerdict{Refuse: true}
	}
	return ResetVerdict{Send: forEmail < MaxResetEmailsPerAccount}
}

// Advisory lock classes for reset requests, taken address first, then email.
const (
	lockResetAddress = 7111
	lockResetEmail   = 7112
)

// RequestPasswordReset records a request from client address ip for a link to reset the
// password of the account with this email address, and, when there is such an account and
// the limits allow, emails it a new single-use link (cancelling earlier ones). It takes the
// same steps, and returns the same, whether or not the address belongs to an account; only
// ErrResetRateLimited (for the client address) is ever returned besides failures.
func (s Store) RequestPasswordReset(ctx context.Context, email, ip, baseURL string, now time.Time) error {
	email = NormaliseEmail(email)
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockResetAddress, ip)
		b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockResetEmail, email)
		var forEmail, fromAddress int
		b.Queue(`
			SELECT (SELECT count(*) FROM password_reset_requests WHERE email = $1 AND at > $3),
			       (SELECT count(*) FROM (SELECT FROM password_reset_requests WHERE ip = $2 AND at > $3 LIMIT $4) a)`,
			email, ip, now.Add(-ResetWindow), MaxResetRequestsPerAddress).
			QueryRow(func(r pgx.Row) error { return r.Scan(&forEmail, &fromAddress) })
		var u User
		b.Queue(`SELECT `+userColumns+` FROM users WHERE email = $1`, email).QueryRow(func(r pgx.Row) error {
			var err error
			if u, err = scanUser(r); errors.Is(err, database.ErrNotFound) {
				err = nil
			}
			return err
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		v := ThrottleReset(forEmail, fromAddress)
		if v.Refuse {
			return ErrResetRateLimited
		}
		// A deactivated account is sent nothing, and the answer is the same.
		send := v.Send && u.ID != 0 && !u.Deactivated()
		detail := map[string]any{"ip": ip, "emailed": send}
		if u.ID == 0 {
			// Attempts on addresses without an account are kept too: they show someone probing.
			detail["email"] = email
		}
		if err := audit.Record(ctx, tx, u.ID, "password_reset.requested", userSubject(u.ID), detail); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO password_reset_requests (email, ip, at) VALUES ($1, $2, $3)`, email, ip, now); err != nil {
			return err
		}
		// The same statements run whether or not a link is sent, so the answer takes as long.
		return sendReset(ctx, tx, u, send, 0, baseURL, now)
	})
	if err != nil && !errors.Is(err, ErrResetRateLimited) {
		err = fmt.Errorf("auth: request password reset: %w", err)
	}
	return err
}

// SendPasswordReset emails a user a new forgotten-password link on an admin's behalf
// (actorID), cancelling earlier ones. The admin never sees the link.
func (s Store) SendPasswordReset(ctx context.Context, userID, actorID int64, baseURL string, now time.Time) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		u, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, userID))
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actorID, "password_reset.sent", userSubject(u.ID), nil); err != nil {
			return err
		}
		return sendReset(ctx, tx, u, true, actorID, baseURL, now)
	})
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		err = fmt.Errorf("auth: send password reset to %d: %w", userID, err)
	}
	return err
}

// sendReset cancels a user's open links and, when send is true, emails a new one. When it is
// false the statements still run but change nothing, so that both take as long.
func sendReset(ctx context.Context, tx pgx.Tx, u User, send bool, actorID int64, baseURL string, now time.Time) error {
	token := newToken()
	text, err := wording.PasswordResetEmail(wording.PasswordReset{Name: u.Name, Email: u.Email, BaseURL: baseURL, Token: token,
		ValidMinutes: int(ResetLifetime.Minutes()), ByAdmin: actorID != 0})
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE password_resets SET cancelled_at = $2 WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL AND $3`,
		u.ID, now, send)
	b.Queue(`INSERT INTO password_resets (user_id, token_hash, requested_by, created_at, expires_at)
		SELECT $1, $2, $3, $4, $5 WHERE $6`,
		u.ID, hashToken(token), database.NullID(actorID), now, now.Add(ResetLifetime), send)
	b.Queue(`INSERT INTO outbox (to_address, to_name, subject, body) SELECT $1, $2, $3, $4 WHERE $5`,
		u.Email, u.Name, text.Subject, text.Body, send)
	return tx.SendBatch(ctx, b).Close()
}

// userSubject names a user as the subject of an audit entry, or "" for nobody.
func userSubject(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprintf("user:%d", id)
}

// LinkState says whether an emailed link (a password reset or an email change) can be used.
type LinkState int

// The states of an emailed link.
const (
	LinkUsable LinkState = iota
	LinkUnknown
	LinkExpired
	LinkUsed
	LinkReplaced // a newer link was sent, or the account changed since
)

// PasswordReset is an open forgotten-password link and the account it is for.
type PasswordReset struct {
	ID        int64
	User      User
	ExpiresAt time.Time
}

// PasswordResetByToken finds the link with this token and says whether it can be used at now.
func (s Store) PasswordResetByToken(ctx context.Context, token string, now time.Time) (PasswordReset, LinkState, error) {
	var p PasswordReset
	var used, cancelled *time.Time
	row := s.DB.QueryRow(ctx, `
		SELECT `+userColumns+`, r.reset_id, r.expires_at, r.used_at, r.cancelled_at
		FROM (SELECT id AS reset_id, user_id, expires_at, used_at, cancelled_at FROM password_resets WHERE token_hash = $1) r
		JOIN users ON users.id = r.user_id`, hashToken(token))
	u, err := scanUser(extraRow{Row: row, extra: []any{&p.ID, &p.ExpiresAt, &used, &cancelled}})
	p.User = u
	switch {
	case errors.Is(err, database.ErrNotFound):
		return p, LinkUnknown, nil
	case err != nil:
		return p, LinkUnknown, fmt.Errorf("auth: password reset: %w", err)
	case used != nil:
		return p, LinkUsed, nil
	case cancelled != nil, u.Deactivated():
		return p, LinkReplaced, nil
	case !now.Before(p.ExpiresAt):
		return p, LinkExpired, nil
	}
	return p, LinkUsable, nil
}

// ErrLinkUnusable means an emailed link was used, expired, replaced or never existed.
var ErrLinkUnusable = errors.New("link cannot be used")

// ResetPassword sets a new password with a forgotten-password link, once only, even when the
// form is sent twice at once: it ends every session of the account, cancels its other links,
// forgets failed sign-ins for it, and emails a notice. The caller has checked the password
// against PasswordProblem.
func (s Store) ResetPassword(ctx context.Context, token, password, ip, baseURL string, now time.Time) (User, error) {
	hash, err := s.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var id, userID int64
		err := tx.QueryRow(ctx, `
			UPDATE password_resets SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $2
			RETURNING id, user_id`, hashToken(token), now).Scan(&id, &userID)
		if database.IsNoRows(err) {
			return ErrLinkUnusable
		}
		if err != nil {
			return err
		}
		if u, err = scanUser(tx.QueryRow(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING `+userColumns, userID, hash)); err != nil {
			return err
		}
		return passwordChanged(ctx, tx, u, 0, EndedPasswordReset, "password_reset.completed", ip, baseURL, now)
	})
	if err != nil && !errors.Is(err, ErrLinkUnusable) {
		err = fmt.Errorf("auth: reset password: %w", err)
	}
	return u, err
}

// passwordChanged does what follows any change of a user's password: it ends their sessions
// except keep, cancels open reset links, forgets failed sign-ins for the account, emails a
// notice and audits.
func passwordChanged(ctx context.Context, tx pgx.Tx, u User, keep int64, reason, action, ip, baseURL string, now time.Time) error {
	text, err := wording.PasswordChangedEmail(wording.PasswordChanged{Name: u.Name, Email: u.Email, At: now,
		ByReset: reason == EndedPasswordReset, BaseURL: baseURL})
	if err != nil {
		return err
	}
	if _, err := EndSessions(ctx, tx, u.ID, keep, reason, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE password_resets SET cancelled_at = $2 WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL`, u.ID, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1`, u.Email); err != nil {
		return err
	}
	if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: u.Email, ToName: u.Name, Subject: text.Subject, Body: text.Body}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, u.ID, action, userSubject(u.ID), map[string]any{"ip": ip})
}

// hash hashes a new password, within the limit on hashes at once.
func (s Store) hash(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if berr := s.hashing().Do(ctx, func() { hash, err = HashPassword(password) }); berr != nil {
		return "", berr
	}
	return hash, err
}
