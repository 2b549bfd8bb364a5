package server

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/testdb"
)

// newTestAppWith is newTestApp with some settings changed.
func newTestAppWith(t *testing.T, change func(*config.Config)) *testApp {
	t.Helper()
	pool, queries := testdb.NewCounted(t)
	logs := &strings.Builder{}
	a := &testApp{t: t, pool: pool, logs: logs, queries: queries, clock: newTestClock()}
	a.ts = httptest.NewServer(nil)
	cfg := config.Config{Env: "test", BaseURL: a.ts.URL, Addr: a.ts.Listener.Addr().String()}
	change(&cfg)
	a.srv = New(cfg, pool, slog.New(slog.NewTextHandler(logs, nil)), WithClock(a.clock.Now))
	a.ts.Config.Handler = a.srv
	t.Cleanup(func() { a.ts.Close(); a.srv.Close() })
	return a
}

// lockTable holds an exclusive lock on table until the test ends (or for ten seconds at
// most, so a test that fails does not hang), as a frozen or stuck database would.
func lockTable(t *testing.T, a *testApp, table string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	tx, err := a.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE `+table+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-ctx.Done()
		tx.Rollback(context.Background()) //nolint:errcheck // only releases the lock
	}()
	t.Cleanup(cancel)
}

func TestStuckDatabaseFailsFastWithTheUnavailablePage(t *testing.T) {
	a := newTestAppWith(t, func(c *config.Config) { c.RequestTimeout = 300 * time.Millisecond })
	signedIn, _ := a.signedIn(auth.RoleParticipant)

	lockTable(t, a, "frameworks")
	start := time.Now()
	assertUnavailable(t, a, a.client().get("/frameworks"))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a public page waited %s for a stuck database", d)
	}

	a.logs.Reset()
	lockTable(t, a, "users")
	start = time.Now()
	assertUnavailable(t, a, signedIn.get("/home"))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a signed-in page waited %s for a stuck database", d)
	}
}
