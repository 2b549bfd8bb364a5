package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"npq/internal/auth"
)

var invitationLink = regexp.MustCompile(`/invitations/[A-Za-z0-9_-]+`)

// latestInvitationPath reads the newest invitation email, as its recipient would (the
// outbox page hides the link from admins), and returns the invitation link's path.
func latestInvitationPath(t *testing.T, admin *testClient) string {
	t.Helper()
	body := latestInvitationEmail(t, admin.a, "")
	link := invitationLink.FindString(body)
	if link == "" {
		t.Fatalf("no invitation link in %q", body)
	}
	return link
}

// latestInvitationEmail is the body of the newest invitation email (to one address, when
// given) as it is sent.
func latestInvitationEmail(t *testing.T, a *testApp, to string) string {
	t.Helper()
	var body string
	if err := a.pool.QueryRow(context.Background(), `SELECT body FROM outbox
		WHERE subject LIKE '%invited%' AND ($1 = '' OR to_address = $1) ORDER BY id DESC LIMIT 1`, to).Scan(&body); err != nil {
		t.Fatalf("no invitation email: %v", err)
	}
	return body
}

func TestAdminInvitesAndInviteeSetsPassword(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	partnerID := a.partner("Riverside Hub")
	res := admin.post("/admin/invitations", url.Values{"name": {"Sam Staff"}, "email": {"Sam.Staff@Riverside.test"},
		"role": {"partner_staff"}, "partner": {strconv.FormatInt(partnerID, 10)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d %v", res.StatusCode, res.errorSummary())
	}
	list := admin.get("/admin/invitations")
	if !strings.Contains(list.text(`[data-testid="flash"]`), "sam.staff@riverside.test") ||
		!strings.Contains(list.text(`[data-testid="invitations"]`), "Riverside Hub") {
		t.Errorf("invitations page: %q", list.text("main"))
	}
	path := latestInvitationPath(t, admin)

	invitee := a.client()
	form := invitee.get(path)
	if form.StatusCode != 200 || form.text(`[data-testid="invitation-email"]`) != "sam.staff@riverside.test" {
		t.Fatalf("invitation page: %d %q", form.StatusCode, form.text("main"))
	}
	if form.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("invitation page may leak its token in the Referer header")
	}
	// Bad passwords are explained and change nothing.
	for _, tt := range []struct{ password, confirm, want string }{
		{"", "", "Enter a password"},
		{"short", "short", "Password must be 12 characters or more"},
		{strings.Repeat("long", 40), strings.Repeat("long", 40), "Password must be 128 characters or fewer"},
		{"password1234", "password1234", "Password is too common: choose one that would be hard to guess"},
		{"a good long password", "a different password", "Passwords do not match: enter the same password twice"},
	} {
		res := invitee.post(path, url.Values{"password": {tt.password}, "confirm": {tt.confirm}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Join(res.errorSummary(), "") != tt.want {
			t.Errorf("password %q: %d %v", tt.password, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM users WHERE email = 'sam.staff@riverside.test'`); n != 0 {
		t.Fatal("account created by an invalid form")
	}

	res = invitee.post(path, url.Values{"password": {"river boats at dawn"}, "confirm": {"river boats at dawn"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/partner" {
		t.Fatalf("accept: %d %s %v", res.StatusCode, res.Header.Get("Location"), res.errorSummary())
	}
	home := invitee.get("/partner")
	if home.text(`[data-testid="page-title"]`) != "Riverside Hub" {
		t.Errorf("partner home: %q", home.text("h1"))
	}
	// The link is single-use.
	if again := a.client().get(path); again.StatusCode != http.StatusGone ||
		again.text(`[data-testid="invitation-problem"]`) != "This invitation has already been used" {
		t.Errorf("reused link: %d %q", again.StatusCode, again.text("h1"))
	}
	if again := a.client().post(path, url.Values{"password": {"another password here"}, "confirm": {"another password here"}}); again.StatusCode != http.StatusGone {
		t.Errorf("reposting a used link: %d", again.StatusCode)
	}
	// And the new password works.
	invitee.post("/sign-out", nil)
	a.client().signIn("sam.staff@riverside.test", "river boats at dawn")
}

func TestInvitationLinksThatCannotBeUsed(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	token, err := auth.Store{DB: a.pool}.Invite(ctx, auth.NewInvitation{Email: "late@school.test", Name: "Late", Role: auth.RoleParticipant}, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	a.pool.Exec(ctx, `UPDATE invitations SET expires_at = $1::timestamptz - interval '1 second'`, a.now()) //nolint:errcheck
	res := a.client().get("/invitations/" + token)
	if res.StatusCode != http.StatusGone || res.text(`[data-testid="invitation-problem"]`) != "This invitation has expired" {
		t.Errorf("expired: %d %q", res.StatusCode, res.text("h1"))
	}
	res = a.client().post("/invitations/"+token, url.Values{"password": {"a good long password"}, "confirm": {"a good long password"}})
	if res.StatusCode != http.StatusGone || a.count(`SELECT count(*) FROM users`) != 0 {
		t.Errorf("posting to an expired link: %d", res.StatusCode)
	}
	for _, bad := range []string{"nonsense", strings.Repeat("x", 500)} {
		res := a.client().get("/invitations/" + bad)
		if res.StatusCode != http.StatusNotFound || res.text(`[data-testid="invitation-problem"]`) != "This invitation link is not valid" {
			t.Errorf("unknown %q: %d %q", bad, res.StatusCode, res.text("h1"))
		}
	}
	// A link with bytes no link of ours has is refused before it is looked up.
	if res := a.client().get("/invitations/%00%ff"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed link: %d", res.StatusCode)
	}
}

func TestAdminInvitationFormBadInput(t *testing.T) {
	a := newTestApp(t)
	admin, existing := a.signedIn(auth.RoleProviderAdmin)
	partnerID := strconv.FormatInt(a.partner("Hub One"), 10)
	tests := []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty", url.Values{}, []string{"Enter a full name", "Enter an email address", "Select a role"}},
		{"too long", url.Values{"name": {strings.Repeat("n", 201)}, "email": {strings.Repeat("e", 250) + "@x.test"}, "role": {"assessor"}},
			[]string{"Full name must be 200 characters or fewer", "Email address must be 254 characters or fewer"}},
		{"wrong format", url.Values{"name": {"Al"}, "email": {"al.at.school"}, "role": {"superuser"}, "partner": {"abc"}},
			[]string{"Enter an email address in the correct format, like name@example.com", "Select one of the roles listed", "Select one of the delivery partners listed"}},
		{"staff without partner", url.Values{"name": {"Al"}, "email": {"al@school.test"}, "role": {"partner_staff"}},
			[]string{"Select the delivery partner this person works for"}},
		{"unknown partner", url.Values{"name": {"Al"}, "email": {"al@school.test"}, "role": {"partner_staff"}, "partner": {"999999"}},
			[]string{"Select one of the delivery partners listed"}},
		{"partner for non-staff", url.Values{"name": {"Al"}, "email": {"al@school.test"}, "role": {"assessor"}, "partner": {partnerID}},
			[]string{"Only delivery partner staff belong to a delivery partner: choose “Not a delivery partner's staff”"}},
		{"existing account", url.Values{"name": {"Al"}, "email": {strings.ToUpper(existing.Email)}, "role": {"assessor"}},
			[]string{"An account with this email address already exists"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := admin.post("/admin/invitations", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			if got := res.errorSummary(); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("errors %q\nwant %q", got, tt.want)
			}
			if v, _ := res.Doc.Find(`input[name="name"]`).Attr("value"); v != strings.TrimSpace(tt.form.Get("name")) {
				t.Errorf("name not kept: %q", v)
			}
		})
	}
	if n := a.count(`SELECT count(*) FROM invitations`) + a.count(`SELECT count(*) FROM outbox`); n != 0 {
		t.Errorf("bad input changed the database (%d rows)", n)
	}
	// A body too large to be a form is refused without a 500.
	big := url.Values{"name": {strings.Repeat("x", 2<<20)}}
	if res := admin.post("/admin/invitations", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("huge form: %d", res.StatusCode)
	}
}

func TestOutboxPages(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if res := admin.get("/admin/outbox"); !strings.Contains(res.text("main"), "No messages yet") {
		t.Errorf("empty outbox: %q", res.text("main"))
	}
	for _, id := range []string{"999999", "abc", "-1"} {
		if res := admin.get("/admin/outbox/" + id); res.StatusCode != 404 {
			t.Errorf("outbox/%s: %d", id, res.StatusCode)
		}
	}
	for i := range 60 {
		a.pool.Exec(context.Background(), `INSERT INTO outbox (to_address, subject, body) VALUES ('x@school.test', 'Message '||$1, 'Hello')`, strconv.Itoa(i)) //nolint:errcheck
	}
	p1 := admin.get("/admin/outbox")
	if n := p1.Doc.Find(`[data-testid="outbox"] tbody tr`).Length(); n != 50 {
		t.Errorf("page 1 has %d rows", n)
	}
	p2 := admin.get(p1.Doc.Find(`a[rel="next"]`).AttrOr("href", ""))
	if n := p2.Doc.Find(`[data-testid="outbox"] tbody tr`).Length(); n != 10 || p2.Doc.Find(`a[rel="next"]`).Length() != 0 {
		t.Errorf("page 2 has %d rows", n)
	}
	if res := admin.get("/admin/outbox?page=abc"); res.StatusCode != 200 {
		t.Errorf("an address from before keyset paging: %d", res.StatusCode)
	}
}
