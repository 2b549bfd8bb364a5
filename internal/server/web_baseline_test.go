package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
)

func TestSecurityHeadersAndCompression(t *testing.T) {
	a := newTestApp(t)
	req, _ := http.NewRequest("GET", a.ts.URL+"/sign-in", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	h := res.Header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "'nonce-", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("CSP allows unsafe-inline")
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Content-Encoding": "gzip"} {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
}

func TestInlineScriptsCarryTheNonce(t *testing.T) {
	a := newTestApp(t)
	res := a.client().get("/")
	csp := res.Header.Get("Content-Security-Policy")
	nonce := csp[strings.Index(csp, "'nonce-")+7:]
	nonce = nonce[:strings.Index(nonce, "'")]
	n := 0
	res.Doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		n++
		if v, _ := s.Attr("nonce"); v != nonce {
			t.Errorf("script without the nonce")
		}
	})
	if n == 0 {
		t.Error("no scripts found")
	}
}

// GOV.UK Frontend is started by a module script carrying the nonce, and without scripts the
// navigation links are all there: the Menu button that folds them away starts hidden.
func TestFrontendIsStarted(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	res := a.as(f.participant).get("/home")
	start := res.Doc.Find(`script[type="module"]`)
	if start.Length() != 1 || !strings.Contains(start.Text(), "initAll()") || !strings.Contains(start.Text(), "/static/build/govuk-frontend.") {
		t.Fatalf("no module script starting GOV.UK Frontend: %q", start.Text())
	}
	if _, hidden := res.Doc.Find(`.govuk-service-navigation__toggle`).Attr("hidden"); !hidden {
		t.Error("the Menu button shows without scripts")
	}
	if _, hidden := res.Doc.Find(`#navigation`).Attr("hidden"); hidden || res.Doc.Find(`#navigation a`).Length() != len(navFor(auth.RoleParticipant)) ||
		res.Doc.Find(`[data-testid="my-account"]`).Length() != 1 || res.Doc.Find(`[data-testid="sign-out"]`).Length() != 1 {
		t.Errorf("the navigation links are not all there without scripts (%d)", res.Doc.Find(`#navigation a`).Length())
	}
}

func TestStaticAssetsHaveHashedNamesAndLongCache(t *testing.T) {
	a := newTestApp(t)
	res := a.client().get("/")
	href, _ := res.Doc.Find(`link[rel="stylesheet"]`).Attr("href")
	if !strings.HasPrefix(href, "/static/build/app.") || len(href) < len("/static/build/app.123456789012.css") {
		t.Fatalf("stylesheet href %q is not content-hashed (run make assets)", href)
	}
	css := a.client().get(href)
	if css.StatusCode != 200 || !strings.Contains(css.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("css: %d %q", css.StatusCode, css.Header.Get("Cache-Control"))
	}
	if strings.Contains(css.Body, "GDS Transport") {
		t.Error("stylesheet uses the GDS Transport font")
	}
	if a.client().get("/static/build/nothing.css").StatusCode != 404 {
		t.Error("missing asset not 404")
	}
	if strings.Contains(res.Body, "govuk-logo") || strings.Contains(strings.ToLower(res.Body), "crown") {
		t.Error("page carries the GOV.UK logo or crown")
	}
}

func TestErrorPages(t *testing.T) {
	a := newTestApp(t)
	res := a.client().get("/no/such/page")
	if res.StatusCode != 404 || res.text(`[data-testid="error-title"]`) != "Page not found" {
		t.Errorf("404: %d %q", res.StatusCode, res.text("h1"))
	}
	// A panic in a handler is a logged 500 page that leaks nothing.
	r := chi.NewRouter()
	r.Use(a.srv.recoverPanics)
	a.srv.handle(r, "GET", "/boom", publicAccess, func(w http.ResponseWriter, r *http.Request) error { panic("secret detail") })
	a.srv.handle(r, "GET", "/fail", publicAccess, func(w http.ResponseWriter, r *http.Request) error {
		return errors.New("database password is hunter2")
	})
	for _, path := range []string{"/boom", "/fail"} {
		rec := &recorder{header: http.Header{}}
		req, _ := http.NewRequestWithContext(context.Background(), "GET", path, nil)
		r.ServeHTTP(rec, req)
		if rec.status != 500 || strings.Contains(rec.body.String(), "secret") || strings.Contains(rec.body.String(), "hunter2") {
			t.Errorf("%s: %d %s", path, rec.status, rec.body.String())
		}
	}
	if !strings.Contains(a.logs.String(), "secret detail") || !strings.Contains(a.logs.String(), "hunter2") {
		t.Error("500s were not logged")
	}
	if res := a.client().post("/healthz", nil); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("405: %d", res.StatusCode)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	a := newTestApp(t)
	if res := a.client().get("/healthz"); res.StatusCode != 200 || res.Body != "ok\n" {
		t.Errorf("healthz %d %q", res.StatusCode, res.Body)
	}
	if res := a.client().get("/readyz"); res.StatusCode != 200 {
		t.Errorf("readyz %d", res.StatusCode)
	}
	a.pool.Close()
	if res := a.client().get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz with the database closed: %d", res.StatusCode)
	}
}

func TestLogsDoNotContainSecretsFromURLs(t *testing.T) {
	a := newTestApp(t)
	a.client().get("/invitations/SECRET-TOKEN-VALUE")
	if strings.Contains(a.logs.String(), "SECRET-TOKEN-VALUE") {
		t.Error("the invitation token was logged")
	}
	if !strings.Contains(a.logs.String(), "route=/invitations/{token}") {
		t.Errorf("request not logged by route: %s", a.logs.String())
	}
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(s int)           { r.status = s }
