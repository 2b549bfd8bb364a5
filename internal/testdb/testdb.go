// Package testdb gives each test its own PostgreSQL database, cloned from a migrated template.
package testdb

import (
	"context"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // pgtestdb talks to the server through database/sql
	"github.com/peterldowns/pgtestdb"
)

// New returns a pool on a fresh database with every migration applied. The database is
// dropped when the test passes. It needs TEST_DATABASE_URL (make test sets it).
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewCounted(t)
	return pool
}

// serverConfig turns TEST_DATABASE_URL into pgtestdb's settings. A Unix socket directory
// goes in Options, as pgtestdb v0.1.1 cannot take it as Host.
func serverConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		t.Fatal("testdb: TEST_DATABASE_URL is not set; run the tests with `make test`, which starts a private PostgreSQL")
	}
	pc, err := pgconn.ParseConfig(raw)
	if err != nil {
		t.Fatalf("testdb: TEST_DATABASE_URL: %v", err)
	}
	c := pgtestdb.Config{DriverName: "pgx", User: pc.User, Password: pc.Password, Database: "postgres"}
	opts := url.Values{}
	if strings.HasPrefix(pc.Host, "/") {
		opts.Set("host", pc.Host)
	} else {
		c.Host = pc.Host
	}
	if pc.Port != 0 {
		c.Port = strconv.Itoa(int(pc.Port))
	}
	if pc.TLSConfig == nil {
		opts.Set("sslmode", "disable")
	}
	c.Options = opts.Encode()
	return c
}

// NewEmpty returns a pool on a fresh database with no migration applied, for tests of the
// migrations themselves.
func NewEmpty(t testing.TB) *pgxpool.Pool {
	t.Helper()
	conf := pgtestdb.Custom(t, serverConfig(t), pgtestdb.NoopMigrator{})
	pool, err := pgxpool.New(context.Background(), conf.URL())
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}
