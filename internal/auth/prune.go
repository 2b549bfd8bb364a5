package auth

import (
	"context"
	"fmt"
	"time"
)

// AccountRecordsKept is how long records of sign-ins, password links and changes of address
// are kept, as the privacy notice says.
const AccountRecordsKept = 365 * 24 * time.Hour

// PruneAccountRecords deletes sign-in sessions last seen, and failed sign-ins, password links
// and changes of address made, more than AccountRecordsKept before now, and requests for password links
// older than their limit's window, and browser sessions (scs's table) that have expired. It
// returns how many rows it deleted.
func (s Store) PruneAccountRecords(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	kept := now.Add(-AccountRecordsKept)
	for _, q := range []struct {
		sql, what string
		before    time.Time
	}{
		{`DELETE FROM account_sessions WHERE last_seen_at < $1`, "sessions", kept},
		{`DELETE FROM password_resets WHERE created_at < $1`, "password links", kept},
		{`DELETE FROM email_changes WHERE created_at < $1`, "email changes", kept},
		{`DELETE FROM password_reset_requests WHERE at < $1`, "password link requests", now.Add(-ResetWindow)},
		{`DELETE FROM sign_in_failures WHERE at < $1`, "failed sign-ins", kept},
		{`DELETE FROM sessions WHERE expiry < $1`, "expired browser sessions", now},
	} {
		tag, err := s.DB.Exec(ctx, q.sql, q.before)
		if err != nil {
			return n, fmt.Errorf("auth: prune %s: %w", q.what, err)
		}
		n += tag.RowsAffected()
	}
	return n, nil
}
