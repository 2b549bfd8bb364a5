package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"npq/internal/auth"
	"npq/internal/demo"
)

// walker sends malformed requests to every route of the real router, on the demo data,
// as each demo role and signed out, and collects every answer of 500 or more.
type walker struct {
	a       *testApp
	routes  chi.Routes
	clients map[string]*testClient
	roles   map[string]auth.Role
	// failures are the requests answered with a 5xx (or not at all), keyed to keep one per kind.
	failures map[string]string
	// wrong are the other requests answered as they must not be: a bad encoding not refused
	// with 400 or 422, a bad route parameter that found something.
	wrong    map[string]string
	requests int
}

// Bad values for route parameters, as they appear in a URL.
var badParams = []string{"%00", "%FF", "%C0%80", "a%00b", longBadParam, "99999999999999999999", "-1", "0", "1.5", strings.Repeat("a", 5000)}

// badEncodings are the parameter values no route may pass on.
var badEncodings = map[string]bool{"%00": true, "%FF": true, "%C0%80": true, "a%00b": true, longBadParam: true}

// longBadParam is as long as a token, so it gets past length checks.
const longBadParam = "abcdefghijklmnopqrstuvwxyz0123456789%00%FF"

// Bad values for form and query fields.
var badValues = []struct {
	name, value string
	encoding    bool
}{
	{"NUL", "a\x00b", true},
	{"invalid UTF-8", "\xff\xfe", true},
	{"overlong UTF-8", "\xc0\x80", true},
	{"control character", "a\x01b", true},
	{"5,000 characters", strings.Repeat("a", 5000), false},
	{"100,000 characters", strings.Repeat("ab ", 33334), false},
	{"huge number", "99999999999999999999", false},
	{"negative number", "-1", false},
	{"zero", "0", false},
	{"empty", "", false},
}

func newWalker(t *testing.T) *walker {
	a := newTestApp(t)
	if err := demo.Load(context.Background(), a.pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	w := &walker{a: a, routes: a.srv.handler.(chi.Routes), clients: map[string]*testClient{"signed out": a.client()},
		roles: map[string]auth.Role{}, failures: map[string]string{}, wrong: map[string]string{}}
	for _, email := range []string{"admin@demo.test", "partner@demo.test", "participant@demo.test", "assessor@demo.test", "moderator@demo.test"} {
		c := a.client()
		c.signIn(email, demo.Password)
		u, err := a.srv.users.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		w.clients[email] = c
		w.roles[email] = u.Role
	}
	return w
}

// send makes one request and records a 5xx, or a bad encoding not refused.
func (w *walker) send(who string, req *http.Request, what string, encoding bool) *testResponse {
	w.requests++
	res, err := w.clients[who].http.Do(req)
	if err != nil {
		w.failures[what] = fmt.Sprintf("%s as %s: %v", what, who, err)
		return nil
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(b))
	tr := &testResponse{Response: res, Body: string(b), Doc: doc}
	if res.StatusCode >= 500 {
		w.failures[what] = fmt.Sprintf("%s as %s: %d", what, who, res.StatusCode)
	} else if encoding && res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
		w.wrong[what] = fmt.Sprintf("%s as %s: %d, want 400 or 422", what, who, res.StatusCode)
	}
	return tr
}

// pattern is the route a path matches, or "".
func (w *walker) pattern(method, path string) string {
	rctx := chi.NewRouteContext()
	if !w.routes.Match(rctx, method, path) {
		return ""
	}
	return rctx.RoutePattern()
}

// allowed lists the clients a route's rule lets in, and the signed-out client.
func (w *walker) allowed(rule access) []string {
	who := []string{"signed out"}
	for email, role := range w.roles {
		if rule.allows(role) {
			who = append(who, email)
		}
	}
	sort.Strings(who[1:])
	return who
}

// report fails the test with what the walk found.
func (w *walker) report(t *testing.T) {
	t.Helper()
	t.Logf("%d requests", w.requests)
	for _, m := range []map[string]string{w.failures, w.wrong} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Error(m[k])
		}
	}
	if len(w.failures) > 0 {
		var errs []string
		for line := range strings.SplitSeq(w.a.logs.String(), "\n") {
			if strings.Contains(line, "level=ERROR") && len(errs) < 40 {
				errs = append(errs, line)
			}
		}
		t.Log(strings.Join(errs, "\n"))
	}
}

// Every route, with every bad value in each route parameter, for everyone who may use it
// and signed out: never a 5xx, and bad encodings are refused with 400.
func TestMalformedRouteParameters(t *testing.T) {
	w := newWalker(t)
	for key, rule := range w.a.srv.policies {
		method, pattern, _ := strings.Cut(key, " ")
		if !strings.Contains(pattern, "{") {
			continue
		}
		for _, bad := range badParams {
			path := routeParam.ReplaceAllString(pattern, bad)
			for _, who := range w.allowed(rule) {
				var body io.Reader
				if method == http.MethodPost {
					body = strings.NewReader("")
				}
				req, err := http.NewRequest(method, w.a.ts.URL+path, body)
				if err != nil {
					t.Fatal(err)
				}
				if method == http.MethodPost {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				what := fmt.Sprintf("%s with %.20s", key, bad)
				res := w.send(who, req, what, badEncodings[bad])
				// Nothing is found at an address with a bad value, whoever asks.
				if _, signedIn := w.roles[who]; res != nil && signedIn && res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusNotFound {
					w.wrong[what] = fmt.Sprintf("%s as %s: %d, want 400 or 404", what, who, res.StatusCode)
				}
			}
		}
	}
	w.report(t)
}

// harvestedForm is a form found on a page, filled in as a user would.
type harvestedForm struct {
	who, method, action, pattern string
	multipart                    bool
	fields                       [][2]string
	files                        []string
}

// crawl visits every page each client can reach by links from where it starts, and returns
// the forms found on them, one per route and client.
func (w *walker) crawl(t *testing.T) ([]harvestedForm, map[string][]string) {
	var forms []harvestedForm
	pages := map[string][]string{} // who -> paths visited
	for who := range w.clients {
		start := []string{"/", "/sign-in", "/frameworks"}
		if role, ok := w.roles[who]; ok {
			start = append(start, role.HomePath())
			for _, n := range navFor(role) {
				start = append(start, n.Href)
			}
		}
		seen := map[string]bool{}
		perPattern := map[string]int{}
		formSeen := map[string]bool{}
		queue := start
		for len(queue) > 0 && len(seen) < 400 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] {
				continue
			}
			seen[path] = true
			pat := w.pattern(http.MethodGet, strings.SplitN(path, "?", 2)[0])
			if pat == "" || pat == "/static/*" {
				continue
			}
			if perPattern[pat] >= 2 {
				continue
			}
			perPattern[pat]++
			pages[who] = append(pages[who], path)
			req, _ := http.NewRequest(http.MethodGet, w.a.ts.URL+path, nil)
			res := w.send(who, req, "GET "+pat, false)
			if res == nil || res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			res.Doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
					href, _, _ = strings.Cut(href, "#")
					queue = append(queue, href)
				}
			})
			res.Doc.Find("form").Each(func(_ int, f *goquery.Selection) {
				hf := harvest(f, path)
				hf.who = who
				hf.pattern = w.pattern(strings.ToUpper(hf.method), strings.SplitN(hf.action, "?", 2)[0])
				if hf.pattern == "" || hf.pattern == "/sign-out" {
					return
				}
				var names []string
				for _, kv := range hf.fields {
					names = append(names, kv[0])
				}
				k := hf.method + " " + hf.pattern + " " + strings.Join(names, ",")
				if formSeen[k] {
					return
				}
				formSeen[k] = true
				forms = append(forms, hf)
			})
		}
	}
	sort.Slice(forms, func(i, j int) bool { return forms[i].who+forms[i].action < forms[j].who+forms[j].action })
	return forms, pages
}

// harvest reads a form as a browser would submit it, filling empty fields with plausible values.
func harvest(f *goquery.Selection, page string) harvestedForm {
	hf := harvestedForm{method: strings.ToUpper(f.AttrOr("method", "GET")), action: f.AttrOr("action", page),
		multipart: f.AttrOr("enctype", "") == "multipart/form-data"}
	if hf.action == "" {
		hf.action = page
	}
	radios := map[string]bool{}
	submitted := false
	f.Find("input[name], select[name], textarea[name], button[name]").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		value := in.AttrOr("value", "")
		switch goquery.NodeName(in) {
		case "select":
			value = in.Find("option[selected]").AttrOr("value", "")
			if value == "" {
				in.Find("option").EachWithBreak(func(_ int, o *goquery.Selection) bool {
					value = o.AttrOr("value", "")
					return value == ""
				})
			}
		case "textarea":
			value = in.Text()
		case "button":
			if submitted {
				return
			}
			submitted = true
		}
		switch in.AttrOr("type", "text") {
		case "file":
			hf.files = append(hf.files, name)
			return
		case "radio":
			if radios[name] {
				return
			}
			radios[name] = true
		case "checkbox":
			if _, checked := in.Attr("checked"); !checked && radios[name] {
				return
			}
			radios[name] = true
		case "submit":
			if submitted {
				return
			}
			submitted = true
		}
		if value == "" && goquery.NodeName(in) != "button" {
			value = plausible(name, in.AttrOr("type", "text"))
		}
		hf.fields = append(hf.fields, [2]string{name, value})
	})
	return hf
}

// plausible is a value that passes the checks of a field named name, where one is obvious.
func plausible(name, typ string) string {
	switch {
	case typ == "email" || strings.Contains(name, "email"):
		return "walker@school.test"
	case strings.HasSuffix(name, "-day"):
		return "15"
	case strings.HasSuffix(name, "-month") && strings.HasPrefix(name, "opens"):
		return "1"
	case strings.HasSuffix(name, "-month"):
		return "6"
	case strings.HasSuffix(name, "-year") && strings.HasPrefix(name, "return"):
		return "2032"
	case strings.HasSuffix(name, "-year"):
		return "2031"
	case strings.Contains(name, "time") || strings.Contains(name, "start") || strings.Contains(name, "end"):
		return "10:00"
	case strings.Contains(name, "link") || typ == "url":
		return "https://example.test/join"
	case strings.Contains(name, "capacity") || strings.Contains(name, "limit") || strings.Contains(name, "minutes") ||
		strings.Contains(name, "months") || strings.Contains(name, "hours") || strings.Contains(name, "words") || typ == "number":
		return "10"
	case strings.Contains(name, "password") || name == "confirm":
		return "a long enough password 1"
	}
	return "Walker text"
}

// request builds a request for a form with its fields.
func (w *walker) formRequest(f harvestedForm, fields [][2]string) *http.Request {
	vals := url.Values{}
	for _, kv := range fields {
		vals.Add(kv[0], kv[1])
	}
	if f.method == http.MethodGet {
		path, _, _ := strings.Cut(f.action, "?")
		req, _ := http.NewRequest(http.MethodGet, w.a.ts.URL+path+"?"+vals.Encode(), nil)
		return req
	}
	if f.multipart {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, kv := range fields {
			mw.WriteField(kv[0], kv[1]) //nolint:errcheck // writes to memory
		}
		for _, name := range f.files {
			fw, _ := mw.CreateFormFile(name, "walker.pdf")
			fw.Write([]byte("%PDF-1.4\n%walker\n")) //nolint:errcheck // writes to memory
		}
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, w.a.ts.URL+f.action, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return req
	}
	req, _ := http.NewRequest(http.MethodPost, w.a.ts.URL+f.action, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// rawRequest posts a body with a content type to a form's action.
func (w *walker) rawRequest(f harvestedForm, contentType, body string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, w.a.ts.URL+f.action, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// Every form on every page each demo user (and a signed-out visitor) can reach, submitted with
// each bad value in each field, duplicated fields, and bodies of the wrong type: never a 5xx,
// and bad encodings are refused with 400 or 422. Every page also gets bad query strings.
func TestMalformedFormsAndQueries(t *testing.T) {
	w := newWalker(t)
	forms, pages := w.crawl(t)
	if len(forms) < 40 {
		t.Fatalf("only %d forms found; is the crawl working?", len(forms))
	}
	queryKeys := []string{"q", "page", "next", "stage", "course", "framework", "inactive", "sort", "status", "cohort", "partner"}
	for _, f := range forms {
		if f.method != http.MethodGet {
			continue
		}
		for _, kv := range f.fields {
			if !slices.Contains(queryKeys, kv[0]) {
				queryKeys = append(queryKeys, kv[0])
			}
		}
	}
	// Bad query strings on every page.
	for who, paths := range pages {
		for _, path := range paths {
			base, _, _ := strings.Cut(path, "?")
			pat := w.pattern(http.MethodGet, base)
			for _, bad := range badValues {
				vals := url.Values{}
				for _, k := range queryKeys {
					vals.Set(k, bad.value)
				}
				req, _ := http.NewRequest(http.MethodGet, w.a.ts.URL+base+"?"+vals.Encode(), nil)
				w.send(who, req, fmt.Sprintf("GET %s?%s", pat, bad.name), bad.encoding)
			}
			req, _ := http.NewRequest(http.MethodGet, w.a.ts.URL+base+"?a%00b=1", nil)
			w.send(who, req, fmt.Sprintf("GET %s with a NUL in a query key", pat), true)
			req, _ = http.NewRequest(http.MethodGet, w.a.ts.URL+base+"?q=%zz&page=1&page=2&q=a;b", nil)
			w.send(who, req, fmt.Sprintf("GET %s with a broken and repeated query", pat), false)
		}
	}
	// Bad form bodies.
	for _, f := range forms {
		what := f.method + " " + f.pattern
		w.send(f.who, w.formRequest(f, f.fields), what+" as found", false)
		for i := range f.fields {
			for _, bad := range badValues {
				fields := slices.Clone(f.fields)
				fields[i][1] = bad.value
				if bad.name == "NUL" && fields[i][1] != "" {
					fields[i][1] = f.fields[i][1] + "\x00"
				}
				w.send(f.who, w.formRequest(f, fields), fmt.Sprintf("%s %s %s", what, f.fields[i][0], bad.name), bad.encoding)
			}
		}
		if len(f.fields) > 0 {
			w.send(f.who, w.formRequest(f, append(slices.Clone(f.fields), [2]string{"bad\x00key", "1"})), what+" with a NUL in a field name", true)
			w.send(f.who, w.formRequest(f, append(slices.Clone(f.fields), [2]string{"\xffkey", "1"})), what+" with invalid UTF-8 in a field name", true)
			dup := slices.Clone(f.fields)
			for _, kv := range f.fields {
				dup = append(dup, [2]string{kv[0], "second value"})
			}
			w.send(f.who, w.formRequest(f, dup), what+" with every field twice", false)
		}
		if f.method == http.MethodGet {
			continue
		}
		w.send(f.who, w.rawRequest(f, "application/json", `{"title":"a\u0000b"}`), what+" as JSON", false)
		w.send(f.who, w.rawRequest(f, "multipart/form-data", "--x\r\n"), what+" as multipart without a boundary", false)
		w.send(f.who, w.rawRequest(f, "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\na\x00b\r\n--x--\r\n"), what+" as multipart with a NUL", false)
		w.send(f.who, w.rawRequest(f, "text/plain", "title=a\x00b"), what+" as plain text", false)
		w.send(f.who, w.rawRequest(f, "", ""), what+" with no body", false)
		w.send(f.who, w.rawRequest(f, "application/x-www-form-urlencoded", "a=%zz&b=%"), what+" with broken escapes", false)
		w.send(f.who, w.rawRequest(f, "application/x-www-form-urlencoded; charset=\"", "a=1"), what+" with a broken content type", false)
		if f.multipart {
			for _, name := range []string{"\xff\xfe.pdf", "a\x00b.pdf", strings.Repeat("a", 5000) + ".pdf", "../../etc/passwd", ""} {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				for _, kv := range f.fields {
					mw.WriteField(kv[0], kv[1]) //nolint:errcheck // writes to memory
				}
				for _, field := range f.files {
					fw, _ := mw.CreateFormFile(field, name)
					fw.Write([]byte("name,email\r\nA\x00B,a@b.test\r\n")) //nolint:errcheck // writes to memory
				}
				mw.Close()
				req := w.rawRequest(f, mw.FormDataContentType(), buf.String())
				w.send(f.who, req, fmt.Sprintf("%s with a file named %q", what, name[:min(len(name), 12)]), false)
			}
		}
	}
	w.report(t)
}

// fingerprint is a digest of every table but the sessions, to show a request changed nothing.
func (a *testApp) fingerprint() string {
	a.t.Helper()
	ctx := context.Background()
	rows, err := a.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'sessions' ORDER BY table_name`)
	if err != nil {
		a.t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		a.t.Fatal(err)
	}
	var parts []string
	for _, t := range tables {
		parts = append(parts, fmt.Sprintf(`SELECT '%s:' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM %s x`,
			t, pgx.Identifier{t}.Sanitize()))
	}
	var fp string
	if err := a.pool.QueryRow(ctx, `SELECT string_agg(h, ' ') FROM (`+strings.Join(parts, " UNION ALL ")+`) AS t(h)`).Scan(&fp); err != nil {
		a.t.Fatal(err)
	}
	return fp
}

// formOn returns the form posting to action on a page, as the client would submit it.
func (w *walker) formOn(t *testing.T, who, page, action string) harvestedForm {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.a.ts.URL+page, nil)
	res := w.send(who, req, "GET "+page, false)
	if res == nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s: %v", page, who, res)
	}
	var found *harvestedForm
	res.Doc.Find("form").Each(func(_ int, f *goquery.Selection) {
		hf := harvest(f, page)
		// Participant forms carry the course they are about (?course=); the path is what matters.
		if found == nil && strings.SplitN(hf.action, "?", 2)[0] == action {
			hf.who = who
			found = &hf
		}
	})
	if found == nil {
		t.Fatalf("no form posting to %s on %s", action, page)
	}
	return *found
}

// link returns the first link on a page to prefix followed by an id.
func (w *walker) link(t *testing.T, who, page, prefix string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.a.ts.URL+page, nil)
	res := w.send(who, req, "GET "+page, false)
	var href string
	res.Doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if h := a.AttrOr("href", ""); strings.HasPrefix(h, prefix) && len(h) > len(prefix) && h[len(prefix)] >= '1' && h[len(prefix)] <= '9' {
			href = h
			return false
		}
		return true
	})
	if href == "" {
		t.Fatalf("no link to %s… on %s", prefix, page)
	}
	return href
}

// with is a copy of a form's fields with name set to value.
func with(fields [][2]string, name, value string) [][2]string {
	out := slices.Clone(fields)
	found := false
	for i := range out {
		if out[i][0] == name {
			out[i][1] = value
			found = true
		}
	}
	if !found {
		out = append(out, [2]string{name, value})
	}
	return out
}

// The examples from the fault test: each is refused with 400 and changes nothing.
func TestMalformedExamplesAreRefused(t *testing.T) {
	w := newWalker(t)
	u := w.a.ts.URL
	get := func(path string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, u+path, nil)
		return req
	}
	sheet := w.link(t, "assessor@demo.test", "/marking", "/marking/")
	var id int64
	if err := w.a.pool.QueryRow(context.Background(), `SELECT e.id FROM events e JOIN users u ON u.delivery_partner_id = e.delivery_partner_id
		WHERE u.email = 'partner@demo.test' AND e.starts_at > now() AND e.cancelled_at IS NULL ORDER BY e.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	event := fmt.Sprint(id)
	edit := w.formOn(t, "partner@demo.test", "/partner/events/"+event+"/edit", "/partner/events/"+event+"/edit")
	newEvent := w.formOn(t, "partner@demo.test", "/partner/events/"+event+"/copy", "/partner/events")
	defer_ := w.formOn(t, "participant@demo.test", "/requests/defer", "/requests/defer")
	draft := w.formOn(t, "participant@demo.test", "/assessment", "/assessment")
	upload := w.formOn(t, "participant@demo.test", "/assessment", "/assessment/upload")
	marking := w.formOn(t, "assessor@demo.test", sheet, sheet)
	news := w.formOn(t, "admin@demo.test", "/admin/news/new", "/admin/news")
	partner := w.formOn(t, "admin@demo.test", "/admin/partners/new", "/admin/partners")
	signIn := w.formOn(t, "signed out", "/sign-in", "/sign-in")
	var draftField string
	for _, kv := range draft.fields {
		if strings.HasPrefix(kv[0], "text-") {
			draftField = kv[0]
			break
		}
	}
	badName := func(f harvestedForm, name string) *http.Request {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, kv := range f.fields {
			mw.WriteField(kv[0], kv[1]) //nolint:errcheck // writes to memory
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte("%PDF-1.4\n%example\n")) //nolint:errcheck // writes to memory
		mw.Close()
		return w.rawRequest(f, mw.FormDataContentType(), buf.String())
	}
	cases := []struct {
		name string
		who  string
		req  *http.Request
	}{
		{"framework page with a NUL", "signed out", get("/frameworks/%00")},
		{"framework page with invalid UTF-8", "signed out", get("/frameworks/%FF%FE")},
		{"framework search with a NUL", "signed out", get("/frameworks/search?q=a%00b")},
		{"framework search with invalid UTF-8", "partner@demo.test", get("/frameworks/search?q=%FF")},
		{"calendar feed with a NUL", "signed out", get("/calendar/%00.ics")},
		{"calendar feed with a NUL in a token-long name", "signed out", get("/calendar/" + longBadParam + ".ics")},
		{"participant search with a NUL", "admin@demo.test", get("/admin/participants?q=a%00b")},
		{"sign in with a NUL in the email", "signed out", w.formRequest(signIn, with(signIn.fields, "email", "admin@demo.test\x00"))},
		{"event title", "partner@demo.test", w.formRequest(edit, with(edit.fields, "title", "Title\x00"))},
		{"event venue", "partner@demo.test", w.formRequest(edit, with(edit.fields, "venue", "\xff\xfe"))},
		{"event description", "partner@demo.test", w.formRequest(edit, with(edit.fields, "description", "a\x00b"))},
		{"new event title", "partner@demo.test", w.formRequest(newEvent, with(newEvent.fields, "title", "a\x00b"))},
		{"request details", "participant@demo.test", w.formRequest(defer_, with(defer_.fields, "details", "a\x00b"))},
		{"draft text", "participant@demo.test", w.formRequest(draft, with(draft.fields, draftField, "My answer\x00"))},
		{"marking feedback", "assessor@demo.test", w.formRequest(marking, with(marking.fields, "feedback", "\xc0\x80"))},
		{"news title", "admin@demo.test", w.formRequest(news, with(news.fields, "title", "News\x00"))},
		{"partner name", "admin@demo.test", w.formRequest(partner, with(partner.fields, "name", "Partner\x00"))},
		{"a field name with a NUL", "admin@demo.test", w.formRequest(partner, with(partner.fields, "name\x00", "x"))},
		{"upload named with invalid UTF-8", "participant@demo.test", badName(upload, "\xff\xfe.pdf")},
		{"upload with a NUL in a field", "participant@demo.test", badName(harvestedForm{action: upload.action, fields: with(upload.fields, "slot", "a\x00")}, "fine.pdf")},
	}
	for _, c := range cases {
		before := w.a.fingerprint()
		res := w.send(c.who, c.req, c.name, true)
		if res == nil {
			t.Errorf("%s: no answer", c.name)
			continue
		}
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.name, res.StatusCode)
		} else if msg := res.text("main"); !strings.Contains(msg, "cannot be read") {
			t.Errorf("%s: page says %q", c.name, msg)
		}
		if after := w.a.fingerprint(); after != before {
			t.Errorf("%s changed the database", c.name)
		}
	}
	// A file's content is not form text, but a NUL in it would reach the database too.
	var cohort string
	if err := w.a.pool.QueryRow(context.Background(), `SELECT name FROM cohorts ORDER BY id LIMIT 1`).Scan(&cohort); err != nil {
		t.Fatal(err)
	}
	header := "email,full_name,cohort,funding_route\n"
	for _, content := range []string{
		header + "nul@school.test,Nul\x00Name," + cohort + ",scholarship\n",
		header + "nul@school.test,Nul Cohort," + cohort + "\x00,scholarship\n",
		header + "nul\x00@school.test,Nul Email," + cohort + ",scholarship\n",
	} {
		before := w.a.fingerprint()
		res := w.send("admin@demo.test", w.csvRequest(content), "import with a NUL", true)
		if res == nil {
			continue
		}
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), "|"), "saved as UTF-8") {
			t.Errorf("import %q: %d %v", content, res.StatusCode, res.errorSummary())
		}
		if after := w.a.fingerprint(); after != before {
			t.Errorf("import %q changed the database", content)
		}
	}
	w.report(t)
}

// csvRequest uploads an enrolment file.
func (w *walker) csvRequest(content string) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "enrol.csv")
	fw.Write([]byte(content)) //nolint:errcheck // writes to memory
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.a.ts.URL+"/admin/enrolments/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// Saving a partner at an address whose id is zero or negative finds nothing, rather than
// creating a new partner or reaching the database.
func TestPartnerSaveWithBadIDIsNotFound(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for _, id := range []string{"0", "-1", "99999999999999999999", "x"} {
		res := admin.post("/admin/partners/"+id, url.Values{"name": {"Partner " + id}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("POST /admin/partners/%s: status %d, want 404", id, res.StatusCode)
		}
		if res := admin.get("/admin/partners/" + id); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /admin/partners/%s: status %d, want 404", id, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM delivery_partners`); n != 0 {
		t.Errorf("%d partners created", n)
	}
}

// Text as typed or pasted is clean, white space included; other control characters,
// NUL and invalid UTF-8 are not.
func TestCleanText(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"Plain text", true},
		{"Lines\r\nand\ttabs", true},
		{"A break from a word processor\vand a page\f", true},
		{"Ünïcödé – “quotes” 🎓", true},
		{"a\x00b", false},
		{"a\x01b", false},
		{"escape\x1b[0m", false},
		{"delete\x7f", false},
		{"\xff\xfe", false},
		{"\xc0\x80", false},
		{"\xed\xa0\x80", false}, // a UTF-16 surrogate
	} {
		if got := cleanText(tt.s); got != tt.want {
			t.Errorf("cleanText(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	for _, p := range []string{"/a\tb", "/a\nb", "/a\x00", "/\xff"} {
		if cleanPath(p) {
			t.Errorf("cleanPath(%q) = true", p)
		}
	}
	if !cleanPath("/frameworks/npq-in-headship") {
		t.Error("an ordinary path is not clean")
	}
}
