package problem

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAs(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string
		ok   bool
	}{
		{"nil", nil, "", false},
		{"another error", errors.New("boom"), "", false},
		{"a problem", New("This event is full"), "This event is full", true},
		{"wrapped", fmt.Errorf("events: book 3: %w", New("This event is full")), "This event is full", true},
		{"formatted", fmt.Errorf("x: %w", Newf("You have used all %d attempts", 2)), "You have used all 2 attempts", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := As(tt.err)
			if ok != tt.ok || p.Message != tt.want {
				t.Errorf("As(%v) = %q, %v; want %q, %v", tt.err, p.Message, ok, tt.want, tt.ok)
			}
		})
	}
	if err := fmt.Errorf("wrapped: %w", New("x")); err.Error() != "wrapped: x" {
		t.Errorf("Error() = %q", err.Error())
	}
	sentinel := New("The register opens on the day of the event")
	if !errors.Is(fmt.Errorf("events: mark register: %w", sentinel), sentinel) {
		t.Error("a wrapped sentinel problem is not found by errors.Is")
	}
}

func TestTooLong(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, ""},
		{"abcd", 3, "Title must be 3 characters or fewer"},
		{"ééé", 3, ""}, // characters, not bytes
	} {
		if got := TooLong("Title", tt.s, tt.n); got != tt.want {
			t.Errorf("TooLong(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func joined(ps Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+": "+p.Message)
	}
	return strings.Join(out, "|")
}

func TestProblems(t *testing.T) {
	var ps Problems
	ps.Add("title", "")
	ps.Required("title", "Team meeting", "Enter the title")
	ps.MaxLength("title", "Title", "Team meeting", 200)
	if len(ps) != 0 {
		t.Fatalf("problems from good values: %v", ps)
	}
	ps.Required("name", "", "Enter the name")
	ps.MaxLength("name", "Name", "", 3)
	ps.MaxLength("notes", "Notes", "abcd", 3)
	ps.Add("name", "A second problem with the name")
	if got, want := joined(ps), "name: Enter the name|notes: Notes must be 3 characters or fewer"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if ps.For("name") != "Enter the name" || ps.For("title") != "" {
		t.Errorf("For: %q %q", ps.For("name"), ps.For("title"))
	}
	ps.Merge(Problems{{Field: "notes", Message: "later"}, {Field: "date-day", Message: "Enter the date"}})
	if got, want := joined(ps), "name: Enter the name|notes: Notes must be 3 characters or fewer|date-day: Enter the date"; got != want {
		t.Errorf("after Merge: got %q, want %q", got, want)
	}
}

func TestSorted(t *testing.T) {
	ps := Problems{{"c", "3"}, {"x", "unlisted first"}, {"a", "1"}, {"y", "unlisted second"}, {"b", "2"}}
	if got, want := joined(ps.Sorted("a", "b", "c")), "a: 1|b: 2|c: 3|x: unlisted first|y: unlisted second"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := joined(ps); !strings.HasPrefix(got, "c: 3") {
		t.Errorf("Sorted changed the problems it was called on: %q", got)
	}
	if got := Problems(nil).Sorted("a"); len(got) != 0 {
		t.Errorf("nil sorted: %v", got)
	}
}
