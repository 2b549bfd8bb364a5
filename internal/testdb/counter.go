package testdb

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/goosemigrator"

	"npq/migrations"
)

// QueryCounter counts the queries run through a pool, so tests can prove a page costs a
// bounded number of queries whatever the data size.
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
	conf := pgtestdb.Custom(t, serverConfig(t), goosemigrator.New(".", goosemigrator.WithFS(migrations.FS)))
	cfg, err := pgxpool.ParseConfig(conf.URL())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	counter := &QueryCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool, counter
}
