// Package database opens the PostgreSQL pool, runs migrations and wraps transactions.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"npq/migrations"
)

// Options tune a pool for the work it does.
type Options struct {
	// StatementTimeout cancels any statement (including one waiting for a lock) that runs
	// longer; zero means no limit, as migrations and data loading need.
	StatementTimeout time.Duration
	// MaxConns caps the pool's connections; pgxpool's default (the larger of 4 and the
	// number of CPUs) when zero.
	MaxConns int32
	// Tracer, when set, sees every query the pool runs (the benchmark counts them with it).
	Tracer pgx.QueryTracer
	// GenericPlans has PostgreSQL plan each prepared statement once per connection and keep
	// that plan (plan_cache_mode = force_generic_plan), for the pool that serves pages.
	//
	// Left to itself PostgreSQL re-plans a statement on every run whenever the plan it would
	// keep looks costlier than one made for the values at hand. At national size that is most
	// of the cost of some pages: a partner's upcoming events were planned afresh on every view
	// (0.3 ms idle, 1.3 ms under load, more than running it), and the outside measurement found
	// the same on the participant's home page. The page statements are written for it: they
	// hold only the filters chosen and the viewer's own scope, and values whose selectivity
	// differs widely (a request's kind and state, an event's kind) are written into the
	// statement rather than passed, so each combination is a statement with a plan of its own.
	// Jobs, migrations and data loading keep the default.
	GenericPlans bool
}

// Open connects a pool to the database at url and checks that it answers.
func Open(ctx context.Context, url string, opts Options) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: parse url: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	// The app's queries are short and indexed; PostgreSQL's JIT compiler only costs them time
	// (at national size it compiled for up to seconds on a query that runs in 100 ms).
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	if opts.GenericPlans {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.StatementTimeout > 0 {
		ms := strconv.FormatInt(max(opts.StatementTimeout.Milliseconds(), 1), 10)
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = ms
		cfg.ConnConfig.RuntimeParams["lock_timeout"] = ms
	}
	if opts.Tracer != nil {
		cfg.ConnConfig.Tracer = opts.Tracer
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: ping: %w", err)
	}
	return pool, nil
}

// Migrate applies every pending migration: ours (goose), then River's (MigrateRiver).
// Postgres advisory locks let several instances start at once.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("database: migration lock: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("database: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("database: migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "file", r.Source.Path, "duration", r.Duration)
	}
	return MigrateRiver(ctx, pool, log)
}

// DB is what stores need to run queries: a pool or a transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func InTx(ctx context.Context, db DB, fn func(tx pgx.Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique-constraint violation, optionally of one
// named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return constraint == "" || pgErr.ConstraintName == constraint
}

// ErrNotFound is returned by stores when a row does not exist (or is not visible to the caller).
var ErrNotFound = errors.New("not found")

// IsNoRows reports whether err says a query returned no row.
func IsNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// InTxRetry is InTx that runs fn again (up to three times in all) when PostgreSQL aborts the
// transaction for a deadlock or a serialization failure, which can happen when several
// transactions lock the same rows in different orders.
func InTxRetry(ctx context.Context, db DB, fn func(tx pgx.Tx) error) error {
	var err error
	for range 3 {
		err = InTx(ctx, db, fn)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || (pgErr.Code != "40P01" && pgErr.Code != "40001") {
			return err
		}
	}
	return err
}

// NullID turns an id of 0 (nobody, such as the system acting) into SQL NULL.
func NullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Contains is an ILIKE pattern that finds text containing s, with LIKE's wildcards in s taken
// literally; "" for an empty s, so that a query can test for "no search".
func Contains(s string) string {
	if s == "" {
		return ""
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
