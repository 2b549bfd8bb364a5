package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/dfe/outbound"
	"npq/internal/dfe/statements"
	"npq/internal/timefmt"
)

// declarationsApp is the DfE app with the fixture's participant known to the fake DfE (DfE
// cohort of last year, npq-leadership-autumn) and a completion that earns a started
// declaration, derived and due; the other participant has one DfE refused.
func declarationsApp(t *testing.T) (*dfeApp, int64, int64) {
	t.Helper()
	ctx := context.Background()
	d := newDfEApp(t)
	year := d.today().Year() - 1
	dfetest.Enrol(t, d.pool, d.fake, d.srv.dfe, d.f.enrolment, d.f.partnerID, itoa(int64(year)))
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := d.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'participant', $3)`,
		d.f.enrolment, d.f.intro, time.Date(year, 10, 10, 9, 0, 0, 0, time.UTC))
	if res, err := outbound.Derive(ctx, d.pool, d.now()); err != nil || res.Added != 1 {
		t.Fatalf("derive: %+v %v", res, err)
	}
	var due, failed int64
	if err := d.pool.QueryRow(ctx, `SELECT id FROM dfe_declarations WHERE enrolment_id = $1`, d.f.enrolment).Scan(&due); err != nil {
		t.Fatal(err)
	}
	if err := d.pool.QueryRow(ctx, `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version, evidence, state, error, attempts)
		VALUES ($1, 'started', $2, 'dfe-decl-1', '["completion:1"]', 'failed', 'The property ''#/participant_id'' must be a valid Participant ID', 1)
		RETURNING id`, d.f.enrolment2, d.now().Add(-48*time.Hour)).Scan(&failed); err != nil {
		t.Fatal(err)
	}
	return d, due, failed
}

func TestDfEDeclarationsList(t *testing.T) {
	d, due, failed := declarationsApp(t)
	admin, _ := d.signedIn(auth.RoleProviderAdmin)

	n, res := d.queriesFor(admin, "/admin/dfe/declarations")
	if res.StatusCode != http.StatusOK || n > 5 {
		t.Fatalf("list: %d, %d queries\n%s", res.StatusCode, n, res.Body)
	}
	rows := res.Doc.Find(`[data-testid="declaration-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), d.f.participant.Name) || res.text(`[data-testid="declaration-type"]`) != "started" {
		t.Fatalf("due: %q", rows.Text())
	}
	if !strings.Contains(rows.Text(), "Completed an activity") || !strings.Contains(rows.Text(), "dfe-decl-1") {
		t.Errorf("the evidence and rule version are not shown: %q", rows.Text())
	}
	if res.Doc.Find(`[data-testid="dfe-off"]`).Length() != 0 {
		t.Error("says the integration is off")
	}
	if res.Doc.Find(`[data-testid="cut-off"]`).Length() != 0 {
		t.Error("shows a cut-off without DfE's statements")
	}
	// Once DfE's statements are read, a due declaration shows the next cut-off and payment date.
	cohort := itoa(int64(d.today().Year() - 1))
	cut := d.today().AddDate(0, 0, 10)
	earlier := d.today().AddDate(0, 0, -20)
	d.fake.AddStatement(dfefake.Statement{Cohort: cohort, Month: earlier.Format("January"), Year: earlier.Format("2006"), CutOff: earlier, PaymentDate: d.today().AddDate(0, 0, 5)})
	d.fake.AddStatement(dfefake.Statement{Cohort: cohort, Month: cut.Format("January"), Year: cut.Format("2006"), CutOff: cut, PaymentDate: cut.AddDate(0, 0, 25)})
	if res, err := statements.Sync(context.Background(), d.pool, d.srv.dfe, d.now()); err != nil || res.Read != 2 {
		t.Fatalf("statements: %+v %v", res, err)
	}
	n, res = d.queriesFor(admin, "/admin/dfe/declarations")
	if got := res.text(`[data-testid="cut-off"]`); n > 5 || got != timefmt.Date(cut) {
		t.Errorf("cut-off %q, want %q (%d queries)", got, timefmt.Date(cut), n)
	}
	res = admin.get("/admin/dfe/declarations?state=failed")
	if !strings.Contains(res.text(`[data-testid="dfe-error"]`), "must be a valid Participant ID") {
		t.Errorf("failed: %q", res.text("main"))
	}
	if res := admin.get("/admin/dfe/declarations?state=due&q=" + url.QueryEscape(d.f.other.Email)); res.Doc.Find(`[data-testid="declaration-row"]`).Length() != 0 {
		t.Error("search kept another participant")
	}
	if res := admin.get("/admin/dfe/declarations?state=due&q=" + url.QueryEscape(d.f.participant.Email)); res.Doc.Find(`[data-testid="declaration-row"]`).Length() != 1 {
		t.Error("search did not find the participant")
	}
	if res := admin.get("/admin/dfe/declarations?state=due&type=completed"); res.Doc.Find(`[data-testid="declaration-row"]`).Length() != 0 {
		t.Error("the type filter kept another type")
	}
	if res := admin.get("/admin/dfe/declarations?state=voided"); res.text(`[data-testid="no-declarations"]`) == "" {
		t.Error("voided is not empty")
	}
	for _, bad := range []string{"?state=lost", "?type=retained-9", "?after=nonsense", "?after=" + url.QueryEscape(`["x","1"]`)} {
		if res := admin.get("/admin/dfe/declarations" + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.StatusCode)
		}
	}
	for _, id := range []int64{due, failed} {
		n, res := d.queriesFor(admin, "/admin/dfe/declarations/"+itoa(id))
		if res.StatusCode != http.StatusOK || n > 5 || res.Doc.Find(`textarea[name="reason"]`).Length() != 1 {
			t.Fatalf("declaration %d: %d, %d queries", id, res.StatusCode, n)
		}
	}
	for _, path := range []string{"/admin/dfe/declarations/not-an-id", "/admin/dfe/declarations/999999"} {
		if res := admin.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
}

func TestDfEDeclarationsAreAdminsOnly(t *testing.T) {
	d, due, _ := declarationsApp(t)
	partner, _ := d.signedIn(auth.RolePartnerStaff)
	participant := d.as(d.f.participant)
	for _, c := range []*testClient{partner, participant} {
		for _, path := range []string{"/admin/dfe/declarations", "/admin/dfe/declarations/" + itoa(due)} {
			if res := c.get(path); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d", path, res.StatusCode)
			}
		}
		res := c.post("/admin/dfe/declarations/"+itoa(due)+"/void", url.Values{"reason": {"Mistake"}, "confirm": {"yes"}})
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("void: %d", res.StatusCode)
		}
	}
	if n := d.count(`SELECT count(*) FROM dfe_declarations WHERE state = 'voided'`); n != 0 {
		t.Error("a declaration was voided")
	}
}

func TestVoidADfEDeclaration(t *testing.T) {
	d, due, _ := declarationsApp(t)
	if res, err := outbound.SendDue(context.Background(), d.pool, d.srv.dfe, d.now()); err != nil || res.Sent != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	var dfeID string
	if err := d.pool.QueryRow(context.Background(), `SELECT dfe_id::text FROM dfe_declarations WHERE id = $1`, due).Scan(&dfeID); err != nil {
		t.Fatal(err)
	}
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	path := "/admin/dfe/declarations/" + itoa(due) + "/void"
	for _, reason := range []string{"  ", strings.Repeat("x", 1001)} {
		for _, confirm := range []string{"", "yes"} {
			res := admin.post(path, url.Values{"reason": {reason}, "confirm": {confirm}})
			if res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 1 {
				t.Errorf("reason %.10q: %d %v", reason, res.StatusCode, res.errorSummary())
			}
		}
	}
	for _, bad := range []string{"/admin/dfe/declarations/999999/void", "/admin/dfe/declarations/x/void"} {
		if res := admin.post(bad, url.Values{"reason": {"Mistake"}, "confirm": {"yes"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	res := admin.post(path, url.Values{"reason": {"Recorded against the wrong participant"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.text("h1"), "Void "+d.f.participant.Name) {
		t.Fatalf("confirmation: %d %q", res.StatusCode, res.text("h1"))
	}
	if n := d.count(`SELECT count(*) FROM dfe_declarations WHERE state = 'voided'`); n != 0 || d.fake.DeclarationState(dfeID) != "eligible" {
		t.Fatal("voided before it was confirmed")
	}
	res = admin.post(path, url.Values{"reason": {"Recorded against the wrong participant"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("void: %d", res.StatusCode)
	}
	if n := d.count(`SELECT count(*) FROM dfe_declarations WHERE id = $1 AND state = 'voided' AND dfe_state = 'voided'
		AND void_reason = 'Recorded against the wrong participant'`, due); n != 1 || d.fake.DeclarationState(dfeID) != "voided" {
		t.Fatal("not voided")
	}
	if n := d.count(`SELECT count(*) FROM audit_log WHERE action = 'dfe.declaration_voided'`); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	res = admin.get("/admin/dfe/declarations?state=voided")
	if !strings.Contains(res.text(`[data-testid="declarations"]`), "Recorded against the wrong participant") {
		t.Errorf("voided list: %q", res.text("main"))
	}
	// Again: told it is already voided, on the declaration's page.
	res = admin.post(path, url.Values{"reason": {"Again"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/dfe/declarations/"+itoa(due) {
		t.Fatalf("second void: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if n := d.count(`SELECT count(*) FROM audit_log WHERE action = 'dfe.declaration_voided'`); n != 1 {
		t.Fatalf("%d audit entries after a second void", n)
	}
}

func TestDfEDeclarationsWithTheIntegrationOff(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.get("/admin/dfe/declarations")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.text(`[data-testid="dfe-off"]`), "DFE_API_TOKEN") {
		t.Fatalf("%d: %s", res.StatusCode, res.text("main"))
	}
	f := a.programmeFixture()
	var id int64
	if err := a.pool.QueryRow(context.Background(), `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version)
		VALUES ($1, 'started', $2, 'dfe-decl-1') RETURNING id`, f.enrolment, a.now().Add(-time.Hour)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	res = admin.get("/admin/dfe/declarations/" + itoa(id))
	if res.StatusCode != http.StatusOK || res.text(`[data-testid="dfe-off"]`) == "" || res.Doc.Find(`textarea[name="reason"]`).Length() != 0 {
		t.Fatalf("declaration with the integration off: %d", res.StatusCode)
	}
	res = admin.post("/admin/dfe/declarations/"+itoa(id)+"/void", url.Values{"reason": {"Mistake"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/dfe/declarations/"+itoa(id) || a.count(`SELECT count(*) FROM dfe_declarations WHERE state = 'voided'`) != 0 {
		t.Fatalf("void with the integration off: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestDfEDeclarationsAndOutcomesPage(t *testing.T) {
	d, _, _ := declarationsApp(t)
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	// Twelve voided declarations and twelve due outcome updates, one refused.
	for i := range 12 {
		day := d.now().AddDate(0, 0, -30+i)
		if _, err := d.pool.Exec(context.Background(), `INSERT INTO dfe_declarations (enrolment_id, declaration_type, declaration_date, rule_version, state, voided_at, void_reason)
			VALUES ($1, 'retained-1', $2, 'dfe-decl-1', 'voided', $2, 'Entered twice')`, d.f.enrolment, day); err != nil {
			t.Fatal(err)
		}
		if _, err := d.pool.Exec(context.Background(), `INSERT INTO dfe_outcomes (enrolment_id, passed, completion_date, rule_version, evidence, state, error)
			VALUES ($1, true, $2, 'dfe-decl-1', '["outcome:3"]', CASE WHEN $3 THEN 'failed' ELSE 'due' END, CASE WHEN $3 THEN 'The participant has no completed declaration for this course' ELSE '' END)`,
			d.f.enrolment, day, i == 11); err != nil {
			t.Fatal(err)
		}
	}
	for _, list := range []struct{ path, row string }{
		{"/admin/dfe/declarations?state=voided&size=10", "declaration-row"},
		{"/admin/dfe/outcomes?size=10", "outcome-row"},
	} {
		n, res := d.queriesFor(admin, list.path)
		if res.StatusCode != http.StatusOK || n > 5 || res.Doc.Find(`[data-testid="`+list.row+`"]`).Length() != 10 {
			t.Fatalf("%s: %d, %d queries, %d rows", list.path, res.StatusCode, n, res.Doc.Find(`[data-testid="`+list.row+`"]`).Length())
		}
		next, ok := res.Doc.Find(`a[rel="next"]`).Attr("href")
		if !ok {
			t.Fatalf("%s: no next page", list.path)
		}
		res = admin.get(next)
		want := 2
		if list.row == "outcome-row" {
			want = 1 // the twelfth was refused
		}
		if got := res.Doc.Find(`[data-testid="` + list.row + `"]`).Length(); res.StatusCode != http.StatusOK || got != want {
			t.Errorf("%s, next page: %d, %d rows", list.path, res.StatusCode, got)
		}
	}
	res := admin.get("/admin/dfe/outcomes?state=failed")
	if !strings.Contains(res.text(`[data-testid="dfe-error"]`), "no completed declaration") {
		t.Errorf("refused outcome: %q", res.text("main"))
	}
	for _, bad := range []string{"?state=voided", "?state=lost", "?after=nonsense"} {
		if res := admin.get("/admin/dfe/outcomes" + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("outcomes%s: %d, want 400", bad, res.StatusCode)
		}
	}
	partner, _ := d.signedIn(auth.RolePartnerStaff)
	for _, c := range []*testClient{partner, d.as(d.f.participant)} {
		if res := c.get("/admin/dfe/outcomes"); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("outcomes: %d", res.StatusCode)
		}
	}
}
