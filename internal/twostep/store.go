package twostep

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

// Store reads and writes accounts' two-step sign-in set-up.
type Store struct {
	DB database.DB
	// Sealer encrypts the secrets stored; nil stores them as they are.
	Sealer *Sealer
}

// Setup is an account's two-step sign-in as stored.
type Setup struct {
	Secret    string
	EnabledAt time.Time
	LastStep  int64
	// RecoveryLeft counts the recovery codes not yet used.
	RecoveryLeft int
}

// SetupFor returns the account's set-up, or nil when it has none.
func (s Store) SetupFor(ctx context.Context, userID int64) (*Setup, error) {
	var x Setup
	err := s.DB.QueryRow(ctx, `SELECT secret, enabled_at, last_step,
			(SELECT count(*) FROM two_step_recovery_codes c WHERE c.user_id = t.user_id AND c.used_at IS NULL)
		FROM two_step t WHERE user_id = $1`, userID).Scan(&x.Secret, &x.EnabledAt, &x.LastStep, &x.RecoveryLeft)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err == nil {
		x.Secret, err = s.Sealer.Open(userID, x.Secret)
	}
	if err != nil {
		return nil, fmt.Errorf("twostep: set-up for %d: %w", userID, err)
	}
	return &x, nil
}

// Enable records secret as the account's authenticator, confirmed by a code at step, and
// replaces its recovery codes with codes (stored hashed). It replaces any earlier set-up.
func (s Store) Enable(ctx context.Context, userID int64, secret string, step int64, codes []string, now time.Time) error {
	stored, err := s.Sealer.Seal(userID, secret)
	if err != nil {
		return fmt.Errorf("twostep: enable %d: %w", userID, err)
	}
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO two_step (user_id, secret, enabled_at, last_step) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, enabled_at = excluded.enabled_at, last_step = excluded.last_step`,
			userID, stored, now, step); err != nil {
			return fmt.Errorf("twostep: enable %d: %w", userID, err)
		}
		if err := replaceRecoveryCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		return audit.Record(ctx, tx, userID, "two_step.set_up", fmt.Sprintf("user:%d", userID), nil)
	})
}

func replaceRecoveryCodes(ctx context.Context, tx pgx.Tx, userID int64, codes []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM two_step_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("twostep: recovery codes for %d: %w", userID, err)
	}
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = HashRecoveryCode(c)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO two_step_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`,
		userID, hashes); err != nil {
		return fmt.Errorf("twostep: recovery codes for %d: %w", userID, err)
	}
	return nil
}

// Reset removes an account's two-step set-up and recovery codes on behalf of an admin
// (actorID), records it, and emails the account's holder. It reports whether there was a
// set-up to remove.
func (s Store) Reset(ctx context.Context, userID, actorID int64, baseURL string, now time.Time) (bool, error) {
	return s.remove(ctx, userID, actorID, "two_step.reset", wording.TwoStepResetEmail, baseURL, now)
}

// TurnOff removes an account's own two-step set-up at its holder's request, records it, and
// emails them. It reports whether there was a set-up to remove.
func (s Store) TurnOff(ctx context.Context, userID int64, baseURL string, now time.Time) (bool, error) {
	return s.remove(ctx, userID, userID, "two_step.turned_off", wording.TwoStepOffEmail, baseURL, now)
}

func (s Store) remove(ctx context.Context, userID, actorID int64, action string,
	notice func(wording.TwoStepNotice) (wording.Text, error), baseURL string, now time.Time) (bool, error) {
	var done bool
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var email, name string
		err := tx.QueryRow(ctx, `WITH gone AS (DELETE FROM two_step WHERE user_id = $1 RETURNING user_id)
			SELECT email, name FROM users JOIN gone ON gone.user_id = users.id`, userID).Scan(&email, &name)
		if database.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		done = true
		if _, err := tx.Exec(ctx, `DELETE FROM two_step_recovery_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		text, err := notice(wording.TwoStepNotice{Name: name, Email: email, At: now, BaseURL: baseURL})
		if err != nil {
			return err
		}
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: email, ToName: name, Subject: text.Subject, Body: text.Body}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, action, fmt.Sprintf("user:%d", userID), nil)
	})
	if err != nil {
		return false, fmt.Errorf("twostep: %s %d: %w", action, userID, err)
	}
	return done, nil
}
