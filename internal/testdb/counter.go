package testdb

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterldowns/pgtestdb"
)

// QueryCounter counts the queries run through a pool, so tests can prove a page costs a
// bounded number of queries whatever the data size. It counts round trips as a page makes
// them: each statement on its own (a transaction's begin and commit included) and a batch as
// one. pgx's statement cache prepares each statement once per connection, which is not
// counted: it is not paid again once the pool is warm.
type QueryCounter struct {
	mu    sync.Mutex
	n     int
	trace []string
}

// TraceQueryStart counts one query.
func (c *QueryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	c.n++
	c.trace = append(c.trace, d.SQL)
	c.mu.Unlock()
	return ctx
}

// TraceQueryEnd does nothing.
func (c *QueryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch as one query: its statements travel in one round trip.
func (c *QueryCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.mu.Lock()
	c.n++
	c.trace = append(c.trace, "batch")
	c.mu.Unlock()
	return ctx
}

// TraceBatchQuery does nothing: the batch was counted when it started.
func (c *QueryCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd does nothing.
func (c *QueryCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Reset starts counting again from zero.
func (c *QueryCounter) Reset() {
	c.mu.Lock()
	c.n, c.trace = 0, nil
	c.mu.Unlock()
}

// Count returns the number of queries since the last Reset, and their SQL.
func (c *QueryCounter) Count() (int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, append([]string(nil), c.trace...)
}

// NewCounted is New with a query counter on the pool.
func NewCounted(t testing.TB) (*pgxpool.Pool, *QueryCounter) {
	t.Helper()
	conf := pgtestdb.Custom(t, serverConfig(t), newMigrator())
	cfg, err := pgxpool.ParseConfig(conf.URL())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	counter := &QueryCounter{}
	cfg.ConnConfig.Tracer = counter
	// Plans are kept as the serving pool keeps them (database.Options.GenericPlans), so the
	// tests run every statement, searches included, the way pages run them.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool, counter
}
