package plural_test

import (
	"testing"

	"npq/internal/plural"
)

func TestCount(t *testing.T) {
	tests := []struct {
		n                int
		singular, plural string
		want             string
	}{
		{0, "outcome", "outcomes", "0 outcomes"},
		{1, "outcome", "outcomes", "1 outcome"},
		{2, "outcome", "outcomes", "2 outcomes"},
		{1, "person", "people", "1 person"},
		{2, "person", "people", "2 people"},
		{1000, "person", "people", "1,000 people"},
		{1234567, "booking", "bookings", "1,234,567 bookings"},
		{-1, "day", "days", "-1 day"},
		{-1500, "day", "days", "-1,500 days"},
	}
	for _, tc := range tests {
		if got := plural.Count(tc.n, tc.singular, tc.plural); got != tc.want {
			t.Errorf("Count(%d, %q, %q) = %q, want %q", tc.n, tc.singular, tc.plural, got, tc.want)
		}
	}
}

func TestNoun(t *testing.T) {
	for n, want := range map[int]string{0: "letters", 1: "letter", 2: "letters", 21: "letters"} {
		if got := plural.Noun(n, "letter", "letters"); got != want {
			t.Errorf("Noun(%d) = %q, want %q", n, got, want)
		}
	}
}
