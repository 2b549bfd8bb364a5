package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"npq/internal/config"
)

// newUnreachableApp is the app with a pool that points at a port nothing listens on, as
// when the database server is down.
func newUnreachableApp(t *testing.T) *testApp {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	pool, err := pgxpool.New(context.Background(), "postgres://npq@"+addr+"/npq?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	logs := &strings.Builder{}
	a := &testApp{t: t, pool: pool, logs: logs, clock: newTestClock()}
	a.ts = httptest.NewServer(nil)
	a.srv = New(config.Config{Env: "test", BaseURL: a.ts.URL}, pool, slog.New(slog.NewTextHandler(logs, nil)), WithClock(a.clock.Now))
	a.ts.Config.Handler = a.srv
	t.Cleanup(func() { a.ts.Close(); a.srv.Close(); pool.Close() })
	return a
}

// assertUnavailable checks a response is the app's 503 page with a reference that matches
// a structured log line.
func assertUnavailable(t *testing.T, a *testApp, res *testResponse) {
	t.Helper()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503\n%s", res.StatusCode, res.Body)
	}
	if n := strings.Count(res.Body, "<html"); n != 1 {
		t.Errorf("the response holds %d pages", n)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
	if got := res.text(`[data-testid="error-title"]`); got != "Sorry, the service is unavailable" {
		t.Errorf("title %q", got)
	}
	ref := res.text(`[data-testid="request-id"]`)
	if len(ref) != 16 {
		t.Fatalf("reference %q on the page\n%s", ref, res.Doc.Find("main").Text())
	}
	if !strings.Contains(a.logs.String(), `msg="database unavailable"`) ||
		!strings.Contains(a.logs.String(), "status=503") || !strings.Contains(a.logs.String(), "request_id="+ref) {
		t.Errorf("503 with reference %s not logged:\n%s", ref, a.logs.String())
	}
}

func TestDatabaseDownGivesTheUnavailablePage(t *testing.T) {
	a := newUnreachableApp(t)
	// A public page that reads the database.
	assertUnavailable(t, a, a.client().get("/frameworks"))

	// A visitor with a session cookie: the session cannot be loaded.
	a.logs.Reset()
	c := a.client()
	req, _ := http.NewRequest("GET", a.ts.URL+"/home", nil)
	req.AddCookie(&http.Cookie{Name: "npq_session", Value: "Q2yjhd0aNnXxYvEk8tHQXr3hJXo3eC5j9Xq7Hn2iZxQ"})
	res := c.do(req)
	assertUnavailable(t, a, res)
	if strings.Contains(res.Body, "Internal Server Error") {
		t.Error("the session library's own error page was shown")
	}
	if strings.Contains(a.logs.String(), "route=(unmatched)") || !strings.Contains(a.logs.String(), "route=/home") {
		t.Errorf("request not logged with its route:\n%s", a.logs.String())
	}
}
