package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
)

// Every route the router serves must have an access rule.
func TestEveryRouteHasAnAccessRule(t *testing.T) {
	a := newTestApp(t)
	r := a.srv.handler.(chi.Routes)
	if missing := a.srv.checkPolicies(r); len(missing) > 0 {
		t.Fatalf("routes without an access rule: %v", missing)
	}
	if len(a.srv.policies) < 10 {
		t.Fatalf("only %d routes found; is the walk working?", len(a.srv.policies))
	}
}

// A route added without s.handle is caught by the walk (and makes New panic).
func TestRouteWithoutRuleIsDetected(t *testing.T) {
	a := newTestApp(t)
	r := chi.NewRouter()
	a.srv.handle(r, "GET", "/covered", publicAccess, a.srv.healthz)
	r.Get("/sneaky", func(w http.ResponseWriter, r *http.Request) {})
	missing := a.srv.checkPolicies(r)
	if len(missing) != 1 || missing[0] != "GET /sneaky" {
		t.Fatalf("missing = %v, want [GET /sneaky]", missing)
	}
}

var routeParam = regexp.MustCompile(`\{[^}]+\}`)

// Every route, for every role and signed out: allowed, 403, or a redirect to sign in.
func TestRouteAccessForEveryRole(t *testing.T) {
	a := newTestApp(t)
	// Account 1, which {user} routes act on, is nobody's session: deactivating it signs no client out.
	a.user("bystander@school.test", auth.RoleAssessor, nil)
	clients := map[string]*testClient{"signed out": a.client()}
	roles := map[string]auth.Role{}
	emails := map[string]string{}
	for _, role := range auth.Roles {
		c, u := a.signedIn(role)
		clients[string(role)] = c
		roles[string(role)] = role
		emails[string(role)] = u.Email
	}
	for key, rule := range a.srv.policies {
		method, pattern, _ := strings.Cut(key, " ")
		path := strings.ReplaceAll(routeParam.ReplaceAllString(pattern, "1"), "*", "build/app.css")
		for who, c := range clients {
			role, signedIn := roles[who]
			var res *testResponse
			if method == "GET" {
				res = c.get(path)
			} else {
				res = c.post(path, url.Values{})
			}
			if key == "POST /sign-out" && signedIn {
				c.signIn(emails[who], testPassword)
			}
			loc := res.Header.Get("Location")
			toSignIn := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(loc, "/sign-in?next=")
			switch {
			case rule.public || signedIn && rule.allows(role):
				if res.StatusCode == http.StatusForbidden || toSignIn || res.StatusCode >= 500 {
					t.Errorf("%s as %s: want allowed, got %d %s", key, who, res.StatusCode, loc)
				}
			case !signedIn:
				if !toSignIn {
					t.Errorf("%s signed out: want redirect to sign in, got %d %s", key, res.StatusCode, loc)
				}
			default:
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s: want 403, got %d", key, who, res.StatusCode)
				}
			}
		}
	}
}
