package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

func TestSignInLandsOnEachRolesHome(t *testing.T) {
	a := newTestApp(t)
	for _, role := range auth.Roles {
		u := a.userFor(role)
		c := a.client()
		res := c.signIn(u.Email, testPassword)
		if loc := res.Header.Get("Location"); loc != role.HomePath() {
			t.Errorf("%s: redirected to %q, want %q", role, loc, role.HomePath())
		}
		home := c.get(role.HomePath())
		if home.StatusCode != http.StatusOK || home.text(`[data-testid="page-title"]`) == "" {
			t.Errorf("%s home: %d %q", role, home.StatusCode, home.text("h1"))
		}
		// The header offers sign out and the role's navigation.
		if home.Doc.Find(`[data-testid="sign-out"]`).Length() != 1 {
			t.Errorf("%s home has no sign-out button", role)
		}
	}
}

func TestSignedOutVisitGoesToSignInAndComesBack(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleProviderAdmin)
	c := a.client()
	res := c.get("/admin/outbox?page=2")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Fadmin%2Foutbox%3Fpage%3D2" {
		t.Fatalf("got %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	form := c.get(res.Header.Get("Location"))
	next, _ := form.Doc.Find(`input[name="next"]`).Attr("value")
	if next != "/admin/outbox?page=2" {
		t.Fatalf("next field = %q", next)
	}
	back := c.signInWith(url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
	if back.Header.Get("Location") != "/admin/outbox?page=2" {
		t.Fatalf("after sign-in went to %q", back.Header.Get("Location"))
	}
}

func TestSignInRefusesOffSiteNext(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleAssessor)
	for _, next := range []string{"https://evil.test/", "//evil.test/", "/\\evil.test", "javascript:alert(1)"} {
		res := a.client().signInWith(url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/marking" {
			t.Errorf("next %q redirected to %q", next, loc)
		}
	}
}

func TestSignInBadInput(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	tests := []struct {
		name            string
		email, password string
		want            []string
	}{
		{"empty", "", "", []string{"Enter your email address", "Enter your password"}},
		{"no password", u.Email, "", []string{"Enter your password"}},
		{"too long", strings.Repeat("a", 300) + "@x.test", "whatever", []string{"Email address must be 254 characters or fewer"}},
		{"wrong password", u.Email, "not the password", []string{"Enter a correct email address and password"}},
		{"unknown email", "nobody@school.test", testPassword, []string{"Enter a correct email address and password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.client().post("/sign-in", url.Values{"email": {tt.email}, "password": {tt.password}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.errorSummary(); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("errors %q, want %q", got, tt.want)
			}
			if v, _ := res.Doc.Find(`input[name="email"]`).Attr("value"); v != tt.email {
				t.Errorf("email not kept: %q", v)
			}
			if v, _ := res.Doc.Find(`input[name="password"]`).Attr("value"); v != "" {
				t.Error("password echoed back")
			}
		})
	}
	// Wrong email and wrong password look exactly alike.
	r1 := a.client().post("/sign-in", url.Values{"email": {"x@school.test"}, "password": {"nope nope nope"}})
	r2 := a.client().post("/sign-in", url.Values{"email": {"x@school.test"}, "password": {"nope nope nope"}})
	if r1.text("main") != r2.text("main") {
		t.Error("responses differ")
	}
}

func TestRepeatedWrongPasswordsEndIn429(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	c := a.client()
	var res *testResponse
	for i := 0; i <= auth.MaxFailuresPerPair; i++ {
		res = c.post("/sign-in", url.Values{"email": {u.Email}, "password": {"wrong password here"}})
	}
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", res.StatusCode)
	}
	if !strings.Contains(res.text("main"), "too many attempts") || res.Header.Get("Retry-After") == "" {
		t.Errorf("429 page: %q", res.text("main"))
	}
	// Even the right password is refused from this address while the limit lasts.
	if res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password during lockout: %d", res.StatusCode)
	}
}

func TestSignOutRenewsSessionAndEndsAccess(t *testing.T) {
	a := newTestApp(t)
	c, _ := a.signedIn(auth.RoleProviderAdmin)
	u, _ := url.Parse(a.ts.URL)
	before := c.http.Jar.Cookies(u)
	res := c.post("/sign-out", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("sign out: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	after := c.http.Jar.Cookies(u)
	if len(before) != 1 || len(after) != 1 || before[0].Value == after[0].Value {
		t.Errorf("session token not renewed: %v -> %v", before, after)
	}
	if res := c.get("/admin"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after sign out /admin gave %d", res.StatusCode)
	}
	if got := c.get("/sign-in").text(`[data-testid="flash"]`); !strings.Contains(got, "You have signed out") {
		t.Errorf("flash %q", got)
	}
}

func TestSignInRenewsSessionToken(t *testing.T) {
	a := newTestApp(t)
	usr := a.userFor(auth.RoleParticipant)
	c := a.client()
	c.get("/sign-in?next=/home") // no session yet: nothing to fix
	c.post("/sign-in", url.Values{"email": {usr.Email}, "password": {"wrong one, first"}})
	u, _ := url.Parse(a.ts.URL)
	before := c.http.Jar.Cookies(u)
	c.signIn(usr.Email, testPassword)
	after := c.http.Jar.Cookies(u)
	if len(after) != 1 || (len(before) == 1 && before[0].Value == after[0].Value) {
		t.Errorf("session token not renewed on sign-in: %v -> %v", before, after)
	}
	for _, h := range c.get("/home").Header.Values("Set-Cookie") {
		if !strings.Contains(h, "HttpOnly") || !strings.Contains(h, "SameSite=Lax") {
			t.Errorf("cookie flags: %s", h)
		}
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleProviderAdmin)
	form := url.Values{"name": {"Eve"}, "email": {"eve@evil.test"}, "role": {"provider_admin"}}
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.test"},
	} {
		req, _ := http.NewRequest("POST", a.ts.URL+"/admin/invitations", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res := c.do(req)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%v: status %d, want 403", hdr, res.StatusCode)
		}
	}
	// Cross-origin sign-in is refused too (login CSRF).
	req, _ := http.NewRequest("POST", a.ts.URL+"/sign-in", strings.NewReader(url.Values{"email": {u.Email}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := a.client().do(req); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM invitations`); n != 0 {
		t.Errorf("%d invitations created", n)
	}
	// The same request from our own origin works.
	req, _ = http.NewRequest("POST", a.ts.URL+"/admin/invitations", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res := c.do(req); res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin post: %d", res.StatusCode)
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct{ next, want string }{
		{"/admin/outbox?page=2", "/admin/outbox?page=2"},
		{"/home", "/home"},
		{"/", "/"},
		{"/learn/2#item-3", "/learn/2#item-3"},
		{"/frameworks/search?q=a%20b", "/frameworks/search?q=a%20b"},
		{"", ""},
		{"home", ""},
		{"https://evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"//evil.example/phish", ""},
		{"/\\evil.example", ""},
		{"\\\\evil.example", ""},
		// Browsers drop tabs and newlines, so "/\t/evil" becomes "//evil".
		{"/\t/evil.example/phish", ""},
		{"/\t\\evil.example", ""},
		{"/\n/evil.example", ""},
		{"/\r/evil.example", ""},
		{" /home", ""},
		{"/home\x00", ""},
		{"/home\x7f", ""},
		{"/home\u0085", ""},
		{"/a\\b", ""},
		// Encoded forms are judged after decoding too.
		{"/%09/evil.example/phish", ""},
		{"/%2F/evil.example", ""},
		{"/%5Cevil.example", ""},
		{"/home%0d%0aSet-Cookie:x=1", ""},
		{"/home%zz", ""},
	}
	for _, tt := range tests {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

func TestSignInRefusesEncodedOffSiteNext(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleAssessor)
	for _, raw := range []string{"/%09/evil.example/phish", "/%09%5Cevil.example", "%2F%09%2Fevil.example"} {
		c := a.client()
		c.signIn(u.Email, testPassword)
		// Signed in: the form redirects straight on.
		if res := c.get("/sign-in?next=" + raw); res.Header.Get("Location") != "/marking" {
			t.Errorf("GET next=%s redirected to %q", raw, res.Header.Get("Location"))
		}
		next, _ := url.QueryUnescape(raw)
		res := a.client().signInWith(url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/marking" {
			t.Errorf("POST next %q redirected to %q", next, loc)
		}
	}
}
