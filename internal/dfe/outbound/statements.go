package outbound

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe"
)

// statementsList names the statements list in dfe_sync_state.
const statementsList = "statements"

// statementsReachBack is how far before the last sync's start the next one asks from.
const statementsReachBack = 30 * time.Minute

// StatementLister lists DfE's statements changed since a time; *dfe.Client is one.
type StatementLister interface {
	Statements(ctx context.Context, updatedSince time.Time) ([]dfe.Statement, error)
}

// SyncStatements copies DfE's statements changed since the last sync (all of them the first
// time) into dfe_statements, so the declarations page can show the cut-off a due
// declaration must beat and its payment date. It returns how many were read.
func SyncStatements(ctx context.Context, db database.DB, client StatementLister, now time.Time) (int, error) {
	var last time.Time
	err := db.QueryRow(ctx, `SELECT synced_until FROM dfe_sync_state WHERE list = $1`, statementsList).Scan(&last)
	if err != nil && !database.IsNoRows(err) {
		return 0, fmt.Errorf("outbound: statements sync state: %w", err)
	}
	since := time.Time{}
	if !last.IsZero() {
		since = last.Add(-statementsReachBack)
	}
	list, err := client.Statements(ctx, since)
	if err != nil {
		return 0, fmt.Errorf("outbound: statements from DfE: %w", err)
	}
	b := &pgx.Batch{}
	for _, st := range list {
		a := st.Attributes
		cut, err := time.Parse(time.DateOnly, a.CutOffDate)
		if err != nil {
			continue // DfE's contract requires a date; a statement without one has nothing to show
		}
		var pay *time.Time
		if p, err := time.Parse(time.DateOnly, a.PaymentDate); err == nil {
			pay = &p
		}
		b.Queue(`INSERT INTO dfe_statements (id, cohort, month, year, cut_off_date, payment_date, paid, dfe_updated_at, synced_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (id) DO UPDATE SET cohort = EXCLUDED.cohort, month = EXCLUDED.month, year = EXCLUDED.year,
				cut_off_date = EXCLUDED.cut_off_date, payment_date = EXCLUDED.payment_date, paid = EXCLUDED.paid,
				dfe_updated_at = EXCLUDED.dfe_updated_at, synced_at = EXCLUDED.synced_at
			WHERE dfe_statements.dfe_updated_at <= EXCLUDED.dfe_updated_at`,
			st.ID, a.Cohort, a.Month, a.Year, cut, pay, a.Paid, a.UpdatedAt, now)
	}
	b.Queue(`INSERT INTO dfe_sync_state (list, synced_until, ran_at) VALUES ($1, $2, $2)
		ON CONFLICT (list) DO UPDATE SET synced_until = greatest(dfe_sync_state.synced_until, EXCLUDED.synced_until), ran_at = EXCLUDED.ran_at`,
		statementsList, now)
	if err := database.InTx(ctx, db, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() }); err != nil {
		return 0, fmt.Errorf("outbound: save %d statements: %w", len(list), err)
	}
	return len(list), nil
}
