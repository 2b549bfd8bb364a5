package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/dfe/applications"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
)

// dfeApp is the app with its DfE integration on, talking to a fake DfE.
type dfeApp struct {
	*testApp
	fake *dfefake.Server
	f    *programmeFixture
}

func newDfEApp(t *testing.T) *dfeApp {
	t.Helper()
	fake, addr := dfetest.Start(t)
	a := newTestApp(t, func(c *config.Config) { c.DfE = config.DfE{APIURL: addr, APIToken: dfetest.Token} })
	d := &dfeApp{testApp: a, fake: fake}
	d.f = a.programmeFixture()
	return d
}

// application puts a pending application on the fake DfE and syncs it, returning its id.
func (d *dfeApp) application(name, email string) string {
	d.t.Helper()
	cohort := strconv.Itoa(d.today().AddDate(0, -1, 0).Year())
	id, _ := d.fake.AddApplication(dfefake.Application{FullName: name, Email: email, Course: "npq-headship", Cohort: cohort, TRN: "1234567", SchoolURN: "106000"})
	if _, err := applications.Sync(context.Background(), d.pool, d.srv.dfe, d.now()); err != nil {
		d.t.Fatal(err)
	}
	return id
}

func TestDfEApplicationsQueue(t *testing.T) {
	d := newDfEApp(t)
	first := d.application("Amara Okafor", "amara@school.example")
	d.application("Tom Birch", "tom@school.example")
	admin, _ := d.signedIn(auth.RoleProviderAdmin)

	n, res := d.queriesFor(admin, "/admin/dfe/applications")
	if res.StatusCode != http.StatusOK || res.Doc.Find(`[data-testid="application-row"]`).Length() != 2 {
		t.Fatalf("queue: %d\n%s", res.StatusCode, res.Body)
	}
	if n > 5 {
		t.Errorf("the queue ran %d queries", n)
	}
	if res.Doc.Find(`[data-testid="dfe-off"]`).Length() != 0 {
		t.Error("says the integration is off")
	}
	res = admin.get("/admin/dfe/applications?q=amara")
	if rows := res.Doc.Find(`[data-testid="application-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), "Amara Okafor") {
		t.Errorf("search found %q", rows.Text())
	}
	res = admin.get("/admin/dfe/applications?size=10&course=npq-senco")
	if res.Doc.Find(`[data-testid="application-row"]`).Length() != 0 {
		t.Error("course filter kept other courses")
	}
	for _, bad := range []string{"?status=lost", "?course=npq-cooking", "?after=nonsense"} {
		if res := admin.get("/admin/dfe/applications" + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.StatusCode)
		}
	}
	n, res = d.queriesFor(admin, "/admin/dfe/applications/"+first)
	if res.StatusCode != http.StatusOK || n > 5 {
		t.Fatalf("application page: %d, %d queries", res.StatusCode, n)
	}
	if got := res.Doc.Find(`input[name="cohort"]`).Length(); got != 2 {
		t.Errorf("%d cohorts offered, want 2", got)
	}
	if res := admin.get("/admin/dfe/applications/not-an-id"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a bad id: %d", res.StatusCode)
	}
	if res := admin.get("/admin/dfe/applications/00000000-0000-4000-8000-999999999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown id: %d", res.StatusCode)
	}
}

func TestDfEApplicationsAreAdminsOnly(t *testing.T) {
	d := newDfEApp(t)
	id := d.application("Amara Okafor", "amara@school.example")
	partner, _ := d.signedIn(auth.RolePartnerStaff)
	participant := d.as(d.f.participant)
	for _, c := range []*testClient{partner, participant} {
		for _, path := range []string{"/admin/dfe/applications", "/admin/dfe/applications/" + id} {
			if res := c.get(path); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d", path, res.StatusCode)
			}
		}
		res := c.post("/admin/dfe/applications/"+id+"/accept", url.Values{"cohort": {itoa(d.f.cohortID)}, "funded_place": {"yes"}, "confirm": {"yes"}})
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("accept: %d", res.StatusCode)
		}
	}
	if n := d.count(`SELECT count(*) FROM dfe_applications WHERE status = 'pending'`); n != 1 {
		t.Error("the application changed")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAcceptADfEApplication(t *testing.T) {
	d := newDfEApp(t)
	id := d.application("Amara Okafor", "amara@school.example")
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	path := "/admin/dfe/applications/" + id + "/accept"

	// Bad input: 422 with the error summary, nothing changed.
	for _, form := range []url.Values{
		{"funded_place": {"yes"}},
		{"cohort": {itoa(d.f.cohortID)}},
		{"cohort": {itoa(d.f.cohortID)}, "funded_place": {"yes"}, "schedule": {"npq-summer"}},
		{"cohort": {"999999"}, "funded_place": {"yes"}},
	} {
		res := admin.post(path, form)
		if res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 1 {
			t.Errorf("%v: %d %v", form, res.StatusCode, res.errorSummary())
		}
	}
	form := url.Values{"cohort": {itoa(d.f.cohortID)}, "funded_place": {"yes"}}
	res := admin.post(path, form)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.text("h1"), "Accept Amara Okafor") {
		t.Fatalf("confirmation: %d %s", res.StatusCode, res.text("h1"))
	}
	if n := d.count(`SELECT count(*) FROM dfe_applications WHERE status = 'pending'`); n != 1 || d.fake.Calls() != 2 {
		t.Fatal("accepted before it was confirmed")
	}

	// A double submit of the confirmation: one enrolment, one invitation.
	form.Set("confirm", "yes")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() { codes[i] = admin.post(path, form).StatusCode })
	}
	wg.Wait()
	if codes[0] != http.StatusSeeOther || codes[1] != http.StatusSeeOther {
		t.Fatalf("answers %v", codes)
	}
	if n := d.count(`SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id
		WHERE u.email = 'amara@school.example' AND e.dfe_application_id = $1 AND e.cohort_id = $2`, id, d.f.cohortID); n != 1 {
		t.Fatalf("%d enrolments", n)
	}
	if n := d.count(`SELECT count(*) FROM outbox WHERE to_address = 'amara@school.example'`); n != 1 {
		t.Fatalf("%d invitations", n)
	}
	if n := d.count(`SELECT count(*) FROM audit_log WHERE action = 'dfe.application_accepted'`); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	// DfE has it accepted.
	if _, err := applications.Sync(context.Background(), d.pool, d.srv.dfe, d.now()); err != nil {
		t.Fatal(err)
	}
	res = admin.get("/admin/dfe/applications/" + id)
	if res.text(`[data-testid="enrolment-link"]`) == "" || res.Doc.Find(`form`).Length() > 1 {
		t.Errorf("the accepted application:\n%s", res.text("main"))
	}
}

func TestRejectADfEApplication(t *testing.T) {
	d := newDfEApp(t)
	id := d.application("Tom Birch", "tom@school.example")
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	path := "/admin/dfe/applications/" + id + "/reject"
	if res := admin.post(path, url.Values{"reason": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if res := admin.post(path, url.Values{"reason": {strings.Repeat("x", 1001)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a long reason: %d", res.StatusCode)
	}
	res := admin.post(path, url.Values{"reason": {"Works outside England"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.text("h1"), "Reject Tom Birch") {
		t.Fatalf("confirmation: %d", res.StatusCode)
	}
	res = admin.post(path, url.Values{"reason": {"Works outside England"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.StatusCode)
	}
	if n := d.count(`SELECT count(*) FROM dfe_applications WHERE status = 'rejected' AND reject_reason = 'Works outside England'`); n != 1 {
		t.Fatal("not rejected")
	}
	// Again: told it is already rejected, on the application's page.
	res = admin.post(path, url.Values{"reason": {"Again"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/dfe/applications/"+id {
		t.Fatalf("second reject: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestDfEApplicationsWithTheIntegrationOff(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.get("/admin/dfe/applications")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.text(`[data-testid="dfe-off"]`), "DFE_API_TOKEN") {
		t.Fatalf("%d: %s", res.StatusCode, res.text("main"))
	}
}
