package twostep

import (
	"strings"
	"testing"
	"time"
)

func TestGrouped(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"ABC", "ABC"},
		{"ABCD", "ABCD"},
		{"ABCDEFGHIJ", "ABCD EFGH IJ"},
	} {
		if got := Grouped(tt.in); got != tt.want {
			t.Errorf("Grouped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCodeProblem(t *testing.T) {
	for _, tt := range []struct{ code, want string }{
		{"", "Enter the 6-digit code from your authenticator app"},
		{"  ", "Enter the 6-digit code from your authenticator app"},
		{"12345", "The code must be 6 digits"},
		{"1234567", "The code must be 6 digits"},
		{"12a456", "The code must be 6 digits"},
		{"123456", ""},
		{"123 456", ""},
		{" 123-456 ", ""},
	} {
		if got := CodeProblem(tt.code); got != tt.want {
			t.Errorf("CodeProblem(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	k, err := NewKey("someone@example.test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 10, 0, time.UTC)
	at := func(d time.Duration) string {
		c, err := Code(k.Secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tt := range []struct {
		name string
		code string
		ok   bool
		step int64
	}{
		{"now", at(0), true, Step(now)},
		{"typed with a space", at(0)[:3] + " " + at(0)[3:], true, Step(now)},
		{"one step ago", at(-Period), true, Step(now) - 1},
		{"one step ahead", at(Period), true, Step(now) + 1},
		{"two steps ago", at(-2 * Period), false, 0},
		{"wrong", "000000", false, 0},
	} {
		step, ok := Match(k.Secret, tt.code, now)
		if ok != tt.ok || step != tt.step {
			t.Errorf("%s: Match = %d, %v; want %d, %v", tt.name, step, ok, tt.step, tt.ok)
		}
	}
}

func TestKeyForRebuildsTheURL(t *testing.T) {
	k, err := NewKey("someone@example.test")
	if err != nil {
		t.Fatal(err)
	}
	again := KeyFor("someone@example.test", k.Secret)
	if again.URL != k.URL {
		t.Errorf("URL %q, want %q", again.URL, k.URL)
	}
	qr, err := again.QRDataURL()
	if err != nil || !strings.HasPrefix(qr, "data:image/png;base64,") {
		t.Errorf("QR %.40q, %v", qr, err)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || strings.Count(c, "-") != 2 {
			t.Errorf("code %q not written xxxx-xxxx-xxxx", c)
		}
		seen[c] = true
	}
	if len(seen) != RecoveryCodeCount {
		t.Errorf("%d distinct codes, want %d", len(seen), RecoveryCodeCount)
	}
	if HashRecoveryCode(codes[0]) != HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))+" ") {
		t.Error("a code typed without dashes, in capitals, hashes differently")
	}
}
