package milestones

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe/declarations"
	"npq/internal/dfe/outbound"
	"npq/internal/listing"
	"npq/internal/scope"
)

// RecomputeResult says what a recompute wrote.
type RecomputeResult struct {
	Enrolments int // enrolments with DfE ids looked at
	AtRisk     int
	Missed     int
	OnTrack    int
}

// Recompute works out every enrolment's next milestone and replaces the table with them, in
// one transaction: the evidence is read as the declarations job reads it, a chunk of
// enrolments a round trip (outbound.EachTarget), and the rows are replaced in one more. An advisory lock keeps two
// instances' runs from interleaving.
func Recompute(ctx context.Context, db database.DB, now time.Time) (RecomputeResult, error) {
	var res RecomputeResult
	err := database.InTx(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('dfe_milestones_at_risk'))`); err != nil {
			return err
		}
		res = RecomputeResult{}
		var c columns
		err := outbound.EachTarget(ctx, tx, func(t outbound.Target) error {
			res.Enrolments++
			l, ok := Next(t.Evidence, t.Status, now)
			if !ok {
				return nil
			}
			c.add(t.EnrolmentID, l)
			switch l.State {
			case AtRisk:
				res.AtRisk++
			case Missed:
				res.Missed++
			default:
				res.OnTrack++
			}
			return nil
		})
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM dfe_milestones_at_risk`)
		b.Queue(`INSERT INTO dfe_milestones_at_risk (enrolment_id, delivery_partner_id, cohort_id, declaration_type, window_starts_on,
				deadline, payment_date, state, missing, computed_at)
			SELECT x.e, h.delivery_partner_id, h.id, x.t, x.f, x.d, x.p, x.s, x.m, $8
			FROM unnest($1::bigint[], $2::text[], $3::date[], $4::date[], $5::date[], $6::text[], $7::text[]) AS x(e, t, f, d, p, s, m)
			JOIN enrolments e ON e.id = x.e JOIN cohorts h ON h.id = e.cohort_id`,
			c.enrolment, c.typ, c.from, c.deadline, c.payment, c.state, c.missing, now)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return RecomputeResult{}, fmt.Errorf("milestones: recompute: %w", err)
	}
	return res, nil
}

// columns are the rows to insert, column by column.
type columns struct {
	enrolment         []int64
	typ, state        []string
	missing           []string
	from              []time.Time
	deadline, payment []*time.Time
}

func (c *columns) add(enrolment int64, l Line) {
	c.enrolment = append(c.enrolment, enrolment)
	c.typ = append(c.typ, string(l.Type))
	c.state = append(c.state, string(l.State))
	c.missing = append(c.missing, l.Missing)
	c.from = append(c.from, l.From)
	c.deadline = append(c.deadline, optional(l.Deadline))
	c.payment = append(c.payment, optional(l.PaymentDate))
}

func optional(d declarations.Date) *time.Time {
	if d.IsZero() {
		return nil
	}
	return &d
}

// Row is one at-risk or missed milestone on the partner page.
type Row struct {
	EnrolmentID int64
	UserID      int64
	Name, Email string
	CohortID    int64
	Cohort      string
	Course      string
	Type        declarations.Type
	From        time.Time
	Deadline    time.Time
	PaymentDate *time.Time
	State       State
	Missing     string
}

// Key is a row's position in the list: deadline, soonest first, then enrolment.
func Key(r Row) listing.Cursor { return listing.TimeKey(r.Deadline, r.EnrolmentID) }

// Filter narrows the list: a cohort and a course (0 for any), a milestone type and a state
// ("" for any) and a search of the participant's name and email address.
type Filter struct {
	CohortID int64
	CourseID int64
	Type     declarations.Type
	State    State
	Query    string
}

// Cohort is one of the scope's cohorts, for the page's filters.
type Cohort struct {
	ID       int64
	Name     string
	CourseID int64
	Course   string
}

// Page is one page of the list with what the page's filters offer and when the table was
// worked out (nil before the first run).
type Page struct {
	Rows       []Row
	Cohorts    []Cohort
	ComputedAt *time.Time
	// NoDeadline counts the scope's participants whose next milestone has no deadline DfE has
	// published, so they cannot be judged at risk yet.
	NoDeadline int
}

// Store reads the table for the partner page.
type Store struct {
	DB database.DB
}

// List is one page of the scope's at-risk and missed milestones, soonest deadline first,
// fetched by keyset (r.Limit() rows; cut them with listing.Cut and Key), with the scope's
// cohorts and when the table was worked out, in one round trip. A partner's scope reads
// its own cohorts' rows only.
func (s Store) List(ctx context.Context, sc scope.Scope, f Filter, r listing.Request) (Page, error) {
	at, id, err := r.Cursor().TimeID()
	if err != nil {
		return Page{}, err
	}
	cmp, dir := listing.Seek(true, r)
	var w database.Conds
	w.Where("m.state <> 'on_track'")
	if !sc.All() {
		w.Add("m.delivery_partner_id = $?", sc.PartnerID())
	}
	if f.State != "" {
		w.Where("m.state = " + database.Literal(string(f.State)))
	}
	if f.Type != "" {
		w.Where("m.declaration_type = " + database.Literal(string(f.Type)))
	}
	if f.CohortID != 0 {
		w.Add("m.cohort_id = $?", f.CohortID)
	}
	if f.CourseID != 0 {
		w.Add("h.course_id = $?", f.CourseID)
	}
	if f.Query != "" {
		like := w.Arg(database.Contains(f.Query))
		w.Where("(u.name ILIKE " + like + " OR u.email ILIKE " + like + ")")
	}
	if id != 0 {
		w.Where("(m.deadline, m.enrolment_id) " + cmp + " (" + w.Arg(at.UTC().Format(time.DateOnly)) + "::date, " + w.Arg(id) + ")")
	}
	var p Page
	b := &pgx.Batch{}
	b.Queue(`SELECT m.enrolment_id, u.id, u.name, u.email, h.id, h.name, c.name, m.declaration_type, m.window_starts_on,
			m.deadline, m.payment_date, m.state, m.missing
		FROM dfe_milestones_at_risk m JOIN enrolments e ON e.id = m.enrolment_id JOIN users u ON u.id = e.user_id
			JOIN cohorts h ON h.id = m.cohort_id JOIN courses c ON c.id = h.course_id
		WHERE `+w.SQL()+`
		ORDER BY m.deadline `+dir+`, m.enrolment_id `+dir+` LIMIT `+strconv.Itoa(r.Limit()), w.Args...).Query(func(rows pgx.Rows) error {
		var err error
		p.Rows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Row, error) {
			var x Row
			err := row.Scan(&x.EnrolmentID, &x.UserID, &x.Name, &x.Email, &x.CohortID, &x.Cohort, &x.Course, &x.Type, &x.From,
				&x.Deadline, &x.PaymentDate, &x.State, &x.Missing)
			return x, err
		})
		return err
	})
	b.Queue(`SELECT h.id, h.name, c.id, c.name FROM cohorts h JOIN courses c ON c.id = h.course_id
		WHERE $1 OR h.delivery_partner_id = $2 ORDER BY h.starts_on DESC, h.name`, sc.All(), sc.PartnerID()).Query(func(rows pgx.Rows) error {
		var err error
		p.Cohorts, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Cohort, error) {
			var x Cohort
			return x, row.Scan(&x.ID, &x.Name, &x.CourseID, &x.Course)
		})
		return err
	})
	noDeadline := `SELECT count(*) FROM dfe_milestones_at_risk WHERE deadline IS NULL AND delivery_partner_id = $1`
	args := []any{sc.PartnerID()}
	if sc.All() {
		noDeadline, args = `SELECT count(*) FROM dfe_milestones_at_risk WHERE deadline IS NULL`, nil
	}
	b.Queue(noDeadline, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&p.NoDeadline) })
	b.Queue(`SELECT computed_at FROM dfe_milestones_at_risk LIMIT 1`).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var t time.Time
			if err := rows.Scan(&t); err != nil {
				return err
			}
			p.ComputedAt = &t
		}
		return rows.Err()
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return Page{}, fmt.Errorf("milestones: list: %w", err)
	}
	return p, nil
}
