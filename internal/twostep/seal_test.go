package twostep

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestSealerRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "NPQDEMOADMINTWOSTEPSECRET234567A"
	sealed, err := s.Seal(42, secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sealed, sealedPrefix) || strings.Contains(sealed, secret) {
		t.Fatalf("sealed = %q", sealed)
	}
	again, _ := s.Seal(42, secret)
	if again == sealed {
		t.Error("two seals of one secret are the same: the nonce is not random")
	}
	if got, err := s.Open(42, sealed); err != nil || got != secret {
		t.Errorf("Open = %q, %v", got, err)
	}
	// Bound to the account: copied onto another it does not open.
	if _, err := s.Open(43, sealed); err == nil {
		t.Error("a secret sealed for one account opened for another")
	}
	other, _ := NewSealer(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(42, sealed); err == nil {
		t.Error("opened with the wrong key")
	}
	var none *Sealer
	if _, err := none.Open(42, sealed); err == nil {
		t.Error("opened without a key")
	}
	for _, damaged := range []string{sealedPrefix, sealedPrefix + "!!!", sealedPrefix + "AAAA", sealed[:len(sealed)-2]} {
		if _, err := s.Open(42, damaged); err == nil {
			t.Errorf("damaged %q opened", damaged)
		}
	}
}

// Secrets stored before a key was configured keep working; without a key, secrets are
// stored as they are.
func TestSealerReadsPlainSecrets(t *testing.T) {
	s, _ := NewSealer(bytes.Repeat([]byte{7}, KeySize))
	for _, sealer := range []*Sealer{s, nil} {
		if got, err := sealer.Open(1, "ABCDEFGH"); err != nil || got != "ABCDEFGH" {
			t.Errorf("plain secret: %q, %v", got, err)
		}
	}
	var none *Sealer
	if got, _ := none.Seal(1, "ABCDEFGH"); got != "ABCDEFGH" {
		t.Errorf("without a key: %q", got)
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb}, KeySize)
	for _, s := range []string{
		base64.StdEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key), " " + base64.RawURLEncoding.EncodeToString(key) + "\n",
	} {
		if got, err := ParseKey(s); err != nil || !bytes.Equal(got, key) {
			t.Errorf("ParseKey(%q) = %x, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "not base64 at all!", base64.StdEncoding.EncodeToString(key[:16])} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
	if _, err := NewSealer(key[:10]); err == nil {
		t.Error("NewSealer accepted a short key")
	}
}

func TestEmailCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		code, err := NewEmailCode()
		if err != nil || len(code) != 6 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("NewEmailCode() = %q, %v", code, err)
		}
		seen[code] = true
	}
	if len(seen) < 45 {
		t.Errorf("only %d different codes in 50", len(seen))
	}
	hash := HashEmailCode(7, "042917")
	tests := []struct {
		user int64
		code string
		hash string
		want bool
	}{
		{7, "042917", hash, true},
		{7, " 042 917 ", hash, true}, // as typed, with spaces
		{7, "042918", hash, false},
		{8, "042917", hash, false}, // another account's code
		{7, "", hash, false},
		{7, "042917", "", false}, // none was sent
	}
	for _, tt := range tests {
		if got := EmailCodeMatches(tt.user, tt.code, tt.hash); got != tt.want {
			t.Errorf("EmailCodeMatches(%d, %q) = %v, want %v", tt.user, tt.code, got, tt.want)
		}
	}
}
