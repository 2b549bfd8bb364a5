package database_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"npq/internal/database"
	"npq/internal/testdb"
)

func TestIsUnavailable(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("events: book 3: %w", &pgconn.PgError{Code: code}) }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("boom"), false},
		{"not found", database.ErrNotFound, false},
		{"unique violation", pg("23505"), false},
		{"check violation", pg("23514"), false},
		{"syntax error", pg("42601"), false},
		{"client went away", context.Canceled, false},
		{"deadline", fmt.Errorf("acquire: %w", context.DeadlineExceeded), true},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{"connection lost", fmt.Errorf("query: %w", &net.OpError{Op: "read", Net: "unix", Err: syscall.ECONNRESET}), true},
		{"closed pool", fmt.Errorf("programme: %w", puddle.ErrClosedPool), true},
		{"connection exception class 08", pg("08006"), true},
		{"admin shutdown", pg("57P01"), true},
		{"crash shutdown", pg("57P02"), true},
		{"cannot connect now", pg("57P03"), true},
		{"too many connections", pg("53300"), true},
		{"statement timeout", pg("57014"), true},
		{"lock timeout", pg("55P03"), true},
	}
	for _, tt := range tests {
		if got := database.IsUnavailable(tt.err); got != tt.want {
			t.Errorf("%s: IsUnavailable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestIsUnavailableForAnUnreachableServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	_, err = database.Open(t.Context(), "postgres://npq@"+addr+"/npq?sslmode=disable&connect_timeout=2", database.Options{})
	if err == nil || !database.IsUnavailable(err) {
		t.Errorf("open an unreachable server: %v (unavailable %v)", err, database.IsUnavailable(err))
	}
}

func TestStatementTimeoutStopsASlowQuery(t *testing.T) {
	url := testdb.New(t).Config().ConnString()
	pool, err := database.Open(t.Context(), url, database.Options{StatementTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	start := time.Now()
	_, err = pool.Exec(t.Context(), `SELECT pg_sleep(5)`)
	if !database.IsUnavailable(err) || time.Since(start) > 3*time.Second {
		t.Errorf("slow query: %v after %s", err, time.Since(start))
	}
	// Work without a limit (migrations, data loading) is not cut short.
	free, err := database.Open(t.Context(), url, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer free.Close()
	if _, err := free.Exec(t.Context(), `SELECT pg_sleep(0.3)`); err != nil {
		t.Errorf("query without a limit: %v", err)
	}
}

func TestPoolTurnsJITOff(t *testing.T) {
	pool, err := database.Open(t.Context(), testdb.New(t).Config().ConnString(), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var jit string
	if err := pool.QueryRow(t.Context(), `SHOW jit`).Scan(&jit); err != nil || jit != "off" {
		t.Errorf("jit = %q, %v; want off", jit, err)
	}
}

func TestPoolKeepsGenericPlansOnlyWhenAsked(t *testing.T) {
	url := testdb.New(t).Config().ConnString()
	for _, generic := range []bool{false, true} {
		pool, err := database.Open(t.Context(), url, database.Options{GenericPlans: generic})
		if err != nil {
			t.Fatal(err)
		}
		var mode string
		err = pool.QueryRow(t.Context(), `SHOW plan_cache_mode`).Scan(&mode)
		pool.Close()
		want := map[bool]string{false: "auto", true: "force_generic_plan"}[generic]
		if err != nil || mode != want {
			t.Errorf("GenericPlans %v: plan_cache_mode = %q, %v; want %q", generic, mode, err, want)
		}
	}
}
