package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// BrowserSession is a browser's stored session data as read at the start of a request, with
// the account signed in on it.
type BrowserSession struct {
	// Data is the session manager's encoded data.
	Data []byte
	// Expiry is when the stored session lapses unless it is saved again.
	Expiry time.Time
	// Linked reports whether the stored session names an account session at all; sessions
	// saved before the link was kept do not, and their user is read with UserBySession.
	Linked bool
	// User is the account signed in on the session, when its account session is live.
	User *User
	// AccountSessionID is the id of that live account session, or 0.
	AccountSessionID int64
}

// BrowserSession reads a browser's stored session by its token together with its live account
// session and user, and notes that the account session was seen (at most once a minute), all
// in one round trip. It reports false when there is no such session or it has expired.
func (s Store) BrowserSession(ctx context.Context, token, ip string, now time.Time) (BrowserSession, bool, error) {
	var (
		b                    BrowserSession
		accountSessionID, id *int64
		email, name, hash    *string
		role                 *Role
		version              *int
		u                    User
	)
	err := s.DB.QueryRow(ctx, `
		WITH b AS (
			SELECT data, expiry, account_key_hash FROM sessions WHERE token = $1 AND current_timestamp < expiry),
		live AS (
			SELECT a.id, a.user_id FROM account_sessions a JOIN b ON a.key_hash = b.account_key_hash
			WHERE a.ended_at IS NULL),
		seen AS (
			UPDATE account_sessions SET last_seen_at = $2, ip = $3
			WHERE id = (SELECT id FROM live) AND last_seen_at < $2::timestamptz - $4::interval
			RETURNING id)
		SELECT b.data, b.expiry, b.account_key_hash IS NOT NULL, live.id,
			users.id, users.email, users.name, users.role, users.delivery_partner_id, users.password_hash,
			users.deactivated_at, users.session_version,
			EXISTS (SELECT FROM two_step WHERE two_step.user_id = users.id)
		FROM b LEFT JOIN live ON true LEFT JOIN users ON users.id = live.user_id`,
		token, now, ip, sessionTouchEvery.String()).Scan(&b.Data, &b.Expiry, &b.Linked, &accountSessionID,
		&id, &email, &name, &role, &u.DeliveryPartnerID, &hash, &u.DeactivatedAt, &version, &u.TwoStep)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("auth: browser session: %w", err)
	}
	if accountSessionID != nil && id != nil {
		u.ID, u.Email, u.Name, u.Role, u.PasswordHash, u.SessionVersion = *id, *email, *name, *role, *hash, *version
		b.User, b.AccountSessionID = &u, *accountSessionID
	}
	return b, true, nil
}

// SaveBrowserSession stores a browser's session data until expiry, linked to the account
// session whose key it keeps (none when key is "").
func (s Store) SaveBrowserSession(ctx context.Context, token string, data []byte, expiry time.Time, key string) error {
	var keyHash []byte
	if key != "" {
		keyHash = hashToken(key)
	}
	if _, err := s.DB.Exec(ctx, `
		INSERT INTO sessions (token, data, expiry, account_key_hash) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry,
			account_key_hash = EXCLUDED.account_key_hash`, token, data, expiry, keyHash); err != nil {
		return fmt.Errorf("auth: save browser session: %w", err)
	}
	return nil
}

// DeleteBrowserSession deletes a browser's stored session.
func (s Store) DeleteBrowserSession(ctx context.Context, token string) error {
	if _, err := s.DB.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("auth: delete browser session: %w", err)
	}
	return nil
}

// BrowserSessions returns the data of every stored session that has not lapsed, by token.
func (s Store) BrowserSessions(ctx context.Context) (map[string][]byte, error) {
	rows, err := s.DB.Query(ctx, `SELECT token, data FROM sessions WHERE current_timestamp < expiry`)
	if err != nil {
		return nil, fmt.Errorf("auth: browser sessions: %w", err)
	}
	out := map[string][]byte{}
	var token string
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&token, &data}, func() error {
		out[token] = append([]byte(nil), data...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("auth: browser sessions: %w", err)
	}
	return out, nil
}
