package database

import (
	"strconv"
	"strings"
)

// Conds builds a list query's WHERE clause from only the conditions its filters turn on,
// numbering their parameters. Each combination of filters is then a statement of its own, so
// PostgreSQL can keep one plan for it instead of planning on every view: a kept plan for
// "$3 = 0 OR h.course_id = $3" must walk the whole table, one for "h.course_id = $3" uses
// the index. Its zero value has no conditions; Args are the statement's arguments, in order.
type Conds struct {
	Args  []any
	conds []string
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
