package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
)

// engagementFixture fills the only date of the webinar, so the people in the cohort who have
// not booked it are listed to chase.
func (a *testApp) engagementFixture() (*recordFixture, int64) {
	a.t.Helper()
	f := a.recordFixture()
	ev := a.scheduleEvent(f.programmeFixture, f.webinar, 7, new(1))
	id, err := a.srv.programme.Enrol(a.t.Context(), enrolIn("x1@school.test", f.cohortID), 0, "")
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.srv.events.Book(a.t.Context(), id, ev, 0, a.now()); err != nil {
		a.t.Fatal(err)
	}
	return f, ev
}

func TestEngagementListsCanBeEmailed(t *testing.T) {
	a := newTestApp(t)
	f, _ := a.engagementFixture()
	staff := a.as(f.staff)
	path := fmt.Sprintf("/partner/cohorts/%d/engagement", f.cohortID)
	n, res := a.queriesFor(staff, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("engagement: %d", res.StatusCode)
	}
	if n > 5 {
		_, qs := a.queries.Count()
		t.Errorf("engagement ran %d queries: %q", n, qs)
	}
	form := res.Doc.Find(`[data-testid="unbooked"] form`)
	if action, _ := form.Attr("action"); action != "/partner/messages/new" {
		t.Errorf("form action %q", action)
	}
	pam := strconv.FormatInt(f.participant.ID, 10)
	if form.Find(`input[name="to"][value="`+pam+`"][checked]`).Length() != 1 {
		t.Errorf("pam is not ticked: %q", form.Text())
	}
	if back, _ := form.Find(`input[name="back"]`).Attr("value"); back != path {
		t.Errorf("back %q", back)
	}
	if href, _ := form.Find(`a[href^="/partner/participants/"]`).Attr("href"); href != "/partner/participants/"+pam {
		t.Errorf("record link %q", href)
	}
	// The form opens the compose page for everyone ticked; sending returns here with a banner.
	compose, key := composeKey(t, staff, "/partner/messages/new?"+url.Values{"to": {pam}, "back": {path}}.Encode())
	if !strings.Contains(compose.text("#to"), "pam@school.test") {
		t.Errorf("compose: %q", compose.text("#to"))
	}
	sent := staff.post("/partner/messages", url.Values{"key": {key}, "back": {path}, "offered": {pam}, "to": {pam},
		"subject": {"Book the webinar"}, "body": {"Only a few places left."}})
	if sent.StatusCode != http.StatusSeeOther || sent.Header.Get("Location") != path {
		t.Fatalf("send: %d %q", sent.StatusCode, sent.Header.Get("Location"))
	}
	if !strings.Contains(staff.get(path).text("main"), "Message sent to 1 person") {
		t.Error("no banner")
	}
}

func TestEngagementListsDownload(t *testing.T) {
	a := newTestApp(t)
	f, _ := a.engagementFixture()
	staff := a.as(f.staff)
	page := staff.get(fmt.Sprintf("/partner/cohorts/%d/engagement", f.cohortID))
	href, ok := page.Doc.Find(`[data-testid="unbooked"] a[download]`).Attr("href")
	if !ok {
		t.Fatal("no download link")
	}
	res := staff.get(href)
	today := a.now().Format("2006-01-02")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "not-booked-webinar-npqh-riverside-") {
		t.Fatalf("csv: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	_ = today
	if !strings.Contains(res.Body, "Name,Email,Course,Cohort") || !strings.Contains(res.Body, "pam@school.test,NPQ in Headship,NPQH Riverside") ||
		strings.Contains(res.Body, "x1@school.test") {
		t.Errorf("csv body: %s", res.Body)
	}
	base := fmt.Sprintf("/partner/cohorts/%d/engagement.csv", f.cohortID)
	for q, want := range map[string]int{
		"?list=inactive":          http.StatusOK,
		"?list=no-shows":          http.StatusOK,
		"?list=everyone":          http.StatusBadRequest,
		"":                        http.StatusBadRequest,
		"?list=unbooked&item=abc": http.StatusBadRequest,
		"?list=unbooked&item=999": http.StatusNotFound,
	} {
		if got := staff.get(base + q).StatusCode; got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	if got := staff.get(fmt.Sprintf("/partner/cohorts/%d/engagement.csv?list=inactive", f.cohort2)).StatusCode; got != http.StatusNotFound {
		t.Errorf("other partner's list: %d", got)
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	adminPage := admin.get(fmt.Sprintf("/admin/cohorts/%d/engagement", f.cohortID))
	if action, _ := adminPage.Doc.Find(`[data-testid="unbooked"] form`).Attr("action"); action != "/admin/messages/new" {
		t.Errorf("admin form action %q", action)
	}
	if got := admin.get(fmt.Sprintf("/admin/cohorts/%d/engagement.csv?list=inactive", f.cohortID)).StatusCode; got != http.StatusOK {
		t.Errorf("admin csv: %d", got)
	}
}

func TestRosterAndRegisterLinkToMessages(t *testing.T) {
	a := newTestApp(t)
	f, _ := a.engagementFixture()
	staff := a.as(f.staff)
	pam := strconv.FormatInt(f.participant.ID, 10)
	roster := staff.get(fmt.Sprintf("/partner/cohorts/%d", f.cohortID))
	href, ok := roster.Doc.Find(`[data-testid="email-everyone"]`).Attr("href")
	if !ok || !strings.Contains(roster.text(`[data-testid="email-everyone"]`), "(2 people)") {
		t.Fatalf("roster link: %q", roster.text(`[data-testid="email-everyone"]`))
	}
	if compose := staff.get(href); compose.StatusCode != http.StatusOK || !strings.Contains(compose.text(`[data-testid="recipient-count"]`), "2 people") {
		t.Errorf("compose from the roster: %d %q", compose.StatusCode, compose.text("main"))
	}
	// Pam books the other date of an event that has since happened, and is marked absent.
	ev := a.scheduleEvent(f.programmeFixture, f.workshop, 3, nil)
	if _, err := a.srv.events.Book(t.Context(), f.enrolment, ev, 0, a.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(t.Context(), `UPDATE events SET starts_at = $2, ends_at = $2::timestamptz + interval '1 hour', booking_closes_at = $2,
		cancellation_cutoff = $2::timestamptz - interval '1 hour', booking_opens_at = $2::timestamptz - interval '2 days' WHERE id = $1`, ev, a.now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	register := fmt.Sprintf("/partner/events/%d/register", ev)
	if staff.get(register).Doc.Find(`[data-testid="email-absent"]`).Length() != 0 {
		t.Error("a link to email absent people before anyone is marked absent")
	}
	var booking string
	a.pool.QueryRow(t.Context(), `SELECT id::text FROM bookings WHERE event_id = $1`, ev).Scan(&booking) //nolint:errcheck
	if res := staff.post(register, url.Values{"booking": {booking}, "mark-" + booking: {"absent"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d %v", res.StatusCode, res.errorSummary())
	}
	href, _ = staff.get(register).Doc.Find(`[data-testid="email-absent"]`).Attr("href")
	u, _ := url.Parse(href)
	if u.Path != "/partner/messages/new" || u.Query().Get("to") != pam || u.Query().Get("back") != register {
		t.Errorf("absent link %q", href)
	}
	if compose := staff.get(href); compose.StatusCode != http.StatusOK {
		t.Errorf("compose from the register: %d", compose.StatusCode)
	}
}
