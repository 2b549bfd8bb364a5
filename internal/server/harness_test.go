package server

import (
	"context"
	"errors"
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
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/frameworks"
	"npq/internal/programme"
	"npq/internal/testdb"
	"npq/internal/twostep"
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
	cfg := config.Config{Env: "test", BaseURL: a.ts.URL, Addr: a.ts.Listener.Addr().String(), RetentionDeactivateDays: 366, RetentionAnonymiseYears: 7}
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

// user creates an account with testPassword and returns it. An account whose role requires
// two-step sign-in has it set up with testTwoStepSecret, so signing in works as in real use.
func (a *testApp) user(email string, role auth.Role, partnerID *int64) auth.User {
	a.t.Helper()
	u := a.newcomer(email, role, partnerID)
	if a.srv.twoStepPolicy().Requires(role) && !u.TwoStep {
		a.setUpTwoStep(u.ID)
		u.TwoStep = true
	}
	return u
}

// testTwoStepSecret is the authenticator key the test accounts set up.
const testTwoStepSecret = "NPQTESTTWOSTEPSECRETABCDEFGHIJ23"

// setUpTwoStep gives an account two-step sign-in with testTwoStepSecret.
func (a *testApp) setUpTwoStep(userID int64) {
	a.t.Helper()
	// Set up before the test began, so it leaves nothing in the audit trail.
	if _, err := a.pool.Exec(context.Background(), `INSERT INTO two_step (user_id, secret, enabled_at, last_step)
		VALUES ($1, $2, $3, 0)`, userID, testTwoStepSecret, a.now().AddDate(0, -1, 0)); err != nil {
		a.t.Fatal(err)
	}
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
	return c.signInWith(url.Values{"email": {email}, "password": {password}})
}

// signInWith posts the sign-in form and, when asked, the account's current code.
func (c *testClient) signInWith(form url.Values) *testResponse {
	c.a.t.Helper()
	res := c.post("/sign-in", form)
	if res.StatusCode != http.StatusSeeOther {
		c.a.t.Fatalf("sign in as %s: status %d\n%s", form.Get("email"), res.StatusCode, res.Doc.Find("main").Text())
	}
	if res.Header.Get("Location") == "/sign-in/two-step" {
		res = c.giveCode(form.Get("email"))
	}
	return res
}

// giveCode completes a sign-in's second step with the account's current code. The account's
// last accepted step is forgotten first, so a test may sign the same account in twice
// within one step.
func (c *testClient) giveCode(email string) *testResponse {
	c.a.t.Helper()
	code := c.a.emailedCode(email)
	if c.a.count(`SELECT count(*) FROM two_step WHERE user_id = (SELECT id FROM users WHERE email = $1)`, email) == 1 {
		code = c.a.currentCode(email)
	}
	res := c.post("/sign-in/two-step", url.Values{"code": {code}})
	if res.StatusCode != http.StatusSeeOther {
		c.a.t.Fatalf("code for %s: status %d %v", email, res.StatusCode, res.errorSummary())
	}
	return res
}

// currentCode is the account's two-step code at the app's time. The account's last accepted
// step is forgotten first, so a test may sign the same account in twice within one step.
func (a *testApp) currentCode(email string) string {
	a.t.Helper()
	var secret string
	if err := a.pool.QueryRow(context.Background(), `UPDATE two_step SET last_step = 0
		WHERE user_id = (SELECT id FROM users WHERE email = $1) RETURNING secret`, email).Scan(&secret); err != nil {
		a.t.Fatalf("two-step code for %s: %v", email, err)
	}
	code, err := twostep.Code(secret, a.now())
	if err != nil {
		a.t.Fatal(err)
	}
	return code
}

// emailedCode is the latest code emailed to an account that must set up two-step sign-in
// ("" when there is none).
func (a *testApp) emailedCode(email string) string {
	a.t.Helper()
	var subject string
	err := a.pool.QueryRow(context.Background(), `SELECT subject FROM outbox WHERE to_address = $1
		AND subject LIKE 'Your NPQ platform sign-in code: %' ORDER BY id DESC LIMIT 1`, email).Scan(&subject)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		a.t.Fatal(err)
	}
	_, code, _ := strings.Cut(subject, ": ")
	return code
}

// newcomer creates an account without setting up two-step sign-in, as an invitation leaves it.
func (a *testApp) newcomer(email string, role auth.Role, partnerID *int64) auth.User {
	a.t.Helper()
	u, err := auth.Store{DB: a.pool}.UpsertUser(context.Background(), email, "Test "+string(role), role, partnerID, testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	return u
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
