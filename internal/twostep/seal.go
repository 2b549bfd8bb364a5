package twostep

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix marks a secret stored encrypted; a secret without it was stored as it is
// (before a key was configured) and is read as it is.
const sealedPrefix = "v1:"

// KeySize is the length of the key that encrypts stored secrets: AES-256.
const KeySize = 32

// Sealer encrypts authenticator secrets before they are stored, with AES-256-GCM and a key
// from the configuration, so a copy of the database alone does not give the codes away. The
// user's id is bound to each secret as additional data, so a sealed secret copied onto
// another account does not open. A nil Sealer stores secrets as they are.
type Sealer struct {
	aead cipher.AEAD
}

// ParseKey reads a key given as base64 (standard or URL alphabet, padded or not).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			if len(key) != KeySize {
				return nil, fmt.Errorf("the key must be %d bytes, not %d", KeySize, len(key))
			}
			return key, nil
		}
	}
	return nil, errors.New("the key must be base64")
}

// NewSealer returns a Sealer for key, which must be KeySize bytes.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("twostep: the key must be %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal returns secret as it is to be stored for userID.
func (s *Sealer) Seal(userID int64, secret string) (string, error) {
	if s == nil {
		return secret, nil
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := s.aead.Seal(nonce, nonce, []byte(secret), additional(userID))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open returns the secret stored for userID. A secret stored before a key was configured
// is returned as it is; a sealed one needs the key.
func (s *Sealer) Open(userID int64, stored string) (string, error) {
	rest, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	if s == nil {
		return "", errors.New("twostep: the secret is encrypted and TWO_STEP_KEY is not set")
	}
	raw, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errors.New("twostep: the stored secret is damaged")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], additional(userID))
	if err != nil {
		return "", errors.New("twostep: the stored secret does not open with TWO_STEP_KEY")
	}
	return string(plain), nil
}

func additional(userID int64) []byte { return fmt.Appendf(nil, "two_step:%d", userID) }
