package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/programme"
)

// recordFixture is the programme fixture with staff at each partner and some history for
// the participant at the first partner: a letter, an assessment ready for release (a fail
// nobody has been told yet) and mail about each partner's work and about neither.
type recordFixture struct {
	*programmeFixture
	staff, staff2 auth.User
	letter        int64
}

func (a *testApp) recordFixture() *recordFixture {
	a.t.Helper()
	ctx := context.Background()
	f := &recordFixture{programmeFixture: a.programmeFixture()}
	f.staff = a.user("staff@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	f.staff2 = a.user("staff@hillside.test", auth.RolePartnerStaff, &f.partner2)
	exec := func(sql string, args ...any) {
		a.t.Helper()
		if _, err := a.pool.Exec(ctx, sql, args...); err != nil {
			a.t.Fatal(err)
		}
	}
	if err := a.pool.QueryRow(ctx, `INSERT INTO letters (enrolment_id, kind, subject, body) VALUES ($1, 'deferral', 'Your deferral is agreed', 'Dear Pam') RETURNING id`,
		f.enrolment).Scan(&f.letter); err != nil {
		a.t.Fatal(err)
	}
	exec(`INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at, passed) VALUES ($1, 1, 'ready', 'C-1001', now(), false)`, f.enrolment)
	exec(`INSERT INTO outbox (to_address, subject, body, delivery_partner_id) VALUES ($1, 'Riverside webinar moved', 'x', $2)`, f.participant.Email, f.partnerID)
	exec(`INSERT INTO outbox (to_address, subject, body, delivery_partner_id) VALUES ($1, 'Hillside news', 'x', $2)`, f.participant.Email, f.partner2)
	exec(`INSERT INTO outbox (to_address, subject, body) VALUES ($1, 'Someone tried to sign in', 'x')`, f.participant.Email)
	return f
}

func TestPartnerRecordShowsTheirParticipant(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	staff := a.as(f.staff)
	path := "/partner/participants/" + strconv.FormatInt(f.participant.ID, 10)
	n, res := a.queriesFor(staff, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("record: %d %s", res.StatusCode, res.text("main"))
	}
	if n > 5 {
		_, qs := a.queries.Count()
		t.Errorf("record ran %d queries: %v", n, qs)
	}
	if got := res.text(`[data-testid="page-title"]`); got != f.participant.Name {
		t.Errorf("title %q", got)
	}
	if !strings.Contains(res.text(`[data-testid="person"]`), "pam@school.test") {
		t.Errorf("person: %q", res.text(`[data-testid="person"]`))
	}
	if got := res.Doc.Find(`[data-testid="enrolment"]`).Length(); got != 1 {
		t.Errorf("%d enrolments", got)
	}
	blocks := res.text(`[data-testid="blocks"]`)
	if !strings.Contains(blocks, "Leading improvement") || !strings.Contains(blocks, "0 of 3") || !strings.Contains(blocks, "0 of 1") {
		t.Errorf("blocks: %q", blocks)
	}
	if !strings.Contains(res.text(`[data-testid="status-history"]`), "Active") {
		t.Errorf("history: %q", res.text(`[data-testid="status-history"]`))
	}
	// Partner staff never learn an outcome before it is released.
	if got := res.text(`[data-testid="assessment"]`); !strings.Contains(got, "Submitted, being marked") || strings.Contains(strings.ToLower(got), "fail") {
		t.Errorf("assessment: %q", got)
	}
	// Only mail about their own partner's work, subject and date, no links into the outbox.
	emails := res.text(`[data-testid="emails"]`)
	if !strings.Contains(emails, "Riverside webinar moved") || strings.Contains(emails, "Hillside news") || strings.Contains(emails, "sign in") {
		t.Errorf("emails: %q", emails)
	}
	if res.Doc.Find(`a[href^="/admin/"]`).Length() > 0 {
		t.Error("partner staff get links into admin pages")
	}
	// Letters open for partner staff.
	href, ok := res.Doc.Find(`[data-testid="letters"] a`).Attr("href")
	if !ok || staff.get(href).StatusCode != http.StatusOK {
		t.Errorf("letter link %q", href)
	}
	msg, _ := res.Doc.Find(`[data-testid="message-link"]`).Attr("href")
	if !strings.HasPrefix(msg, "/partner/messages/new?") || !strings.Contains(msg, "to="+strconv.FormatInt(f.participant.ID, 10)) {
		t.Errorf("message link %q", msg)
	}
}

func TestPartnerRecordRefusesOutsideTheirPartner(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	staff := a.as(f.staff)
	for _, path := range []string{
		"/partner/participants/" + strconv.FormatInt(f.other.ID, 10),  // another partner's participant
		"/partner/participants/" + strconv.FormatInt(f.staff2.ID, 10), // staff, not a participant
		"/partner/participants/999999",
		"/partner/participants/abc",
		"/partner/participants/-1",
	} {
		if res := staff.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	if res := staff.get("/admin/participants/" + strconv.FormatInt(f.participant.ID, 10)); res.StatusCode != http.StatusForbidden {
		t.Errorf("admin record for partner staff: %d", res.StatusCode)
	}
	participant := a.as(f.participant)
	if res := participant.get("/partner/participants/" + strconv.FormatInt(f.participant.ID, 10)); res.StatusCode != http.StatusForbidden {
		t.Errorf("participant: %d", res.StatusCode)
	}
}

func TestRecordOfParticipantWithTwoPartners(t *testing.T) {
	a := newTestApp(t)
	f := a.recordFixture()
	// Pam also studies with the second partner.
	if _, err := (programme.Store{DB: a.pool}).Enrol(context.Background(), programme.NewEnrolment{Email: f.participant.Email, Name: f.participant.Name,
		CohortID: f.cohort2, FundingRoute: programme.FundingSelfFunded}, 0, a.ts.URL); err != nil {
		t.Fatal(err)
	}
	path := strconv.FormatInt(f.participant.ID, 10)
	for _, tt := range []struct {
		who        auth.User
		want, hide string
	}{{f.staff, "NPQH Riverside", "NPQH Hillside"}, {f.staff2, "NPQH Hillside", "NPQH Riverside"}} {
		res := a.as(tt.who).get("/partner/participants/" + path)
		main := res.text("main")
		if res.StatusCode != http.StatusOK || res.Doc.Find(`[data-testid="enrolment"]`).Length() != 1 ||
			!strings.Contains(main, tt.want) || strings.Contains(main, tt.hide) {
			t.Errorf("%s: %d %q", tt.who.Email, res.StatusCode, main)
		}
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	n, res := a.queriesFor(admin, "/admin/participants/"+path)
	if res.StatusCode != http.StatusOK || res.Doc.Find(`[data-testid="enrolment"]`).Length() != 2 {
		t.Fatalf("admin: %d %q", res.StatusCode, res.text("main"))
	}
	if n > 5 {
		t.Errorf("admin record ran %d queries", n)
	}
	// Admins see a provisional outcome, every email with its status, and links to manage.
	if got := res.text(`[data-testid="assessment"]`); !strings.Contains(got, "provisional fail") {
		t.Errorf("admin assessment: %q", got)
	}
	emails := res.text(`[data-testid="emails"]`)
	for _, want := range []string{"Riverside webinar moved", "Hillside news", "Someone tried to sign in", "Waiting to be sent"} {
		if !strings.Contains(emails, want) {
			t.Errorf("admin emails lack %q: %q", want, emails)
		}
	}
	if res.Doc.Find(`[data-testid="emails"] a[href^="/admin/outbox/"]`).Length() == 0 {
		t.Error("no links to the outbox")
	}
	if res := admin.get("/admin/participants/" + strconv.FormatInt(f.staff.ID, 10)); res.StatusCode != http.StatusNotFound {
		t.Errorf("admin record of partner staff: %d", res.StatusCode)
	}
}
