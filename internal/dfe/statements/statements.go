// Package statements keeps DfE's statement calendar: for each cohort, each monthly financial
// statement's cut-off and payment dates. A declaration is paid in the first statement whose
// cut-off it is sent by, so the calendar says by when evidence must be declared to be paid in
// a month. The sync copies DfE's statements (upsert by DfE's id) into dfe_statements, which
// the calendar page and the declarations list read.
package statements

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/syncstate"
)

// syncList names the statements list in dfe_sync_state.
const syncList = "statements"

// Window is how often the statements sync runs; each sync reaches back two windows (see
// syncstate.Since).
const Window = 3 * time.Hour

// Lister lists DfE's statements changed since a time; *dfe.Client is one.
type Lister interface {
	Statements(ctx context.Context, updatedSince time.Time) ([]dfe.Statement, error)
}

// Statement is one statement of the calendar.
type Statement struct {
	ID          string
	Cohort      string
	Month       time.Month
	Year        int
	CutOff      time.Time // a London date
	PaymentDate time.Time // a London date; zero when DfE has not set it yet
	Paid        bool
}

// Name is the statement's month, as DfE names it: "March 2027".
func (s Statement) Name() string { return s.Month.String() + " " + fmt.Sprint(s.Year) }

// Result says what a sync did.
type Result struct {
	Since time.Time // zero for a full sync
	Read  int
}

// Sync reads the statements DfE changed since the last sync (every one the first time and
// once a week) and upserts them; a statement DfE changed earlier than the copy held is left
// alone. now is when the sync started.
func Sync(ctx context.Context, db database.DB, client Lister, now time.Time) (Result, error) {
	last, full, err := syncstate.Read(ctx, db, syncList)
	if err != nil {
		return Result{}, fmt.Errorf("statements: %w", err)
	}
	res := Result{Since: syncstate.Since(last, full, now, Window)}
	list, err := client.Statements(ctx, res.Since)
	if err != nil {
		return res, fmt.Errorf("statements: list from DfE: %w", err)
	}
	rows := make([]Statement, 0, len(list))
	for _, s := range list {
		st, err := parse(s)
		if err != nil {
			return res, err
		}
		rows = append(rows, st)
	}
	res.Read = len(rows)
	err = database.InTx(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for i, st := range rows {
			b.Queue(`INSERT INTO dfe_statements (id, cohort, month, year, cut_off_date, payment_date, paid, dfe_updated_at, synced_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				ON CONFLICT (id) DO UPDATE SET cohort = EXCLUDED.cohort, month = EXCLUDED.month, year = EXCLUDED.year,
					cut_off_date = EXCLUDED.cut_off_date, payment_date = EXCLUDED.payment_date, paid = EXCLUDED.paid,
					dfe_updated_at = EXCLUDED.dfe_updated_at, synced_at = EXCLUDED.synced_at
				WHERE dfe_statements.dfe_updated_at <= EXCLUDED.dfe_updated_at`,
				st.ID, st.Cohort, st.Month.String(), fmt.Sprint(st.Year), st.CutOff, nullDate(st.PaymentDate), st.Paid, list[i].Attributes.UpdatedAt, now)
		}
		syncstate.Queue(b, syncList, now, res.Since.IsZero())
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return res, fmt.Errorf("statements: save %d: %w", len(rows), err)
	}
	return res, nil
}

// parse turns DfE's statement into ours; DfE names the month ("January") and gives the year
// and dates as text.
func parse(s dfe.Statement) (Statement, error) {
	a := s.Attributes
	month, err := time.Parse("January", a.Month)
	if err != nil {
		return Statement{}, fmt.Errorf("statements: %s: month %q: %w", s.ID, a.Month, err)
	}
	var year int
	if _, err := fmt.Sscan(a.Year, &year); err != nil {
		return Statement{}, fmt.Errorf("statements: %s: year %q: %w", s.ID, a.Year, err)
	}
	cut, err := time.Parse(time.DateOnly, a.CutOffDate)
	if err != nil {
		return Statement{}, fmt.Errorf("statements: %s: cut-off %q: %w", s.ID, a.CutOffDate, err)
	}
	var pay time.Time
	if a.PaymentDate != "" {
		if pay, err = time.Parse(time.DateOnly, a.PaymentDate); err != nil {
			return Statement{}, fmt.Errorf("statements: %s: payment date %q: %w", s.ID, a.PaymentDate, err)
		}
	}
	return Statement{ID: s.ID, Cohort: a.Cohort, Month: month.Month(), Year: year, CutOff: cut, PaymentDate: pay, Paid: a.Paid}, nil
}

// nullDate is a date for a nullable column: NULL for the zero time.
func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Store reads the statement calendar.
type Store struct{ DB database.DB }

// Calendar lists the statements of every cohort from those paid on or after from (or, with no
// payment date yet, whose cut-off is), soonest cut-off first, with the time of the last sync
// (zero when there has been none).
func (s Store) Calendar(ctx context.Context, from time.Time) ([]Statement, time.Time, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, cohort, month, year, cut_off_date, payment_date, paid,
			(SELECT ran_at FROM dfe_sync_state WHERE list = $2)
		FROM dfe_statements WHERE coalesce(payment_date, cut_off_date) >= $1 ORDER BY cut_off_date, cohort, id LIMIT 500`, from, syncList)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("statements: calendar: %w", err)
	}
	var synced, pay *time.Time
	var out []Statement
	var st Statement
	var month, year string
	_, err = pgx.ForEachRow(rows, []any{&st.ID, &st.Cohort, &month, &year, &st.CutOff, &pay, &st.Paid, &synced}, func() error {
		m, err := time.Parse("January", month)
		if err != nil {
			return fmt.Errorf("statement %s: month %q", st.ID, month)
		}
		if _, err := fmt.Sscan(year, &st.Year); err != nil {
			return fmt.Errorf("statement %s: year %q", st.ID, year)
		}
		st.Month, st.PaymentDate = m.Month(), time.Time{}
		if pay != nil {
			st.PaymentDate = *pay
		}
		out = append(out, st)
		return nil
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("statements: calendar: %w", err)
	}
	if synced == nil {
		return out, time.Time{}, nil
	}
	return out, *synced, nil
}
