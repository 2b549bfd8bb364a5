package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Entry is one line of the audit trail as the trail page shows it.
type Entry struct {
	ID            int64
	At            time.Time
	ActorID       int64 // 0 for the system or someone not signed in
	ActorName     string
	ActorEmail    string
	Action        string
	Subject       string
	SubjectUserID int64 // the person the entry is about, 0 for none
	SubjectName   string
	SubjectEmail  string
	Detail        string // JSON
	IP            string
	RequestID     string
}

// Person picks out one account in a filter, by email address or by id.
type Person struct {
	ID    int64
	Email string
}

// ParsePerson reads a person as typed: a number is an account's id, anything else an email
// address.
func ParsePerson(s string) Person {
	s = strings.TrimSpace(s)
	if s == "" {
		return Person{}
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		return Person{ID: id}
	}
	return Person{Email: strings.ToLower(s)}
}

// IsZero reports whether no one is picked.
func (p Person) IsZero() bool { return p.ID == 0 && p.Email == "" }

// Filter narrows the trail. Zero fields do not filter.
type Filter struct {
	Actor  Person    // who did it
	Person Person    // who it is about
	Kind   string    // a Kind's value
	From   time.Time // entries at or after
	Until  time.Time // entries before
}

// Position is where a page of the trail starts: after (or, backward, before) the entry with
// this time and id; the zero Position is the newest entry.
type Position struct {
	At       time.Time
	ID       int64
	Backward bool
}

// where builds the filter's conditions, numbering its parameters from 1.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	person := func(col string, p Person) {
		if p.ID != 0 {
			add(col+" = $?", p.ID)
		} else if p.Email != "" {
			add(col+" = (SELECT id FROM users WHERE email = $?)", p.Email)
		}
	}
	person("a.actor_id", f.Actor)
	person("a.subject_user_id", f.Person)
	if k, ok := KindByValue(f.Kind); ok {
		add("a.action LIKE ANY($?::text[])", k.patterns)
	}
	if !f.From.IsZero() {
		add("a.at >= $?", f.From)
	}
	if !f.Until.IsZero() {
		add("a.at < $?", f.Until)
	}
	if len(conds) == 0 {
		return "true", args
	}
	return strings.Join(conds, " AND "), args
}

const entryColumns = `a.id, a.at, coalesce(a.actor_id, 0), coalesce(ua.name, ''), coalesce(ua.email, ''),
	a.action, a.subject, coalesce(a.subject_user_id, 0), coalesce(us.name, ''), coalesce(us.email, ''),
	a.detail::text, a.ip, a.request_id
	FROM audit_log a
	LEFT JOIN users ua ON ua.id = a.actor_id
	LEFT JOIN users us ON us.id = a.subject_user_id`

func scanEntry(r pgx.CollectableRow) (Entry, error) {
	var e Entry
	err := r.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.ActorEmail, &e.Action, &e.Subject,
		&e.SubjectUserID, &e.SubjectName, &e.SubjectEmail, &e.Detail, &e.IP, &e.RequestID)
	return e, err
}

// Entries returns up to limit entries matching f from pos, newest first (backward: the
// entries just newer than pos, oldest first, for the caller to reverse).
func Entries(ctx context.Context, db database.DB, f Filter, pos Position, limit int) ([]Entry, error) {
	where, args := f.where()
	order := "a.at DESC, a.id DESC"
	if !pos.At.IsZero() {
		cmp := "<"
		if pos.Backward {
			cmp = ">"
		}
		args = append(args, pos.At, pos.ID)
		where += fmt.Sprintf(" AND (a.at, a.id) %s ($%d, $%d)", cmp, len(args)-1, len(args))
	}
	if pos.Backward {
		order = "a.at, a.id"
	}
	args = append(args, limit)
	rows, err := db.Query(ctx, `SELECT `+entryColumns+` WHERE `+where+` ORDER BY `+order+
		fmt.Sprintf(" LIMIT $%d", len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("audit: entries: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("audit: entries: %w", err)
	}
	return out, nil
}

// EachEntry calls fn with every entry matching f, newest first, up to limit, reading them
// as they come rather than all at once.
func EachEntry(ctx context.Context, db database.DB, f Filter, limit int, fn func(Entry) error) error {
	where, args := f.where()
	args = append(args, limit)
	rows, err := db.Query(ctx, `SELECT `+entryColumns+` WHERE `+where+
		fmt.Sprintf(" ORDER BY a.at DESC, a.id DESC LIMIT $%d", len(args)), args...)
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return fmt.Errorf("audit: export: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	return nil
}
