package server

import (
	"context"
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
