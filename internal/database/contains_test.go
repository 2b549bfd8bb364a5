package database

import "testing"

func TestContains(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"leeds", "%leeds%"},
		{"50%", `%50\%%`},
		{"a_b", `%a\_b%`},
		{`c:\x`, `%c:\\x%`},
	} {
		if got := Contains(c.in); got != c.want {
			t.Errorf("Contains(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
