package twostep

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/wording"
)

// Someone whose role requires two-step sign-in but who has not set it up proves, after their
// password, that they can read their email before they may set it up: otherwise whoever
// learnt the password could add their own app and keep the account.
const (
	// EmailCodeLifetime is how long the emailed code works.
	EmailCodeLifetime = 15 * time.Minute
	// EmailCodeTries is how many wrong emailed codes end the sign-in.
	EmailCodeTries = 5
)

// NewEmailCode makes a random 6-digit code to email.
func NewEmailCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("twostep: email code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// HashEmailCode is how an emailed code is kept until it is given back: bound to the account.
func HashEmailCode(userID int64, code string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d:%s", userID, NormaliseCode(code)))
	return hex.EncodeToString(sum[:])
}

// EmailCodeMatches reports, in constant time, whether code is the one hashed.
func EmailCodeMatches(userID int64, code, hash string) bool {
	return hash != "" && subtle.ConstantTimeCompare([]byte(HashEmailCode(userID, code)), []byte(hash)) == 1
}

// EmailCodeTo is who is sent an emailed code.
type EmailCodeTo struct {
	UserID      int64
	Name, Email string
}

// SendEmailCode emails to a new code for setting up two-step sign-in, records that it was
// sent, and returns the code's hash to keep.
func (s Store) SendEmailCode(ctx context.Context, to EmailCodeTo, baseURL string, now time.Time) (string, error) {
	code, err := NewEmailCode()
	if err != nil {
		return "", err
	}
	text, err := wording.TwoStepEmailCodeEmail(wording.TwoStepEmailCode{Name: to.Name, Code: code,
		Minutes: int(EmailCodeLifetime.Minutes()), At: now, BaseURL: baseURL})
	if err != nil {
		return "", err
	}
	err = database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: to.Email, ToName: to.Name, Subject: text.Subject, Body: text.Body}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, to.UserID, "sign_in.email_code_sent", fmt.Sprintf("user:%d", to.UserID), nil)
	})
	if err != nil {
		return "", fmt.Errorf("twostep: email code for %d: %w", to.UserID, err)
	}
	return HashEmailCode(to.UserID, code), nil
}
