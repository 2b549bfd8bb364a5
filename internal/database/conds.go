package database

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Conds builds a list query's WHERE clause from only the conditions its filters turn on,
// numbering their parameters. Each combination of filters is then a statement of its own, so
// PostgreSQL can keep one plan for it instead of planning on every view: a kept plan for
// "$3 = 0 OR h.course_id = $3" must walk the whole table, one for "h.course_id = $3" uses
// the index. Its zero value has no conditions; Args are the statement's arguments, in order.
type Conds struct {
	Args   []any
	conds  []string
	search bool
}

// Arg adds a parameter and returns its placeholder, for a value used more than once.
func (c *Conds) Arg(v any) string {
	c.Args = append(c.Args, v)
	return "$" + strconv.Itoa(len(c.Args))
}

// Add adds a condition in which every "$?" stands for v, a new parameter.
func (c *Conds) Add(cond string, v any) {
	c.conds = append(c.conds, strings.ReplaceAll(cond, "$?", c.Arg(v)))
}

// Where adds a condition without parameters, or whose placeholders came from Arg.
func (c *Conds) Where(cond string) { c.conds = append(c.conds, cond) }

// Search adds a condition on what someone typed (an ILIKE pattern from Contains, say), in
// which every "$?" stands for v. Unlike a filter's value, the best plan depends on the text
// itself: a trigram index finds "smith" at once but is no help for "an", which a scan in the
// list's order finds in the first rows. So a statement that searches is planned for its text
// on every run (see QueryArgs) rather than kept with one plan for any text.
func (c *Conds) Search(cond string, v any) {
	c.Add(cond, v)
	c.search = true
}

// QueryArgs are the arguments to run the statement with: Args, led by pgx's simple protocol
// when the statement searches, which sends the values inside the statement (quoted by pgx),
// so PostgreSQL plans it for them even where the pool keeps generic plans.
func (c *Conds) QueryArgs() []any {
	if !c.search {
		return c.Args
	}
	return append([]any{pgx.QueryExecModeSimpleProtocol}, c.Args...)
}

// SQL is the conditions joined with AND: "true" when there are none.
func (c *Conds) SQL() string {
	if len(c.conds) == 0 {
		return "true"
	}
	return strings.Join(c.conds, " AND ")
}

// Literal is s as an SQL string literal, for a value from a fixed set (a list's kind or
// state, read through its Parse function) written into a statement rather than passed as a
// parameter: PostgreSQL then plans the statement knowing the value, once, instead of either
// planning it again on every run or keeping a plan made for an unknown value.
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
