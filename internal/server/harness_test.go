package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/frameworks"
	"npq/internal/programme"
	"npq/internal/testdb"
)

// testApp is the whole app on a fresh database, served on a loopback port.
type testApp struct {
	t    *testing.T
	pool *pgxpool.Pool
	srv  *Server
	ts   *httptest.Server
	logs *strings.Builder
	// queries counts the database queries the app runs.
	queries *testdb.QueryCounter
	// clock is the time the app's handlers read.
	clock *testClock
}

// testClock is a clock that stands still unless a test moves it, so a test that runs across
// midnight agrees with itself about what day it is.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

// Now is the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// now is the time the app sees.
func (a *testApp) now() time.Time { return a.clock.Now() }

// today is the date the app sees, in London.
func (a *testApp) today() time.Time { return programme.Today(a.clock.Now()) }

const testPassword = "correct horse battery staple"

// newTestApp starts the app; options change its configuration first.
func newTestApp(t *testing.T, options ...func(*config.Config)) *testApp {
	t.Helper()
	pool, queries := testdb.NewCounted(t)
	logs := &strings.Builder{}
	a := &testApp{t: t, pool: pool, logs: logs, queries: queries, clock: newTestClock()}
	a.ts = httptest.NewUnstartedServer(nil)
	a.ts.Start()
	cfg := config.Config{Env: "test", BaseURL: a.ts.URL, Addr: a.ts.Listener.Addr().String()}
	for _, o := range options {
		o(&cfg)
	}
	a.srv = New(cfg, pool, slog.New(slog.NewTextHandler(logs, nil)), WithClock(a.clock.Now))
	a.ts.Config.Handler = a.srv
	t.Cleanup(func() { a.ts.Close(); a.srv.Close() })
	return a
}

// seedFrameworks loads the real framework content.
func (a *testApp) seedFrameworks() {
	a.t.Helper()
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := frameworks.Import(context.Background(), a.pool, lib, frameworks.Always); err != nil {
		a.t.Fatal(err)
	}
}

// queriesFor counts the queries one request runs.
func (a *testApp) queriesFor(c *testClient, path string) (int, *testResponse) {
	a.t.Helper()
	a.queries.Reset()
	res := c.get(path)
	n, _ := a.queries.Count()
	return n, res
}

// partner creates a delivery partner and returns its id.
func (a *testApp) partner(name string) int64 {
	a.t.Helper()
	var id int64
	if err := a.pool.QueryRow(context.Background(), `INSERT INTO delivery_partners (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// user creates an account with testPassword and returns it.
func (a *testApp) user(email string, role auth.Role, partnerID *int64) auth.User {
	a.t.Helper()
	u, err := auth.Store{DB: a.pool}.UpsertUser(context.Background(), email, "Test "+string(role), role, partnerID, testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

// userFor creates one account of each role on demand.
func (a *testApp) userFor(role auth.Role) auth.User {
	var partner *int64
	if role == auth.RolePartnerStaff {
		id := a.partner("Partner for " + a.t.Name())
		partner = &id
	}
	return a.user(string(role)+"@school.test", role, partner)
}

// count runs a count query.
func (a *testApp) count(sql string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}

type testClient struct {
	a    *testApp
	http *http.Client
}

// client is a browser-like client with its own cookies that does not follow redirects.
func (a *testApp) client() *testClient {
	jar, _ := cookiejar.New(nil)
	return &testClient{a: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signedIn returns a client signed in as a new user of role.
func (a *testApp) signedIn(role auth.Role) (*testClient, auth.User) {
	u := a.userFor(role)
	c := a.client()
	c.signIn(u.Email, testPassword)
	return c, u
}

type testResponse struct {
	*http.Response
	Body string
	Doc  *goquery.Document
}

func (c *testClient) do(req *http.Request) *testResponse {
	c.a.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	return &testResponse{Response: res, Body: string(b), Doc: doc}
}

func (c *testClient) get(path string) *testResponse {
	c.a.t.Helper()
	req, _ := http.NewRequest("GET", c.a.ts.URL+path, nil)
	return c.do(req)
}

func (c *testClient) post(path string, form url.Values) *testResponse {
	c.a.t.Helper()
	req, _ := http.NewRequest("POST", c.a.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *testClient) signIn(email, password string) *testResponse {
	c.a.t.Helper()
	res := c.post("/sign-in", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.a.t.Fatalf("sign in as %s: status %d\n%s", email, res.StatusCode, res.Doc.Find("main").Text())
	}
	return res
}

// errorSummary returns the messages in the GOV.UK error summary.
func (r *testResponse) errorSummary() []string {
	var out []string
	r.Doc.Find(`[data-testid="error-summary"] li`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func (r *testResponse) text(selector string) string {
	return strings.TrimSpace(r.Doc.Find(selector).First().Text())
}
