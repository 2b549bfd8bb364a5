package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

// assertNoStore checks a response may not be kept by a browser or a shared cache.
func assertNoStore(t *testing.T, what string, res *testResponse) {
	t.Helper()
	if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != "no-store" {
		t.Errorf("%s (%d): Cache-Control %q, want exactly no-store", what, res.StatusCode, got)
	}
}

// Every page a signed-in user sees, and every export, letter, invitation and feed, is
// private: pressing Back after signing out must not show it again.
func TestPrivateResponsesAreNeverStored(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, nil)
	clients := map[auth.Role]*testClient{auth.RoleParticipant: a.as(f.participant)}
	for _, role := range auth.Roles {
		if clients[role] == nil {
			clients[role], _ = a.signedIn(role)
		}
	}
	clients[auth.RoleParticipant].post(fmt.Sprintf("/events/%d/book", ev), nil)
	ids := strings.NewReplacer("{cohort}", fmt.Sprint(f.cohortID), "{event}", fmt.Sprint(ev),
		"{enrolment}", fmt.Sprint(f.enrolment), "{course}", fmt.Sprint(f.courseID), "{block}", fmt.Sprint(f.block1),
		"{item}", fmt.Sprint(f.study))
	walked := 0
	for key := range a.srv.policies {
		method, pattern, _ := strings.Cut(key, " ")
		if method != "GET" || strings.HasPrefix(pattern, "/static/") {
			continue
		}
		path := routeParam.ReplaceAllString(ids.Replace(pattern), "1")
		for role, c := range clients {
			assertNoStore(t, string(role)+" GET "+path, c.get(path))
			walked++
		}
	}
	if walked < 100 {
		t.Fatalf("only %d pages walked", walked)
	}
	admin := clients[auth.RoleProviderAdmin]
	for _, export := range []string{"/admin/deferrals.csv", "/admin/withdrawals.csv",
		fmt.Sprintf("/admin/cohorts/%d/roster.csv", f.cohortID), fmt.Sprintf("/admin/events/%d/register.csv", ev)} {
		res := admin.get(export)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", export, res.StatusCode)
		}
		assertNoStore(t, export, res)
	}

	// Static assets keep their long cache life for everyone.
	css, _ := a.client().get("/").Doc.Find(`link[rel="stylesheet"]`).Attr("href")
	if res := admin.get(css); !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet for a signed-in user: %q", res.Header.Values("Cache-Control"))
	}

	// Private pages reached by a secret link, with no session.
	feed, _ := url.Parse(clients[auth.RoleParticipant].post("/calendar/reset", nil).Doc.Find(`[data-testid="feed-url"]`).AttrOr("value", ""))
	res := a.client().get(feed.Path)
	if res.StatusCode != 200 {
		t.Fatalf("feed: %d", res.StatusCode)
	}
	assertNoStore(t, "calendar feed", res)
	assertNoStore(t, "invitation page", a.client().get("/invitations/"+strings.Repeat("a", 43)))

	// Signing in and out.
	c := a.client()
	assertNoStore(t, "sign in", c.signIn(f.participant.Email, testPassword))
	res = c.post("/sign-out", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	assertNoStore(t, "sign out", res)
	assertNoStore(t, "sign-in page after signing out", c.get("/sign-in"))
}
