package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

// Admins read every message in the outbox, but not the secret links in them: an invitation
// link would let its reader take the invitee's account.
func TestOutboxHidesSecretLinks(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.post("/admin/invitations", url.Values{"name": {"Pat Participant"}, "email": {"pat@school.test"}, "role": {"participant"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d %v", res.StatusCode, res.errorSummary())
	}
	feed := a.ts.URL + "/calendar/" + strings.Repeat("c", 43) + ".ics"
	a.pool.Exec(context.Background(), `INSERT INTO outbox (to_address, subject, body) VALUES ('pat@school.test', 'Your calendar', $1)`, //nolint:errcheck
		"Subscribe to your calendar: "+feed+"\nOr read the frameworks at "+a.ts.URL+"/frameworks")

	emailed := invitationLink.FindString(latestInvitationEmail(t, a, "pat@school.test"))
	if emailed == "" {
		t.Fatal("the email itself has no invitation link")
	}
	list := admin.get("/admin/outbox")
	list.Doc.Find(`[data-testid="outbox"] tbody tr a`).Each(func(_ int, link *goquery.Selection) {
		href, _ := link.Attr("href")
		msg := admin.get(href)
		body := msg.text(`[data-testid="message-body"]`)
		if strings.Contains(msg.Body, emailed) || strings.Contains(msg.Body, strings.Repeat("c", 43)) {
			t.Errorf("%s shows a secret link: %q", href, body)
		}
		if msg.text(`[data-testid="links-hidden"]`) == "" {
			t.Errorf("%s does not say links are hidden", href)
		}
		switch {
		case strings.Contains(body, "invited"):
			if !strings.Contains(body, "[invitation link hidden: only the recipient can use it]") {
				t.Errorf("invitation: %q", body)
			}
		case strings.Contains(body, "calendar"):
			if !strings.Contains(body, "[calendar link hidden: only the recipient can use it]") ||
				!strings.Contains(body, a.ts.URL+"/frameworks") {
				t.Errorf("calendar message: %q", body)
			}
		default:
			t.Errorf("unexpected message %q", body)
		}
	})
}

// The outbox is found by recipient or subject, filtered by status and paged by keyset.
func TestOutboxListFiltersAndPages(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	ctx := context.Background()
	for i := range 25 {
		a.pool.Exec(ctx, `INSERT INTO outbox (to_address, subject, body, created_at) VALUES ($1, $2, 'x', now() - make_interval(mins => $3))`, //nolint:errcheck
			fmt.Sprintf("p%02d@school.test", i), fmt.Sprintf("Reminder %02d", i), i)
	}
	a.pool.Exec(ctx, `INSERT INTO outbox (to_address, to_name, subject, body, sent_at) VALUES ('amara@school.test', 'Amara Iqbal', 'Booking confirmed: 50% off', 'x', now())`) //nolint:errcheck
	a.pool.Exec(ctx, `INSERT INTO outbox (to_address, subject, body, last_error, attempts) VALUES ('bounce@school.test', 'Your letter', 'x', '550 no such user', 8)`)          //nolint:errcheck
	a.pool.Exec(ctx, `INSERT INTO outbox (to_address, subject, body, last_error, attempts) VALUES ('later@school.test', 'Your letter', 'x', 'timeout', 1)`)                    //nolint:errcheck
	subjects := func(res *testResponse) []string {
		t.Helper()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", res.Request.URL, res.StatusCode)
		}
		var out []string
		res.Doc.Find(`[data-testid="message-row"] td:first-child`).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	for q, want := range map[string]string{
		"q=amara":                     "Booking confirmed: 50% off",
		"q=iqbal":                     "Booking confirmed: 50% off",
		"q=50%25":                     "Booking confirmed: 50% off",
		"q=p07%40school":              "Reminder 07",
		"status=sent":                 "Booking confirmed: 50% off",
		"status=failed":               "Your letter|Your letter",
		"status=failed&q=bounce":      "Your letter",
		"q=reminder+24&status=queued": "Reminder 24",
		"q=nobody":                    "",
	} {
		if got := strings.Join(subjects(admin.get("/admin/outbox?"+q)), "|"); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	failed := admin.get("/admin/outbox?status=failed")
	if got := failed.text(`[data-testid="message-status"]`); !strings.Contains(got, "Failed") {
		t.Errorf("failed status %q", got)
	}
	if !strings.Contains(failed.text("main"), "Not retried") || !strings.Contains(failed.text("main"), "Will be retried") {
		t.Error("failed messages do not say whether they will be retried")
	}
	// 25 queued reminders, newest first, over three pages of 10 that keep the filter.
	var seen []string
	path := "/admin/outbox?status=queued&size=10"
	for pages := 0; path != ""; pages++ {
		if pages == 3 {
			t.Fatal("more than three pages")
		}
		res := admin.get(path)
		seen = append(seen, subjects(res)...)
		path = res.Doc.Find(`a[rel="next"]`).AttrOr("href", "")
		if path != "" && !strings.Contains(path, "status=queued") {
			t.Errorf("next page %q loses the filter", path)
		}
	}
	if len(seen) != 25 || seen[0] != "Reminder 00" || seen[24] != "Reminder 24" {
		t.Errorf("paged through %d: %v", len(seen), seen)
	}
	if got := admin.get("/admin/outbox").Doc.Find(`th[aria-sort]`).AttrOr("aria-sort", ""); got != "descending" {
		t.Errorf("sorted header %q", got)
	}
	for _, q := range []string{"status=lost", "size=1000", "after=zzz", "page=2&before=" + url.QueryEscape("!")} {
		if res := admin.get("/admin/outbox?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: %d", q, res.StatusCode)
		}
	}
	if n, _ := a.queriesFor(admin, "/admin/outbox?q=school&status=queued"); n > 5 {
		t.Errorf("outbox ran %d queries", n)
	}
}
