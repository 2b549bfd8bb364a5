package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/demo"
	"npq/internal/personaldata"
	"npq/internal/programme"
)

// queryBudget is the most SQL round trips any page may cost, counting the session, whatever
// the data size.
const queryBudget = 5

// budgetUnreached are the GET routes the budget crawl does not visit, with why; every other
// GET route must be visited, so a new page cannot escape the budget.
var budgetUnreached = map[string]string{
	"GET /static/*": "static files never touch the database",
	"GET /boom":     "test-only route that panics",
	"GET /fail":     "test-only route that fails",
}

// budgetAccounts are the demo accounts the crawl signs in as, beyond the walker's five: people
// at every stage, so each page is seen in its fuller shapes.
var budgetAccounts = []string{"partner2@demo.test", "participant2@demo.test", "participant3@demo.test", "deferred@demo.test",
	"return-asked@demo.test", "returning@demo.test", "withdrawn@demo.test", "resubmit@demo.test", "final-attempt@demo.test", "assessor2@demo.test"}

// pageCost is the most queries a route cost on the crawl, and where.
type pageCost struct {
	queries int
	who     string
	path    string
	status  int
	trace   []string
}

// normalRefusal reports whether a 4xx is the page's normal answer: a link that is not valid
// (404), or course pages for a participant whose course is paused or over (403, a page saying so).
func normalRefusal(who, path string, status int) bool {
	switch {
	case status == http.StatusNotFound:
		return strings.Contains(path, "not-a-real-token")
	case status == http.StatusForbidden:
		return slices.Contains([]string{"deferred@demo.test", "withdrawn@demo.test", "return-asked@demo.test", "returning@demo.test"}, who)
	}
	return false
}

// budgetCrawl visits pages as each signed-in client and signed out, following links, and
// keeps the most each route cost.
type budgetCrawl struct {
	w        *walker
	costs    map[string]pageCost
	failures []string
}

// visit requests path as who twice, counting the second request: what a page costs once the
// service's caches are warm. It returns the response.
func (b *budgetCrawl) visit(who, path string) *testResponse {
	pat := b.w.pattern(http.MethodGet, strings.SplitN(path, "?", 2)[0])
	b.w.clients[who].get(path)
	b.w.a.queries.Reset()
	res := b.w.clients[who].get(path)
	n, trace := b.w.a.queries.Count()
	key := "GET " + pat
	if c, ok := b.costs[key]; !ok || n > c.queries {
		b.costs[key] = pageCost{queries: n, who: who, path: path, status: res.StatusCode, trace: trace}
	}
	if res.StatusCode >= 400 && !normalRefusal(who, path, res.StatusCode) {
		b.failures = append(b.failures, fmt.Sprintf("%s as %s: status %d", path, who, res.StatusCode))
	}
	return res
}

// crawl follows links from start as who, visiting each route at most twice.
func (b *budgetCrawl) crawl(who string, start []string) {
	seen := map[string]bool{}
	perPattern := map[string]int{}
	queue := start
	for visited := 0; len(queue) > 0 && visited < 1000; {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		pat := b.w.pattern(http.MethodGet, strings.SplitN(path, "?", 2)[0])
		if pat == "" || pat == "/static/*" || perPattern[pat] >= 2 {
			continue
		}
		perPattern[pat]++
		visited++
		res := b.visit(who, path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		b.search(who, path, res)
		res.Doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
				href, _, _ = strings.Cut(href, "#")
				queue = append(queue, href)
			}
		})
	}
}

// search runs the search of a page that has one, with the page's own filters, for text
// that finds rows and text that finds none, and follows the next page of what it found: a
// search is planned for its text (database.Conds.Search), and each must answer within the
// budget like the page.
func (b *budgetCrawl) search(who, path string, res *testResponse) {
	if res.Doc.Find(`form[method="get"] input[name="q"]`).Length() == 0 {
		return
	}
	u, err := url.Parse(path)
	if err != nil {
		b.w.a.t.Fatal(err)
	}
	for _, text := range []string{"le", "no such text"} {
		q := u.Query()
		q.Set("q", text)
		q.Del("after")
		q.Del("before")
		found := b.visit(who, u.Path+"?"+q.Encode())
		if next, ok := found.Doc.Find(`a[rel="next"]`).Attr("href"); ok && found.StatusCode == http.StatusOK {
			b.visit(who, next)
		}
	}
}

// id returns the first column of the first row of a query, as text.
func (b *budgetCrawl) id(sql string, args ...any) string {
	b.w.a.t.Helper()
	var id int64
	if err := b.w.a.pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		b.w.a.t.Fatalf("%s: %v", sql, err)
	}
	return fmt.Sprint(id)
}

// Every GET page, for every role that may see it and signed out, on the demo data, costs at
// most queryBudget SQL round trips, counting the session. The crawl follows links from each
// account's start pages, so route parameters are real ids the account may see; pages no link
// reaches are visited with ids read from the demo data.
func TestEveryPageWithinQueryBudget(t *testing.T) {
	w := newWalker(t)
	a := w.a
	ctx := context.Background()
	for _, email := range budgetAccounts {
		c := a.client()
		c.signIn(email, demo.Password)
		u, err := a.srv.users.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		w.clients[email], w.roles[email] = c, u.Role
	}
	b := &budgetCrawl{w: w, costs: map[string]pageCost{}}
	whos := make([]string, 0, len(w.clients))
	for who := range w.clients {
		whos = append(whos, who)
	}
	sort.Strings(whos)
	for _, who := range whos {
		start := []string{"/", "/sign-in", "/sign-in/two-step", "/frameworks", "/frameworks/search?q=lead", "/accessibility", "/privacy",
			"/healthz", "/readyz", "/forgotten-password", "/reset-password/not-a-real-token", "/account/email/not-a-real-token"}
		if role, ok := w.roles[who]; ok {
			start = append(start, role.HomePath(), "/account", "/account/name", "/account/password", "/account/email", "/account/two-step", "/account/two-step/off", "/step-up")
			for _, n := range navFor(role) {
				start = append(start, n.Href)
			}
			if role == auth.RoleParticipant {
				start = append(start, "/assessment/submitted")
			}
		}
		b.crawl(who, start)
	}

	// Pages reached only from a form, an email or a state the links do not show.
	admin, err := a.srv.users.UserByEmail(ctx, "admin@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	token, err := a.srv.users.Invite(ctx, auth.NewInvitation{Email: "budget@school.test", Name: "Budget Test", Role: auth.RoleAssessor, InvitedBy: admin.ID}, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	b.visit("signed out", "/invitations/"+token)
	participant, err := a.srv.users.UserByEmail(ctx, "participant@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	feed, err := a.srv.events.NewFeedToken(ctx, participant.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.visit("signed out", "/calendar/"+feed+".ics")
	request, err := a.srv.personalData.Log(ctx, personaldata.NewRequest{Email: "participant@demo.test", ReceivedOn: programme.Today(a.now())}, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.visit("admin@demo.test", fmt.Sprintf("/admin/data-requests/%d", request))
	b.visit("admin@demo.test", fmt.Sprintf("/admin/data-requests/%d/export.zip", request))
	assessor := b.id(`SELECT id FROM users WHERE email = 'assessor@demo.test'`)
	for _, path := range []string{"/admin/users/" + assessor + "/two-step", "/admin/users/" + assessor + "/role",
		"/admin/users/" + assessor + "/deactivate", "/admin/retention/apply", "/admin/data-requests/new", "/admin/news/new"} {
		b.visit("admin@demo.test", path)
	}
	moderated := b.id(`SELECT id FROM submissions WHERE submitted_at IS NOT NULL ORDER BY stage = 'moderation' DESC, id LIMIT 1`)
	if _, err := a.pool.Exec(ctx, `INSERT INTO allocations (submission_id, role, marker_id) VALUES ($1, 'moderator', $2)
		ON CONFLICT (submission_id, role) DO UPDATE SET marker_id = EXCLUDED.marker_id`, moderated, admin.ID); err != nil {
		t.Fatal(err)
	}
	b.visit("admin@demo.test", "/admin/assessment/"+moderated+"/moderate")
	var enrolment, event int64
	if err := a.pool.QueryRow(ctx, `SELECT e.id, v.id FROM enrolments e JOIN event_cohorts ec ON ec.cohort_id = e.cohort_id
		JOIN events v ON v.id = ec.event_id
		WHERE e.user_id = $1 AND e.status = 'active' AND v.starts_at > now() AND v.cancelled_at IS NULL
		ORDER BY v.starts_at LIMIT 1`, participant.ID).Scan(&enrolment, &event); err != nil {
		t.Fatal(err)
	}
	if _, err := a.srv.events.Book(ctx, enrolment, event, participant.ID, a.now()); err != nil {
		t.Fatal(err)
	}
	b.visit("participant@demo.test", fmt.Sprintf("/events/%d/cancel", event))
	past := b.id(`SELECT v.id FROM events v JOIN users u ON u.delivery_partner_id = v.delivery_partner_id
		WHERE u.email = 'partner@demo.test' AND v.ends_at < now() AND v.cancelled_at IS NULL ORDER BY v.starts_at DESC LIMIT 1`)
	b.visit("partner@demo.test", "/partner/events/"+past+"/catch-up")
	b.visit("admin@demo.test", "/admin/events/"+past+"/catch-up")
	b.visit("admin@demo.test", "/admin/events/"+past+"/register.csv")
	b.visit("admin@demo.test", "/admin/audit.csv")

	keys := make([]string, 0, len(b.costs))
	for k := range b.costs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := b.costs[k]
		t.Logf("%2d  %s  (%s as %s, %d)", c.queries, k, c.path, c.who, c.status)
		if c.queries > queryBudget {
			t.Errorf("%s costs %d queries (budget %d) at %s as %s:\n  %s", k, c.queries, queryBudget, c.path, c.who,
				strings.Join(c.trace, "\n  "))
		}
	}
	for _, f := range b.failures {
		t.Error(f)
	}
	for key := range a.srv.policies {
		if !strings.HasPrefix(key, "GET ") {
			continue
		}
		if _, ok := b.costs[key]; !ok && budgetUnreached[key] == "" {
			t.Errorf("%s was not reached by the budget crawl: link to it from a page, or visit it explicitly", key)
		}
	}
}
