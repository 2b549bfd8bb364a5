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

// Sign-in limits. Failures count for SignInWindow. An address that keeps failing for one
// account, or fails across very many accounts, is refused; failures for an account from
// everywhere only slow each further attempt down, so an attacker cannot lock its holder out.
const (
	SignInWindow = 15 * time.Minute
	// MaxFailuresPerPair refuses an address that keeps getting one account's password wrong.
	MaxFailuresPerPair = 5
	// MaxFailuresPerAddress refuses an address trying passwords across many accounts; a
	// school's shared address with colleagues mistyping stays well below it.
	MaxFailuresPerAddress = 100
	// FreeFailuresPerAccount is how many failures an account may have before attempts slow down.
	FreeFailuresPerAccount = 5
	// FirstSignInDelay is the first slow-down; each further failure doubles it, up to MaxSignInDelay.
	FirstSignInDelay = 250 * time.Millisecond
	// MaxSignInDelay bounds the slow-down, so the holder can always sign in within seconds.
	MaxSignInDelay = 3 * time.Second
	// AlertAfterFailures is how many failures for an account make us email its holder, at
	// most once per window.
	AlertAfterFailures = 5
)

// accountCountCap is where counting an account's failures stops: the delay is at its
// bound long before, and an attacked account's count stays cheap.
const accountCountCap = 64

// ErrRateLimited means this address has failed too often recently, for this account or for many.
var ErrRateLimited = errors.New("too many sign-in attempts")

// ErrDeactivated means the password was right but the account has been deactivated.
var ErrDeactivated = errors.New("account deactivated")

// recordSignIn adds a sign-in attempt to the audit trail: by the account when it
// succeeded, otherwise by no one (whoever typed it is unknown), about the account when the
// email address has one, with the address as typed when it has none.
func recordSignIn(ctx context.Context, db database.DB, action, email string, u User, reason string) error {
	detail := map[string]any{}
	subject, actor := "", int64(0)
	if u.ID != 0 {
		subject = fmt.Sprintf("user:%d", u.ID)
	} else {
		detail["email"] = email
	}
	if action == "sign_in.succeeded" {
		actor = u.ID
	}
	if reason != "" {
		detail["reason"] = reason
	}
	return audit.Record(ctx, db, actor, action, subject, detail)
}

// ErrBadCredentials means the email or password is wrong; callers must not say which.
var ErrBadCredentials = errors.New("email or password is wrong")

// SignInFailures are the failed sign-ins within SignInWindow that bear on an attempt.
type SignInFailures struct {
	Pair    int // for this account from this address
	Address int // from this address, for any account
	Account int // for this account, from anywhere
}

// SignInVerdict is what to do with a sign-in attempt.
type SignInVerdict struct {
	// Refuse turns the attempt away without looking at the password.
	Refuse bool
	// Delay is how long to wait before checking the password.
	Delay time.Duration
	// Alert tells the account holder, if the password turns out wrong.
	Alert bool
}

// ThrottleSignIn decides what to do with an attempt, given the failures before it.
func ThrottleSignIn(f SignInFailures) SignInVerdict {
	if f.Pair >= MaxFailuresPerPair || f.Address >= MaxFailuresPerAddress {
		return SignInVerdict{Refuse: true}
	}
	v := SignInVerdict{Alert: f.Account+1 >= AlertAfterFailures}
	if extra := f.Account - FreeFailuresPerAccount; extra >= 0 {
		v.Delay = MaxSignInDelay
		if extra < 8 {
			v.Delay = min(FirstSignInDelay<<extra, MaxSignInDelay)
		}
	}
	return v
}

// Advisory lock classes for sign-in attempts, always taken address first, then account.
const (
	lockSignInAddress = 7101
	lockSignInAccount = 7102
)

// Authenticate checks an email and password tried from address ip. It refuses with
// ErrRateLimited, before looking at the password, when ThrottleSignIn says so, and otherwise
// waits the verdict's delay (holding no connection and no hashing slot). The attempt is
// counted as a failure from the start, under locks, so parallel attempts cannot get past
// the limits; a right password takes it back. Unknown emails go through the same steps.
// ErrBusy means no hashing slot came free in time, and the attempt is not counted.
func (s Store) Authenticate(ctx context.Context, email, password, ip string) (User, error) {
	email = NormaliseEmail(email)
	u, v, failure, err := s.recordAttempt(ctx, email, ip)
	if err != nil {
		return User{}, err
	}
	if v.Refuse {
		if err := recordSignIn(ctx, s.DB, "sign_in.refused", email, u, "too many attempts"); err != nil {
			return User{}, err
		}
		return User{}, ErrRateLimited
	}
	var ok bool
	err = s.sleep(ctx, v.Delay)
	if err == nil {
		err = s.hashing().Do(ctx, func() { ok = CheckPassword(password, u.PasswordHash) })
	}
	if err != nil {
		// The password was never checked, so the attempt is no failure.
		if _, derr := s.DB.Exec(context.WithoutCancel(ctx), `DELETE FROM sign_in_failures WHERE id = $1`, failure); derr != nil {
			err = errors.Join(err, fmt.Errorf("auth: withdraw attempt: %w", derr))
		}
		return User{}, err
	}
	if !ok {
		if v.Alert {
			if err := s.alertHolder(ctx, email, u); err != nil {
				return User{}, err
			}
		}
		if err := recordSignIn(ctx, s.DB, "sign_in.failed", email, u, ""); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	// The holder's own earlier typos from here stop counting; failures from elsewhere stay.
	if _, err := s.DB.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = $1 AND ip = $2 AND id <= $3`,
		email, ip, failure); err != nil {
		return User{}, fmt.Errorf("auth: clear failures: %w", err)
	}
	if u.Deactivated() {
		// Only someone who knows the password learns that the account was deactivated.
		if err := recordSignIn(ctx, s.DB, "sign_in.refused", email, u, "deactivated"); err != nil {
			return User{}, err
		}
		return User{}, ErrDeactivated
	}
	if _, err := s.DB.Exec(ctx, `UPDATE users SET last_sign_in_at = now() WHERE id = $1`, u.ID); err != nil {
		return User{}, fmt.Errorf("auth: last sign-in: %w", err)
	}
	if err := recordSignIn(ctx, s.DB, "sign_in.succeeded", email, u, ""); err != nil {
		return User{}, err
	}
	return u, nil
}

// recordAttempt counts the failures bearing on an attempt and, unless it is refused, records
// it as a failure, all under the address's and the account's locks. It also returns the
// account (empty for an unknown email) and the id of the recorded failure.
func (s Store) recordAttempt(ctx context.Context, email, ip string) (User, SignInVerdict, int64, error) {
	var u User
	var v SignInVerdict
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockSignInAddress, ip)
		b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockSignInAccount, email)
		var f SignInFailures
		b.Queue(`
			SELECT (SELECT count(*) FROM (SELECT FROM sign_in_failures
			         WHERE email = $1 AND ip = $2 AND at > now() - $3::interval LIMIT $4) p),
			       (SELECT count(*) FROM (SELECT FROM sign_in_failures
			         WHERE ip = $2 AND at > now() - $3::interval LIMIT $5) a),
			       (SELECT count(*) FROM (SELECT FROM sign_in_failures
			         WHERE email = $1 AND at > now() - $3::interval LIMIT $6) e)`,
			email, ip, SignInWindow.String(), MaxFailuresPerPair, MaxFailuresPerAddress, accountCountCap).
			QueryRow(func(r pgx.Row) error { return r.Scan(&f.Pair, &f.Address, &f.Account) })
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
		if v = ThrottleSignIn(f); v.Refuse {
			return nil
		}
		return tx.QueryRow(ctx, `INSERT INTO sign_in_failures (email, ip) VALUES ($1, $2) RETURNING id`, email, ip).Scan(&id)
	})
	if err != nil {
		return User{}, v, 0, fmt.Errorf("auth: record sign-in attempt: %w", err)
	}
	return u, v, id, nil
}

// alertHolder emails an account's holder about failed sign-ins, at most once per window.
// Unknown emails take the same steps but nobody is written to.
func (s Store) alertHolder(ctx context.Context, email string, u User) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var failures int
		err := tx.QueryRow(ctx, `
			WITH due AS (
				INSERT INTO sign_in_alerts (email) VALUES ($1)
				ON CONFLICT (email) DO UPDATE SET sent_at = now()
				WHERE sign_in_alerts.sent_at <= now() - $2::interval
				RETURNING email)
			SELECT count(*) FROM sign_in_failures
			WHERE email = (SELECT email FROM due) AND at > now() - $2::interval`,
			email, SignInWindow.String()).Scan(&failures)
		if err != nil || failures == 0 || u.ID == 0 {
			return err
		}
		text, err := wording.SignInAlertEmail(wording.SignInAlert{Name: u.Name, Email: u.Email, Failures: failures,
			WindowMinutes: int(SignInWindow.Minutes())})
		if err != nil {
			return err
		}
		return notify.Enqueue(ctx, tx, notify.Message{ToAddress: u.Email, ToName: u.Name, Subject: text.Subject, Body: text.Body})
	})
	if err != nil {
		return fmt.Errorf("auth: sign-in alert: %w", err)
	}
	return nil
}
