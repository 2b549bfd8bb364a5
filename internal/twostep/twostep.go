// Package twostep holds two-step sign-in: time-based one-time codes (RFC 6238) from an
// authenticator app, and single-use recovery codes kept only as hashes.
package twostep

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Period is how long each code lasts.
const Period = 30 * time.Second

// Issuer names the service in authenticator apps.
const Issuer = "NPQ"

// RecoveryCodeCount is how many recovery codes an account gets when it sets up two-step sign-in.
const RecoveryCodeCount = 10

// Key is a new authenticator secret with what the set-up page shows for it.
type Key struct {
	Secret string // base32, as authenticator apps take it
	URL    string // the otpauth:// address the QR code holds
}

// NewKey makes a new random secret for the account named accountName (its email address).
func NewKey(accountName string) (Key, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: accountName})
	if err != nil {
		return Key{}, fmt.Errorf("twostep: new key: %w", err)
	}
	return Key{Secret: k.Secret(), URL: k.URL()}, nil
}

// KeyFor rebuilds the key for a secret already made, for showing it again.
func KeyFor(accountName, secret string) Key {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: accountName, Secret: mustDecode(secret)})
	if err != nil {
		return Key{Secret: secret}
	}
	return Key{Secret: secret, URL: k.URL()}
}

func mustDecode(secret string) []byte {
	b, err := base32NoPad(secret)
	if err != nil {
		return nil
	}
	return b
}

// QRDataURL is the key's QR code as a PNG data URL, for an <img> the page's policy allows.
func (k Key) QRDataURL() (string, error) {
	key, err := otp.NewKeyFromURL(k.URL)
	if err != nil {
		return "", fmt.Errorf("twostep: qr: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", fmt.Errorf("twostep: qr: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("twostep: qr: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// Grouped writes a secret in groups of four characters, for typing it in by hand.
func Grouped(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Step is the time step a moment falls in.
func Step(t time.Time) int64 { return t.Unix() / int64(Period/time.Second) }

// NormaliseCode takes out the spaces and dashes people type into codes.
func NormaliseCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}

// CodeProblem is what is wrong with the form of a typed code, or "".
func CodeProblem(code string) string {
	code = NormaliseCode(code)
	switch {
	case code == "":
		return "Enter the 6-digit code from your authenticator app"
	case len(code) != 6 || strings.Trim(code, "0123456789") != "":
		return "The code must be 6 digits"
	}
	return ""
}

// Match finds the time step at which code is right for secret, allowing one step either
// side of now for clocks that drift; ok is false when it matches none.
func Match(secret, code string, now time.Time) (step int64, ok bool) {
	code = NormaliseCode(code)
	for _, d := range []int64{0, -1, 1} {
		t := time.Unix((Step(now)+d)*int64(Period/time.Second), 0)
		want, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: uint(Period / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && want == code {
			return Step(t), true
		}
	}
	return 0, false
}

// Code is the code for secret at t: what the authenticator app shows.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCode(secret, t)
}

// NewRecoveryCodes makes RecoveryCodeCount random recovery codes, written xxxx-xxxx-xxxx.
func NewRecoveryCodes() ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 6)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("twostep: recovery codes: %w", err)
		}
		h := hex.EncodeToString(b)
		codes[i] = h[0:4] + "-" + h[4:8] + "-" + h[8:12]
	}
	return codes, nil
}

// HashRecoveryCode is how a recovery code is stored: the codes are random enough that a
// plain hash cannot be reversed by guessing.
func HashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(NormaliseCode(code))))
	return hex.EncodeToString(sum[:])
}
