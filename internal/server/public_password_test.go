package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
)

// linkFromOutbox returns the path of the newest emailed link to email under prefix (such as
// "/reset-password/"), read from the outbox as the recipient would read it.
func (a *testApp) linkFromOutbox(email, prefix string) string {
	a.t.Helper()
	var body string
	if err := a.pool.QueryRow(context.Background(), `SELECT body FROM outbox WHERE to_address = $1 AND body LIKE '%' || $2 || '%'
		ORDER BY id DESC LIMIT 1`, email, prefix).Scan(&body); err != nil {
		a.t.Fatalf("no email to %s with a %s link: %v", email, prefix, err)
	}
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `[A-Za-z0-9_-]+`).FindString(body)
	if m == "" {
		a.t.Fatalf("no %s link in %q", prefix, body)
	}
	return m
}

func TestSignInPageOffersForgottenPassword(t *testing.T) {
	a := newTestApp(t)
	c := a.client()
	href, _ := c.get("/sign-in").Doc.Find(`[data-testid="forgotten-password"]`).Attr("href")
	if href != "/forgotten-password" {
		t.Fatalf("link to %q", href)
	}
	res := c.get(href)
	if res.StatusCode != http.StatusOK || res.text("h1") != "Reset your password" {
		t.Errorf("%d %q", res.StatusCode, res.text("h1"))
	}
}

func TestForgottenPasswordBadInput(t *testing.T) {
	a := newTestApp(t)
	for _, tt := range []struct{ email, want string }{
		{"", "Enter an email address"},
		{"not an address", "Enter an email address in the correct format, like name@example.com"},
		{strings.Repeat("a", 250) + "@x.test", "Email address must be 254 characters or fewer"},
	} {
		res := a.client().post("/forgotten-password", url.Values{"email": {tt.email}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%q: %d %q", tt.email, res.StatusCode, res.errorSummary())
		}
		if v, _ := res.Doc.Find(`input[name="email"]`).Attr("value"); v != tt.email {
			t.Errorf("value not kept: %q", v)
		}
	}
	if n := a.count(`SELECT count(*) FROM password_reset_requests`); n != 0 {
		t.Errorf("%d requests recorded for bad input", n)
	}
}

func TestForgottenPasswordAnswersAlikeForKnownAndUnknownAddresses(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	known := a.client().post("/forgotten-password", url.Values{"email": {" " + strings.ToUpper(u.Email) + " "}})
	unknown := a.client().post("/forgotten-password", url.Values{"email": {"nobody@school.test"}})
	if known.StatusCode != http.StatusOK || unknown.StatusCode != http.StatusOK {
		t.Fatalf("statuses %d and %d", known.StatusCode, unknown.StatusCode)
	}
	k := strings.ReplaceAll(known.text("main"), u.Email, "EMAIL")
	n := strings.ReplaceAll(unknown.text("main"), "nobody@school.test", "EMAIL")
	if k != n {
		t.Errorf("answers differ:\n%s\n---\n%s", k, n)
	}
	if known.Header.Get("Set-Cookie") != "" || unknown.Header.Get("Set-Cookie") != "" {
		t.Error("a cookie was set, which could tell the answers apart")
	}
	if got := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, u.Email); got != 1 {
		t.Errorf("%d emails to the account, want 1", got)
	}
	if got := a.count(`SELECT count(*) FROM outbox`); got != 1 {
		t.Errorf("%d emails in all, want 1", got)
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action = 'password_reset.requested'`); got != 2 {
		t.Errorf("%d requests audited, want 2", got)
	}
}

func TestPasswordResetFromTheEmailedLink(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RolePartnerStaff)
	other := a.client()
	other.signIn(u.Email, testPassword)
	a.client().post("/forgotten-password", url.Values{"email": {u.Email}})
	link := a.linkFromOutbox(u.Email, "/reset-password/")

	c := a.client()
	form := c.get(link)
	if form.StatusCode != http.StatusOK || form.text(`[data-testid="reset-email"]`) != u.Email {
		t.Fatalf("form: %d %q", form.StatusCode, form.text("main"))
	}
	if form.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(form.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("headers: %v", form.Header)
	}
	for _, tt := range []struct{ password, confirm, want string }{
		{"", "", "Enter a password"},
		{"short", "short", "Password must be 12 characters or more"},
		{"password1234", "password1234", "Password is too common: choose one that would be hard to guess"},
		{"a new long passphrase", "a different passphrase", "Passwords do not match: enter the same password twice"},
	} {
		res := c.post(link, url.Values{"password": {tt.password}, "confirm": {tt.confirm}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%q: %d %q", tt.password, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM password_resets WHERE used_at IS NOT NULL`); n != 0 {
		t.Fatalf("link used by a refused form")
	}

	res := c.post(link, url.Values{"password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/partner" {
		t.Fatalf("reset: %d %s %q", res.StatusCode, res.Header.Get("Location"), res.text("main"))
	}
	if home := c.get("/partner"); home.StatusCode != http.StatusOK || !strings.Contains(home.text(`[data-testid="flash"]`), "new password is set") {
		t.Errorf("home after reset: %d %q", home.StatusCode, home.text(`[data-testid="flash"]`))
	}
	// The session opened before the reset is signed out; the old password no longer works.
	if res := other.get("/partner"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("older session still works: %d", res.StatusCode)
	}
	if res := a.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("old password: %d", res.StatusCode)
	}
	a.client().signIn(u.Email, "a new long passphrase")
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject = 'Your NPQ platform password has been changed'`, u.Email); n != 1 {
		t.Errorf("%d change notices", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'password_reset.completed' AND actor_id = $1`, u.ID); n != 1 {
		t.Errorf("%d reset audit entries", n)
	}
	// The link works once.
	again := a.client().get(link)
	if again.StatusCode != http.StatusGone || again.text(`[data-testid="link-problem"]`) != "This password link has already been used" {
		t.Errorf("reused link: %d %q", again.StatusCode, again.text("h1"))
	}
	if res := a.client().post(link, url.Values{"password": {"another long passphrase"}, "confirm": {"another long passphrase"}}); res.StatusCode != http.StatusGone {
		t.Errorf("reused link, posted: %d", res.StatusCode)
	}
}

func TestPasswordResetLinksThatCannotBeUsed(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	if res := a.client().get("/reset-password/" + strings.Repeat("x", 43)); res.StatusCode != http.StatusNotFound ||
		res.text(`[data-testid="link-problem"]`) != "This password link is not valid" {
		t.Errorf("unknown: %d %q", res.StatusCode, res.text("h1"))
	}
	a.client().post("/forgotten-password", url.Values{"email": {u.Email}})
	first := a.linkFromOutbox(u.Email, "/reset-password/")
	a.client().post("/forgotten-password", url.Values{"email": {u.Email}})
	second := a.linkFromOutbox(u.Email, "/reset-password/")
	if res := a.client().get(first); res.StatusCode != http.StatusGone || res.text(`[data-testid="link-problem"]`) != "This password link has been replaced" {
		t.Errorf("replaced: %d %q", res.StatusCode, res.text("h1"))
	}
	a.clock.Set(a.now().Add(auth.ResetLifetime + time.Minute))
	res := a.client().get(second)
	if res.StatusCode != http.StatusGone || res.text(`[data-testid="link-problem"]`) != "This password link has expired" {
		t.Errorf("expired: %d %q", res.StatusCode, res.text("h1"))
	}
	if href, _ := res.Doc.Find(`[data-testid="link-next"]`).Attr("href"); href != "/forgotten-password" {
		t.Errorf("expired page links to %q", href)
	}
	if res := a.client().post(second, url.Values{"password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}}); res.StatusCode != http.StatusGone {
		t.Errorf("expired, posted: %d", res.StatusCode)
	}
}

func TestForgottenPasswordLimits(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	c := a.client()
	// Per address typed: after three emails in an hour, the same answer and no more email,
	// for known and unknown addresses alike.
	for i := 0; i < auth.MaxResetEmailsPerAccount+2; i++ {
		for _, email := range []string{u.Email, "nobody@school.test"} {
			if res := c.post("/forgotten-password", url.Values{"email": {email}}); res.StatusCode != http.StatusOK {
				t.Fatalf("request %d for %s: %d", i, email, res.StatusCode)
			}
		}
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1`, u.Email); n != auth.MaxResetEmailsPerAccount {
		t.Errorf("%d emails, want %d", n, auth.MaxResetEmailsPerAccount)
	}
	// The last link sent still works.
	if res := c.get(a.linkFromOutbox(u.Email, "/reset-password/")); res.StatusCode != http.StatusOK {
		t.Errorf("last link: %d", res.StatusCode)
	}
	// Per client address: refused once it has asked very often, whatever the address typed.
	var res *testResponse
	for i := 0; res == nil || res.StatusCode == http.StatusOK; i++ {
		if i > auth.MaxResetRequestsPerAddress {
			t.Fatal("never refused")
		}
		res = c.post("/forgotten-password", url.Values{"email": {"someone" + string(rune('a'+i)) + "@school.test"}})
	}
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("status %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM password_reset_requests`); n != auth.MaxResetRequestsPerAddress {
		t.Errorf("%d requests recorded, want %d", n, auth.MaxResetRequestsPerAddress)
	}
}

func TestOutboxHidesPasswordLinks(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	u := a.userFor(auth.RoleParticipant)
	a.client().post("/forgotten-password", url.Values{"email": {u.Email}})
	link := a.linkFromOutbox(u.Email, "/reset-password/")
	var id int64
	if err := a.pool.QueryRow(context.Background(), `SELECT max(id) FROM outbox`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	res := admin.get(fmt.Sprintf("/admin/outbox/%d", id))
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, link) || !strings.Contains(res.Body, "password link hidden") {
		t.Errorf("outbox shows the link: %d", res.StatusCode)
	}
}

func TestAdminCanSendAPasswordReset(t *testing.T) {
	a := newTestApp(t)
	admin := a.userFor(auth.RoleProviderAdmin)
	u := a.userFor(auth.RoleAssessor)
	if err := (auth.Store{DB: a.pool}).SendPasswordReset(context.Background(), u.ID, admin.ID, a.ts.URL, a.now()); err != nil {
		t.Fatal(err)
	}
	if res := a.client().get(a.linkFromOutbox(u.Email, "/reset-password/")); res.StatusCode != http.StatusOK {
		t.Errorf("link: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'password_reset.sent' AND actor_id = $1`, admin.ID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}

// Known and unknown addresses take the same steps in the database, so the time the answer
// takes says nothing about which addresses have accounts.
func TestForgottenPasswordTakesTheSameStepsForKnownAndUnknownAddresses(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	steps := func(email string) []string {
		a.queries.Reset()
		if res := a.client().post("/forgotten-password", url.Values{"email": {email}}); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", email, res.StatusCode)
		}
		_, qs := a.queries.Count()
		return qs
	}
	known, unknown := steps(u.Email), steps("nobody@school.test")
	if len(known) < 3 {
		t.Fatalf("only %d queries counted", len(known))
	}
	if strings.Join(known, "\n") != strings.Join(unknown, "\n") {
		t.Errorf("different steps:\nknown:\n%s\nunknown:\n%s", strings.Join(known, "\n"), strings.Join(unknown, "\n"))
	}
}
