package twostep

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
)

// Limits on guessing codes: after MaxFailures wrong codes within FailureWindow, an account's
// codes are refused until the oldest of them is older than the window.
const (
	MaxFailures   = 5
	FailureWindow = 15 * time.Minute
)

// Outcome is what checking a code at sign-in found.
type Outcome int

// What checking a code can find.
const (
	Accepted         Outcome = iota // a right code from the app, not used before
	AcceptedRecovery                // an unused recovery code, now used up
	Wrong                           // neither; counted towards the limit
	Reused                          // the app's code for a step already accepted
	Limited                         // too many wrong codes lately: nothing was checked
	NotSetUp                        // the account has no two-step set-up
)

// IsRecoveryCode reports whether code is written like a recovery code rather than an app's code.
func IsRecoveryCode(code string) bool {
	c := strings.ToLower(NormaliseCode(code))
	return len(c) == 12 && strings.Trim(c, "0123456789abcdef") == ""
}

// Verify checks a code (from the app, or a recovery code) for an account at sign-in. Each
// app code is accepted once: a code for the step last accepted, or an earlier one, is Reused.
func (s Store) Verify(ctx context.Context, userID int64, code string, now time.Time) (Outcome, error) {
	var out Outcome
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var secret string
		var last int64
		var failures int
		err := tx.QueryRow(ctx, `SELECT secret, last_step,
				(SELECT count(*) FROM two_step_failures f WHERE f.user_id = t.user_id AND f.at > $2)
			FROM two_step t WHERE user_id = $1 FOR UPDATE`, userID, now.Add(-FailureWindow)).Scan(&secret, &last, &failures)
		switch {
		case database.IsNoRows(err):
			out = NotSetUp
			return nil
		case err != nil:
			return err
		case failures >= MaxFailures:
			out = Limited
			return nil
		}
		if secret, err = s.Sealer.Open(userID, secret); err != nil {
			return err
		}
		if out, err = check(ctx, tx, userID, secret, last, code, now); err != nil {
			return err
		}
		return record(ctx, tx, userID, out, now)
	})
	if err != nil {
		return 0, fmt.Errorf("twostep: verify for %d: %w", userID, err)
	}
	return out, nil
}

func check(ctx context.Context, tx pgx.Tx, userID int64, secret string, last int64, code string, now time.Time) (Outcome, error) {
	if IsRecoveryCode(code) {
		tag, err := tx.Exec(ctx, `UPDATE two_step_recovery_codes SET used_at = $3
			WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, HashRecoveryCode(code), now)
		if err != nil {
			return 0, err
		}
		if tag.RowsAffected() == 1 {
			return AcceptedRecovery, nil
		}
		return Wrong, nil
	}
	step, ok := Match(secret, code, now)
	switch {
	case !ok:
		return Wrong, nil
	case step <= last:
		return Reused, nil
	}
	_, err := tx.Exec(ctx, `UPDATE two_step SET last_step = $2 WHERE user_id = $1`, userID, step)
	return Accepted, err
}

func record(ctx context.Context, tx pgx.Tx, userID int64, out Outcome, now time.Time) error {
	subject := fmt.Sprintf("user:%d", userID)
	switch out {
	case Wrong, Reused:
		if _, err := tx.Exec(ctx, `INSERT INTO two_step_failures (user_id, at) VALUES ($1, $2)`, userID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, 0, "sign_in.code_failed", subject, map[string]any{"reused": out == Reused})
	case AcceptedRecovery:
		return audit.Record(ctx, tx, userID, "sign_in.recovery_code_used", subject, nil)
	}
	return nil
}
