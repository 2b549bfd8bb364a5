package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"npq/internal/auth"
)

// composeKey opens the compose page for path and returns its form's key.
func composeKey(t *testing.T, c *testClient, path string) (*testResponse, string) {
	t.Helper()
	res := c.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", path, res.StatusCode, res.text("main"))
	}
	key, _ := res.Doc.Find(`input[name="key"]`).Attr("value")
	return res, key
}

func TestPartnerMessageSendsOnceToTheirParticipant(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	staff := a.as(f.staff)
	pam := strconv.FormatInt(f.participant.ID, 10)
	back := "/partner/participants/" + pam
	res, key := composeKey(t, staff, "/partner/messages/new?to="+pam+"&back="+url.QueryEscape(back))
	if got := res.text(`[data-testid="recipient-count"]`); !strings.Contains(got, "1 person") {
		t.Errorf("count: %q", got)
	}
	if !strings.Contains(res.text("#to"), "pam@school.test") {
		t.Errorf("recipients: %q", res.text("#to"))
	}
	form := url.Values{"key": {key}, "back": {back}, "offered": {pam}, "to": {pam}, "subject": {"Book the webinar"}, "body": {"Dates are filling up."}}
	res = staff.post("/partner/messages", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != back {
		t.Fatalf("send: %d %q %v", res.StatusCode, res.Header.Get("Location"), res.errorSummary())
	}
	page := staff.get(back)
	if !strings.Contains(page.text("main"), "Message sent to 1 person") {
		t.Errorf("no banner: %q", page.text("main"))
	}
	if !strings.Contains(page.text(`[data-testid="emails"]`), "Book the webinar") {
		t.Errorf("record emails: %q", page.text(`[data-testid="emails"]`))
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Book the webinar' AND to_address = 'pam@school.test'
		AND delivery_partner_id = $1 AND staff_message_id IS NOT NULL AND body LIKE 'Dear %Dates are filling up.%Riverside Hub%'`, f.partnerID); n != 1 {
		t.Errorf("%d messages in the outbox", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'message.sent' AND actor_id = $1`, f.staff.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	// The same form again (a double click, a reload) sends nothing more.
	res = staff.post("/partner/messages", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("repeat: %d", res.StatusCode)
	}
	if !strings.Contains(staff.get(back).text("main"), "already sent to 1 person") {
		t.Error("no banner for the repeat")
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Book the webinar'`); n != 1 {
		t.Errorf("repeat sent again: %d", n)
	}
	// A return address that is not ours goes home instead.
	_, key = composeKey(t, staff, "/partner/messages/new?to="+pam)
	form.Set("key", key)
	form.Set("back", "//evil.test/x")
	if res := staff.post("/partner/messages", form); res.Header.Get("Location") != "/partner" {
		t.Errorf("back to %q", res.Header.Get("Location"))
	}
}

func TestPartnerMessageRefusesPeopleOutsideTheirScope(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	staff := a.as(f.staff)
	pam, olu := strconv.FormatInt(f.participant.ID, 10), strconv.FormatInt(f.other.ID, 10)
	for path, want := range map[string]int{
		"/partner/messages/new?to=" + olu:                                http.StatusNotFound, // another partner's
		"/partner/messages/new?to=" + pam + "&to=" + olu:                 http.StatusNotFound,
		"/partner/messages/new?to=" + strconv.FormatInt(f.staff2.ID, 10): http.StatusNotFound, // staff
		"/partner/messages/new?to=999999":                                http.StatusNotFound,
		"/partner/messages/new?to=abc":                                   http.StatusBadRequest,
		"/partner/messages/new?to=" + pam + "&to=-4":                     http.StatusBadRequest,
		"/partner/messages/new":                                          http.StatusUnprocessableEntity,
		"/admin/messages/new?to=" + pam:                                  http.StatusForbidden,
	} {
		if res := staff.get(path); res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
	_, key := composeKey(t, staff, "/partner/messages/new?to="+pam)
	// A form changed to reach another partner's participant sends nothing.
	res := staff.post("/partner/messages", url.Values{"key": {key}, "offered": {pam}, "to": {pam, olu}, "subject": {"Hello"}, "body": {"Hi"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "cannot be messaged by you") {
		t.Errorf("out of scope: %d %v", res.StatusCode, res.errorSummary())
	}
	if strings.Contains(res.text("main"), "olu@") {
		t.Error("the other partner's participant is named")
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Hello'`); n != 0 {
		t.Errorf("%d sent", n)
	}
}

func TestPartnerMessageBadInput(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	staff := a.as(f.staff)
	pam := strconv.FormatInt(f.participant.ID, 10)
	_, key := composeKey(t, staff, "/partner/messages/new?to="+pam)
	good := url.Values{"key": {key}, "offered": {pam}, "to": {pam}, "subject": {"Webinar"}, "body": {"Please book."}}
	for name, tt := range map[string]struct {
		field, value, want string
	}{
		"no subject":        {"subject", " ", "Enter a subject"},
		"long subject":      {"subject", strings.Repeat("s", 151), "150 characters or fewer"},
		"no body":           {"body", "", "Enter the message"},
		"long body":         {"body", strings.Repeat("b", 5001), "5000 characters or fewer"},
		"everyone unticked": {"to", "", "Choose at least one person"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		if tt.value == "" && tt.field == "to" {
			form.Del("to")
		} else {
			form.Set(tt.field, tt.value)
		}
		res := staff.post("/partner/messages", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), tt.want) ||
			!strings.HasPrefix(res.text("title"), "Error: ") {
			t.Errorf("%s: %d %v", name, res.StatusCode, res.errorSummary())
		}
		// What was typed is kept, and the person stays on the list to tick again.
		if tt.field != "body" && res.text("#body") != "Please book." {
			t.Errorf("%s: body not kept: %q", name, res.text("#body"))
		}
		if !strings.Contains(res.text("#to"), "pam@school.test") {
			t.Errorf("%s: recipients lost: %q", name, res.text("#to"))
		}
	}
	for name, form := range map[string]url.Values{
		"no key": {"offered": {pam}, "to": {pam}, "subject": {"Webinar"}, "body": {"Please book."}},
		"bad id": {"key": {key}, "to": {"x"}, "subject": {"Webinar"}, "body": {"Please book."}},
	} {
		if res := staff.post("/partner/messages", form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Webinar'`); n != 0 {
		t.Errorf("%d sent", n)
	}
}

func TestAdminMessageReachesEveryPartnersParticipants(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	pam, olu := strconv.FormatInt(f.participant.ID, 10), strconv.FormatInt(f.other.ID, 10)
	res, key := composeKey(t, admin, "/admin/messages/new?to="+pam+"&to="+olu)
	if !strings.Contains(res.text(`[data-testid="recipient-count"]`), "2 people") {
		t.Errorf("count: %q", res.text(`[data-testid="recipient-count"]`))
	}
	// Unticking one leaves them out.
	res = admin.post("/admin/messages", url.Values{"key": {key}, "offered": {pam, olu}, "to": {olu}, "subject": {"Survey"}, "body": {"Tell us."}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin" {
		t.Fatalf("send: %d %q %v", res.StatusCode, res.Header.Get("Location"), res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Survey' AND to_address = 'olu@school.test' AND delivery_partner_id IS NULL`); n != 1 {
		t.Errorf("olu got %d", n)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Survey'`); n != 1 {
		t.Errorf("%d sent", n)
	}
}
