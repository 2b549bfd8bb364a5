package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
)

// How long a signed-in session lasts: at most SessionLifetime after signing in, and no more
// than SessionIdleTimeout after the last request.
const (
	SessionLifetime    = 12 * time.Hour
	SessionIdleTimeout = 4 * time.Hour
	// sessionTouchEvery is how often a session's last-seen time is written: at most once a
	// minute, so a busy page does not write on every request.
	sessionTouchEvery = time.Minute
	// maxUserAgent is how much of a browser's User-Agent header is kept.
	maxUserAgent = 400
)

// Why sessions end, as recorded in account_sessions.ended_reason.
const (
	EndedSignedOut       = "signed_out"
	EndedByHolder        = "ended_by_holder"
	EndedPasswordChanged = "password_changed"
	EndedPasswordReset   = "password_reset"
	EndedEmailChanged    = "email_changed"
	EndedDeactivated     = "deactivated"
	EndedRoleChanged     = "role_changed"
)

// Session is one signed-in browser or device of an account.
type Session struct {
	ID         int64
	UserID     int64
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// Device names the session's browser and system in plain words, like "Firefox on Windows".
func (s Session) Device() string { return DeviceName(s.UserAgent) }

// trimUserAgent keeps a bounded, valid-UTF-8 prefix of a User-Agent header.
func trimUserAgent(ua string) string {
	ua = strings.TrimSpace(strings.ToValidUTF8(ua, ""))
	for len(ua) > maxUserAgent {
		_, size := utf8.DecodeLastRuneInString(ua)
		ua = ua[:len(ua)-size]
	}
	return ua
}

// StartSession records a new signed-in session for a user and returns its key, which the
// browser's session keeps; only the key's hash is stored.
func (s Store) StartSession(ctx context.Context, userID int64, userAgent, ip string, now time.Time) (string, error) {
	key := newToken()
	if _, err := s.DB.Exec(ctx, `
		INSERT INTO account_sessions (user_id, key_hash, user_agent, ip, created_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, userID, hashToken(key), trimUserAgent(userAgent), ip, now); err != nil {
		return "", fmt.Errorf("auth: start session for %d: %w", userID, err)
	}
	return key, nil
}

// extraRow scans a row's leading columns as another scanner expects and the rest into extra.
type extraRow struct {
	pgx.Row
	extra []any
}

func (r extraRow) Scan(dest ...any) error { return r.Row.Scan(append(dest, r.extra...)...) }

// UserBySession returns the user signed in with a session's key and the session's id, and
// notes that the session was seen (at most once a minute). A session that has ended, or was
// never recorded, or belongs to someone else, is database.ErrNotFound: its browser is
// signed out.
func (s Store) UserBySession(ctx context.Context, userID int64, key, ip string, now time.Time) (User, int64, error) {
	var sessionID int64
	row := s.DB.QueryRow(ctx, `
		WITH seen AS (
			UPDATE account_sessions SET last_seen_at = $3, ip = $4
			WHERE key_hash = $2 AND user_id = $1 AND ended_at IS NULL AND last_seen_at < $3::timestamptz - $5::interval
			RETURNING id),
		live AS (
			SELECT id AS session_id FROM account_sessions
			WHERE key_hash = $2 AND user_id = $1 AND ended_at IS NULL)
		SELECT `+userColumns+`, live.session_id FROM users CROSS JOIN live WHERE users.id = $1`,
		userID, hashToken(key), now, ip, sessionTouchEvery.String())
	u, err := scanUser(extraRow{Row: row, extra: []any{&sessionID}})
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		err = fmt.Errorf("auth: user %d by session: %w", userID, err)
	}
	return u, sessionID, err
}

// LiveSessions lists a user's sessions that have not ended or timed out, the most recently
// seen first.
func (s Store) LiveSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT id, user_id, user_agent, ip, created_at, last_seen_at FROM account_sessions
		WHERE user_id = $1 AND ended_at IS NULL AND created_at > $2 AND last_seen_at > $3
		ORDER BY last_seen_at DESC, id DESC`,
		userID, now.Add(-SessionLifetime), now.Add(-SessionIdleTimeout-sessionTouchEvery))
	if err != nil {
		return nil, fmt.Errorf("auth: sessions of %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Session, error) {
		var x Session
		return x, r.Scan(&x.ID, &x.UserID, &x.UserAgent, &x.IP, &x.CreatedAt, &x.LastSeenAt)
	})
}

// EndSession ends one of a user's sessions, so its browser is signed out at its next
// request. It reports whether a live session was ended; another person's session is never
// touched.
func (s Store) EndSession(ctx context.Context, userID, sessionID int64, reason string, now time.Time) (bool, error) {
	tag, err := s.DB.Exec(ctx, `UPDATE account_sessions SET ended_at = $3, ended_reason = $4
		WHERE id = $2 AND user_id = $1 AND ended_at IS NULL`, userID, sessionID, now, reason)
	if err != nil {
		return false, fmt.Errorf("auth: end session %d: %w", sessionID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// EndSessions ends every live session of a user except the one with id except (0 ends them
// all), in db, which may be the caller's transaction. Their browsers are signed out at their
// next request. It returns how many it ended.
func EndSessions(ctx context.Context, db database.DB, userID, except int64, reason string, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE account_sessions SET ended_at = $3, ended_reason = $4
		WHERE user_id = $1 AND id <> $2 AND ended_at IS NULL`, userID, except, now, reason)
	if err != nil {
		return 0, fmt.Errorf("auth: end sessions of %d: %w", userID, err)
	}
	return tag.RowsAffected(), nil
}

// EndSessions ends every live session of a user except one (0 ends them all); see the
// package function EndSessions.
func (s Store) EndSessions(ctx context.Context, userID, except int64, reason string, now time.Time) (int64, error) {
	return EndSessions(ctx, s.DB, userID, except, reason, now)
}

// SignOutSession ends one of a user's other sessions at their request, and audits it. It
// reports whether a live session was ended.
func (s Store) SignOutSession(ctx context.Context, userID, sessionID int64, ip string, now time.Time) (bool, error) {
	var ended bool
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE account_sessions SET ended_at = $3, ended_reason = $4
			WHERE id = $2 AND user_id = $1 AND ended_at IS NULL`, userID, sessionID, now, EndedByHolder)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		ended = true
		return audit.Record(ctx, tx, userID, "account.session_ended", userSubject(userID), map[string]any{"session": sessionID, "ip": ip})
	})
	if err != nil {
		return false, fmt.Errorf("auth: sign out session %d: %w", sessionID, err)
	}
	return ended, nil
}

// SignOutOtherSessions ends every session of a user but the one with id keep, at their
// request, and audits it. It returns how many it ended.
func (s Store) SignOutOtherSessions(ctx context.Context, userID, keep int64, ip string, now time.Time) (int64, error) {
	var n int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var err error
		if n, err = EndSessions(ctx, tx, userID, keep, EndedByHolder, now); err != nil || n == 0 {
			return err
		}
		return audit.Record(ctx, tx, userID, "account.other_sessions_ended", userSubject(userID), map[string]any{"sessions": n, "ip": ip})
	})
	if err != nil {
		return 0, fmt.Errorf("auth: sign out other sessions of %d: %w", userID, err)
	}
	return n, nil
}

// endAccountAccess ends every session of a user and cancels their open password links and
// changes of address, as when their account is deactivated.
func endAccountAccess(ctx context.Context, tx pgx.Tx, userID int64, reason string) error {
	now := time.Now()
	if _, err := EndSessions(ctx, tx, userID, 0, reason, now); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE password_resets SET cancelled_at = $2 WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL`,
		`UPDATE email_changes SET cancelled_at = $2 WHERE user_id = $1 AND used_at IS NULL AND cancelled_at IS NULL`,
	} {
		if _, err := tx.Exec(ctx, q, userID, now); err != nil {
			return fmt.Errorf("auth: end access of %d: %w", userID, err)
		}
	}
	return nil
}
