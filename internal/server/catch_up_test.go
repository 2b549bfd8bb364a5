package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

// A participant who missed a session's only date is offered the recording and task the
// partner added: Continue leads there, a reflection completes the session, and bad input
// changes nothing.
func TestCatchingUpOnAMissedSession(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 2, new(10))
	pam := a.as(f.participant)
	pam.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.intro), nil)
	pam.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.study), nil)
	if res := pam.post(fmt.Sprintf("/events/%d/book", ev), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("book: %d", res.StatusCode)
	}
	staff := a.as(a.user("staff@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	form := fmt.Sprintf("/partner/events/%d/catch-up", ev)
	catchUp := url.Values{"recording_url": {"https://video.example/webinar-1"}, "task": {"Read chapter 2 and reflect on one change."}}

	// Before the session starts, there is nothing to catch up with.
	if res := staff.post(form, catchUp); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "once the session has started") {
		t.Errorf("before the session: %d %q", res.StatusCode, res.errorSummary())
	}
	a.clock.Set(a.now().AddDate(0, 0, 3))
	webinar := fmt.Sprintf("/learn/%d/%d", f.block1, f.webinar)
	if got := pam.get(webinar).text(`[data-testid="session-help"]`); !strings.Contains(got, "date you booked has passed") {
		t.Errorf("missed, no catch-up: %q", got)
	}
	for _, bad := range []url.Values{{"recording_url": {"javascript:alert(1)"}}, {"recording_url": {"http://video.example/1"}}, {"task": {strings.Repeat("x", 2001)}}} {
		res := staff.post(form, bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(res.text("title"), "Error:") {
			t.Errorf("bad catch-up %v: %d", bad, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM event_catch_ups`); n != 0 {
		t.Fatalf("bad input saved %d catch-ups", n)
	}
	// Another partner's staff cannot reach it.
	other := a.as(a.user("staff@elsewhere.test", auth.RolePartnerStaff, &f.partner2))
	if res := other.post(form, catchUp); res.StatusCode != http.StatusNotFound {
		t.Errorf("another partner: %d", res.StatusCode)
	}
	if res := staff.post(form, catchUp); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %q", res.StatusCode, res.errorSummary())
	}
	if got := staff.get(fmt.Sprintf("/partner/events/%d", ev)).text(`[data-testid="catch-up"]`); !strings.Contains(got, "Read chapter 2") {
		t.Errorf("event page: %q", got)
	}

	// The participant is led to it and can catch up.
	if href, _ := pam.get("/home").Doc.Find(`[data-testid="continue"]`).Attr("href"); href != webinar {
		t.Errorf("continue goes to %q", href)
	}
	page := pam.get(webinar)
	if href, _ := page.Doc.Find(`[data-testid="recording"]`).Attr("href"); href != "https://video.example/webinar-1" ||
		!strings.Contains(page.text(`[data-testid="catch-up-task"]`), "Read chapter 2") {
		t.Fatalf("catch-up offered: %q", page.text("main"))
	}
	res := pam.post(webinar+"/catch-up", url.Values{"reflection": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "Write your reflection") {
		t.Errorf("empty reflection: %d %q", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM item_completions WHERE item_id = $1`, f.webinar); n != 0 {
		t.Fatalf("an empty reflection completed the session")
	}
	if res := pam.post(webinar+"/catch-up", url.Values{"reflection": {"I will try cold calling."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reflection: %d %q", res.StatusCode, res.errorSummary())
	}
	if got := pam.get(webinar).text(`[data-testid="completed"]`); !strings.Contains(got, "caught up") {
		t.Errorf("after catching up: %q", got)
	}
	// Sending again changes nothing.
	if res := pam.post(webinar+"/catch-up", url.Values{"reflection": {"Again"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("again: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM session_catch_ups WHERE reflection = 'I will try cold calling.'`); n != 1 {
		t.Errorf("%d reflections kept", n)
	}
	// Someone else's session cannot be caught up through the URL.
	olu := a.as(f.other)
	if res := olu.post(webinar+"/catch-up", url.Values{"reflection": {"x"}}); res.StatusCode == http.StatusSeeOther {
		t.Errorf("another participant: %d", res.StatusCode)
	}
}
