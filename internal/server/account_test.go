package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

func TestAccountPageForEveryRole(t *testing.T) {
	a := newTestApp(t)
	if res := a.client().get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.StatusCode)
	}
	for _, role := range auth.Roles {
		c, u := a.signedIn(role)
		n, res := a.queriesFor(c, "/account")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", role, res.StatusCode)
		}
		if n > 5 {
			t.Errorf("%s: %d queries, want at most 5", role, n)
		}
		details := res.text(`[data-testid="account-details"]`)
		for _, want := range []string{u.Name, u.Email, role.Label()} {
			if !strings.Contains(details, want) {
				t.Errorf("%s: details %q lack %q", role, details, want)
			}
		}
		link := res.Doc.Find(`[data-testid="my-account"]`)
		if cur, _ := link.Attr("aria-current"); cur != "page" {
			t.Errorf("%s: My account link not current: %q", role, cur)
		}
		if res.Doc.Find(`[data-testid="session"]`).Length() != 1 || res.Doc.Find(`[data-testid="this-device"]`).Length() != 1 {
			t.Errorf("%s: sessions listed wrongly", role)
		}
		want := map[bool]string{false: "Off", true: "On"}[u.TwoStep]
		if got := res.text(`[data-testid="two-step-status"]`); !strings.HasPrefix(got, want) {
			t.Errorf("%s: two-step status %q", role, got)
		}
		if home := c.get(role.HomePath()); home.Doc.Find(`[data-testid="my-account"][aria-current]`).Length() != 0 {
			t.Errorf("%s: My account marked current on the home page", role)
		}
	}
}

func TestAccountNameChange(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	for _, tt := range []struct{ name, want string }{
		{"  ", "Enter a full name"},
		{strings.Repeat("n", 201), "Full name must be 200 characters or fewer"},
	} {
		res := c.post("/account/name", url.Values{"name": {tt.name}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%q: %d %q", tt.name, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND name = $2`, u.ID, u.Name); n != 1 {
		t.Fatal("name changed by a refused form")
	}
	if v, _ := c.get("/account/name").Doc.Find(`input[name="name"]`).Attr("value"); v != u.Name {
		t.Errorf("form shows %q", v)
	}
	res := c.post("/account/name", url.Values{"name": {" Ada Lovelace "}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if page := c.get("/account"); !strings.Contains(page.text(`[data-testid="account-details"]`), "Ada Lovelace") {
		t.Errorf("name not shown: %q", page.text(`[data-testid="account-details"]`))
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.name_changed' AND actor_id = $1`, u.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}

func TestAccountPasswordChange(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleProviderAdmin)
	other := a.client()
	other.signIn(u.Email, testPassword)
	const next = "a brand new passphrase"
	for _, tt := range []struct {
		current, password, confirm string
		want                       []string
	}{
		{"", next, next, []string{"Enter your current password"}},
		{"not my password", next, next, []string{"Your current password is not right"}},
		{testPassword, "short", "short", []string{"Password must be 12 characters or more"}},
		{testPassword, next, "something else entirely", []string{"Passwords do not match: enter the same password twice"}},
		{testPassword, testPassword, testPassword, []string{"Your new password must be different from your current one"}},
		{"", "", "", []string{"Enter your current password", "Enter a password"}},
	} {
		res := c.post("/account/password", url.Values{"current": {tt.current}, "password": {tt.password}, "confirm": {tt.confirm}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q/%q: %d %q", tt.current, tt.password, res.StatusCode, res.errorSummary())
		}
		res.Doc.Find(`input[type="password"]`).Each(func(_ int, in *goquery.Selection) {
			if v, _ := in.Attr("value"); v != "" {
				t.Error("a password was echoed back")
			}
		})
	}
	if res := other.get("/admin"); res.StatusCode != http.StatusOK {
		t.Fatalf("a refused change signed others out: %d", res.StatusCode)
	}
	res := c.post("/account/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("%d %q", res.StatusCode, res.errorSummary())
	}
	if res := c.get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.text(`[data-testid="flash"]`), "password is changed") {
		t.Errorf("this browser after the change: %d %q", res.StatusCode, res.text(`[data-testid="flash"]`))
	}
	if res := other.get("/admin"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other browser is still signed in: %d", res.StatusCode)
	}
	a.client().signIn(u.Email, next)
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject = 'Your NPQ platform password has been changed'`, u.Email); n != 1 {
		t.Errorf("%d notices", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.password_changed' AND actor_id = $1`, u.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}

func TestAccountPasswordChangeIsLimitedLikeSigningIn(t *testing.T) {
	a := newTestApp(t)
	c, _ := a.signedIn(auth.RoleParticipant)
	var res *testResponse
	for i := 0; i <= auth.MaxFailuresPerPair; i++ {
		res = c.post("/account/password", url.Values{"current": {"wrong guess " + string(rune('a'+i))}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}})
	}
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("status %d, want 429", res.StatusCode)
	}
}

func TestAccountEmailChange(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RolePartnerStaff)
	other := a.client()
	other.signIn(u.Email, testPassword)
	for _, tt := range []struct {
		email, password string
		want            []string
	}{
		{"", testPassword, []string{"Enter an email address"}},
		{"not an address", testPassword, []string{"Enter an email address in the correct format, like name@example.com"}},
		{strings.ToUpper(u.Email), testPassword, []string{"That is already your email address: enter a different one"}},
		{"new@school.test", "", []string{"Enter your current password"}},
		{"new@school.test", "wrong password", []string{"Your current password is not right"}},
	} {
		res := c.post("/account/email", url.Values{"email": {tt.email}, "password": {tt.password}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q: %d %q", tt.email, res.StatusCode, res.errorSummary())
		}
		if v, _ := res.Doc.Find(`input[name="email"]`).Attr("value"); v != tt.email {
			t.Errorf("value not kept: %q", v)
		}
	}
	if n := a.count(`SELECT count(*) FROM email_changes`) + a.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("refused forms changed something (%d rows)", n)
	}

	res := c.post("/account/email", url.Values{"email": {" New@School.test "}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%d %q", res.StatusCode, res.errorSummary())
	}
	page := c.get("/account")
	if !strings.Contains(page.text(`[data-testid="pending-email"]`), "new@school.test") {
		t.Errorf("pending change not shown: %q", page.text("main"))
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject LIKE 'A change of email address%'`, u.Email); n != 1 {
		t.Errorf("%d notices to the old address", n)
	}
	link := a.linkFromOutbox("new@school.test", "/account/email/")

	// A mail scanner following the link changes nothing; confirming does.
	phone := a.client()
	confirm := phone.get(link)
	if confirm.StatusCode != http.StatusOK || confirm.text(`[data-testid="new-email"]`) != "new@school.test" {
		t.Fatalf("confirm page: %d %q", confirm.StatusCode, confirm.text("main"))
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND email = $2`, u.ID, u.Email); n != 1 {
		t.Fatal("GET changed the address")
	}
	done := phone.post(link, url.Values{})
	if done.StatusCode != http.StatusSeeOther || done.Header.Get("Location") != "/sign-in" {
		t.Fatalf("confirm: %d %s", done.StatusCode, done.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND email = 'new@school.test'`, u.ID); n != 1 {
		t.Fatal("address not changed")
	}
	// Confirmed from a browser that was not signed in: every session of the account ends.
	for name, cl := range map[string]*testClient{"first": c, "second": other} {
		if res := cl.get("/partner"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s browser still signed in: %d", name, res.StatusCode)
		}
	}
	a.client().signIn("new@school.test", testPassword)
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject = 'The email address of your NPQ platform account has changed'`, u.Email); n != 1 {
		t.Errorf("%d notices of the change to the old address", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action IN ('account.email_change_requested', 'account.email_changed') AND actor_id = $1`, u.ID); n != 2 {
		t.Errorf("%d audit entries", n)
	}
	again := a.client().get(link)
	if again.StatusCode != http.StatusGone || again.text(`[data-testid="link-problem"]`) != "This confirmation link has already been used" {
		t.Errorf("reused: %d %q", again.StatusCode, again.text("h1"))
	}
}

func TestAccountEmailChangeConfirmedWhileSignedInKeepsThisBrowser(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleAssessor)
	other := a.client()
	other.signIn(u.Email, testPassword)
	c.post("/account/email", url.Values{"email": {"moved@school.test"}, "password": {testPassword}})
	res := c.post(a.linkFromOutbox("moved@school.test", "/account/email/"), url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
		t.Fatalf("%d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.text(`[data-testid="account-details"]`), "moved@school.test") {
		t.Errorf("this browser: %d", res.StatusCode)
	}
	if res := other.get("/marking"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("other browser still signed in: %d", res.StatusCode)
	}
}

func TestAccountEmailChangeToAnotherAccountsAddressLooksTheSame(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	taken := a.userFor(auth.RoleAssessor)
	free := c.post("/account/email", url.Values{"email": {"free@school.test"}, "password": {testPassword}})
	freePage := c.get("/account")
	used := c.post("/account/email", url.Values{"email": {taken.Email}, "password": {testPassword}})
	usedPage := c.get("/account")
	if free.StatusCode != used.StatusCode {
		t.Fatalf("statuses %d and %d", free.StatusCode, used.StatusCode)
	}
	norm := func(r *testResponse, email string) string {
		return strings.ReplaceAll(r.text(`[data-testid="flash"]`)+r.text(`[data-testid="pending-email"]`), email, "EMAIL")
	}
	if norm(freePage, "free@school.test") != norm(usedPage, taken.Email) {
		t.Errorf("answers differ:\n%q\n%q", norm(freePage, "free@school.test"), norm(usedPage, taken.Email))
	}
	var body string
	if err := a.pool.QueryRow(context.Background(), `SELECT body FROM outbox WHERE to_address = $1`, taken.Email).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "/account/email/") || !strings.Contains(body, "already has an account") {
		t.Errorf("the holder of the taken address was sent %q", body)
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND email = $2`, u.ID, u.Email); n != 1 {
		t.Error("address changed")
	}
	// The earlier link to the free address was replaced.
	if res := a.client().get(a.linkFromOutbox("free@school.test", "/account/email/")); res.StatusCode != http.StatusGone ||
		res.text(`[data-testid="link-problem"]`) != "This confirmation link has been replaced" {
		t.Errorf("replaced link: %d %q", res.StatusCode, res.text("h1"))
	}
}

func TestAccountEmailLinksThatCannotBeUsed(t *testing.T) {
	a := newTestApp(t)
	c, _ := a.signedIn(auth.RoleParticipant)
	if res := a.client().get("/account/email/" + strings.Repeat("y", 43)); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown: %d", res.StatusCode)
	}
	c.post("/account/email", url.Values{"email": {"later@school.test"}, "password": {testPassword}})
	link := a.linkFromOutbox("later@school.test", "/account/email/")
	a.clock.Set(a.now().Add(auth.EmailChangeLifetime + time.Minute))
	if res := a.client().post(link, url.Values{}); res.StatusCode != http.StatusGone || res.text(`[data-testid="link-problem"]`) != "This confirmation link has expired" {
		t.Errorf("expired: %d %q", res.StatusCode, res.text("h1"))
	}
}

func TestAccountEmailChangesAreLimited(t *testing.T) {
	a := newTestApp(t)
	c, _ := a.signedIn(auth.RoleParticipant)
	var res *testResponse
	for i := 0; i <= auth.MaxEmailChangesPerDay; i++ {
		res = c.post("/account/email", url.Values{"email": {"try" + string(rune('a'+i)) + "@school.test"}, "password": {testPassword}})
	}
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), ""), "times today") {
		t.Errorf("%d %q", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM email_changes`); n != auth.MaxEmailChangesPerDay {
		t.Errorf("%d changes recorded", n)
	}
}

func TestAccountSignsOutOtherSessions(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RolePartnerStaff)
	c, phone, tablet := a.client(), a.client(), a.client()
	for _, cl := range []*testClient{phone, tablet, c} {
		cl.signIn(u.Email, testPassword)
	}
	page := c.get("/account")
	if n := page.Doc.Find(`[data-testid="session"]`).Length(); n != 3 {
		t.Fatalf("%d sessions listed, want 3", n)
	}
	// The first card is this device, with no button of its own.
	if page.Doc.Find(`[data-testid="session"]`).First().Find(`[data-testid="this-device"]`).Length() != 1 {
		t.Error("this device is not first")
	}
	action, _ := page.Doc.Find(`[data-testid="session"] form`).First().Attr("action")
	res := c.post(action, url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out one: %d", res.StatusCode)
	}
	signedOut := 0
	for _, cl := range []*testClient{phone, tablet} {
		if cl.get("/partner").StatusCode == http.StatusSeeOther {
			signedOut++
		}
	}
	if signedOut != 1 {
		t.Fatalf("%d devices signed out, want 1", signedOut)
	}
	// Another person's session, or this one, is not ended from here.
	stranger, su := a.signedIn(auth.RoleParticipant)
	var strangerSession int64
	if err := a.pool.QueryRow(context.Background(), `SELECT id FROM account_sessions WHERE user_id = $1`, su.ID).Scan(&strangerSession); err != nil {
		t.Fatal(err)
	}
	c.post("/account/sessions/"+strconv.FormatInt(strangerSession, 10)+"/sign-out", url.Values{})
	if res := stranger.get("/home"); res.StatusCode != http.StatusOK {
		t.Errorf("another person's session was ended: %d", res.StatusCode)
	}
	if res := c.post("/account/sessions/abc/sign-out", url.Values{}); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed id: %d", res.StatusCode)
	}

	res = c.post("/account/sessions/sign-out-others", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out others: %d", res.StatusCode)
	}
	for _, cl := range []*testClient{phone, tablet} {
		if r := cl.get("/partner"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("a device is still signed in: %d", r.StatusCode)
		}
	}
	after := c.get("/account")
	if after.StatusCode != http.StatusOK || after.Doc.Find(`[data-testid="session"]`).Length() != 1 || after.Doc.Find(`[data-testid="sign-out-others"]`).Length() != 0 {
		t.Errorf("after signing out others: %d, %d sessions", after.StatusCode, after.Doc.Find(`[data-testid="session"]`).Length())
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action IN ('account.session_ended', 'account.other_sessions_ended') AND actor_id = $1`, u.ID); n != 2 {
		t.Errorf("%d audit entries", n)
	}
}
