package database

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

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

func TestConds(t *testing.T) {
	var none Conds
	if none.SQL() != "true" || len(none.Args) != 0 {
		t.Errorf("no conditions: %q %v", none.SQL(), none.Args)
	}
	var c Conds
	c.Add("h.course_id = $?", int64(3))
	c.Add("(u.name ILIKE $? OR u.email ILIKE $?)", "%am%")
	at, id := c.Arg("2026-01-01"), c.Arg(int64(9))
	c.Where("(r.created_at, r.id) > (" + at + ", " + id + ")")
	c.Where("r.state = 'open'")
	want := "h.course_id = $1 AND (u.name ILIKE $2 OR u.email ILIKE $2) AND (r.created_at, r.id) > ($3, $4) AND r.state = 'open'"
	if c.SQL() != want {
		t.Errorf("SQL = %q, want %q", c.SQL(), want)
	}
	if len(c.Args) != 4 || c.Args[0] != int64(3) || c.Args[1] != "%am%" || c.Args[3] != int64(9) {
		t.Errorf("Args = %v", c.Args)
	}
}

func TestCondsPlansASearchForItsText(t *testing.T) {
	var filter Conds
	filter.Add("h.course_id = $?", int64(3))
	if args := filter.QueryArgs(); len(args) != 1 || args[0] != int64(3) {
		t.Errorf("a filter's QueryArgs = %v, want its value alone", args)
	}
	var search Conds
	search.Add("h.course_id = $?", int64(3))
	search.Search("u.name ILIKE $?", "%am%")
	if search.SQL() != "h.course_id = $1 AND u.name ILIKE $2" {
		t.Errorf("SQL = %q", search.SQL())
	}
	args := search.QueryArgs()
	if len(args) != 3 || args[0] != pgx.QueryExecModeSimpleProtocol || args[1] != int64(3) || args[2] != "%am%" {
		t.Errorf("a search's QueryArgs = %v, want the simple protocol, then its values", args)
	}
}

func TestLiteral(t *testing.T) {
	for in, want := range map[string]string{"open": "'open'", "": "''", "o'brien": "'o''brien'"} {
		if got := Literal(in); got != want {
			t.Errorf("Literal(%q) = %s, want %s", in, got, want)
		}
	}
}
