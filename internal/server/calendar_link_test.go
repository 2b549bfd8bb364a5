package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Looking at the Events page writes nothing. The participant asks for a calendar address,
// sees it once, and the database keeps only its hash; asking again replaces it.
func TestCalendarAddressIsMadeOnRequestAndShownOnce(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, nil)
	c := a.as(f.participant)
	c.post(fmt.Sprintf("/events/%d/book", ev), nil)
	for range 2 {
		page := c.get("/events")
		if page.StatusCode != 200 || page.Doc.Find(`[data-testid="get-feed"]`).Length() != 1 {
			t.Fatalf("events page: %d %q", page.StatusCode, page.text(`#calendar`))
		}
	}
	if n := a.count(`SELECT count(*) FROM calendar_feeds`); n != 0 {
		t.Errorf("viewing the Events page wrote %d calendar feeds", n)
	}
	res := c.post("/calendar/reset", nil)
	feed := res.Doc.Find(`[data-testid="feed-url"]`).AttrOr("value", "")
	if res.StatusCode != 200 || !strings.Contains(feed, "/calendar/") || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("new address: %d %q %q", res.StatusCode, feed, res.Header.Get("Cache-Control"))
	}
	u, _ := url.Parse(strings.TrimSpace(feed))
	token := strings.TrimSuffix(strings.TrimPrefix(u.Path, "/calendar/"), ".ics")
	if n := a.count(`SELECT count(*) FROM calendar_feeds f WHERE strpos(f::text, $1) > 0`, token); n != 0 {
		t.Error("the feed token is stored in clear")
	}
	if n := a.count(`SELECT count(*) FROM calendar_feeds WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, token); n != 1 {
		t.Error("the feed token's hash is not stored")
	}
	if res := a.client().get(u.Path); res.StatusCode != 200 || !strings.Contains(res.Body, "SUMMARY:Webinar 7") {
		t.Fatalf("feed: %d", res.StatusCode)
	}
	// Later the page says an address exists but does not show it.
	page := c.get("/events")
	if strings.Contains(page.Body, token) || page.Doc.Find(`[data-testid="feed-made"]`).Length() != 1 {
		t.Errorf("events page after making an address: %q", page.text(`#calendar`))
	}
	c.post("/calendar/reset", nil)
	if res := a.client().get(u.Path); res.StatusCode != http.StatusNotFound {
		t.Errorf("old address after making a new one: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM calendar_feeds`); n != 1 {
		t.Errorf("%d feeds for one participant", n)
	}
}

// The new address can be added in one click, or copied from a field that works without script.
func TestCalendarAddressHasSubscribeLinksAndCopyField(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	res := a.as(f.participant).post("/calendar/reset", nil)
	input := res.Doc.Find(`input[data-testid="feed-url"]`)
	feed := input.AttrOr("value", "")
	if _, readonly := input.Attr("readonly"); !readonly || !strings.HasPrefix(feed, a.ts.URL+"/calendar/") {
		t.Fatalf("address field: %q readonly %v", feed, readonly)
	}
	if res.Doc.Find(`label[for="feed-address"]`).Length() != 1 {
		t.Error("the address field has no label")
	}
	webcal := "webcal://" + strings.TrimPrefix(feed, "http://")
	if got := res.Doc.Find(`[data-testid="subscribe"]`).AttrOr("href", ""); got != webcal {
		t.Errorf("subscribe link %q, want %q", got, webcal)
	}
	if got := res.Doc.Find(`[data-testid="subscribe-google"]`).AttrOr("href", ""); got != "https://calendar.google.com/calendar/r?cid="+url.QueryEscape(webcal) {
		t.Errorf("Google link %q", got)
	}
	// The copy button needs the script, so it starts hidden.
	if _, hidden := res.Doc.Find(`[data-testid="copy-feed"]`).Attr("hidden"); !hidden {
		t.Error("the copy button shows without the script")
	}
}
