package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/dfe/statements"
)

// An admin voids a due declaration in the browser: the list, the declaration, a missing
// reason, the confirmation, then the voided list; then the outcome updates and the statement
// calendar. Every page
// passes axe-core and the new ones fit a phone.
func TestBrowserVoidADfEDeclaration(t *testing.T) {
	d, due, _ := declarationsApp(t)
	admin := d.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	signInBrowser(t, ctx, d.testApp, admin.Email)

	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/declarations"),
		waitFor(`[data-testid="declarations"]`),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/declarations")
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="declaration-row"] a`)),
		waitFor(`[data-testid="declaration"]`),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/declarations/"+itoa(due))
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/void"] button[type=submit]`)),
		waitFor(`[data-testid="error-summary"]`),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#reason`), "Recorded against the wrong participant"),
		chromedp.Click(chromedp.CSS(`form[action$="/void"] button[type=submit]`)),
		waitFor(`input[name="confirm"]`),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		waitFor(`[data-testid="declarations"]`),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="declarations"]`); !strings.Contains(got, "Recorded against the wrong participant") {
		t.Errorf("voided list: %q", got)
	}
	if n := d.count(`SELECT count(*) FROM dfe_declarations WHERE id = $1 AND state = 'voided'`, due); n != 1 {
		t.Error("not voided")
	}
	if _, err := d.pool.Exec(t.Context(), `INSERT INTO dfe_outcomes (enrolment_id, passed, completion_date, rule_version, evidence)
		VALUES ($1, true, $2, 'dfe-decl-1', '["outcome:1"]')`, d.f.enrolment, d.today()); err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/outcomes"),
		waitFor(`[data-testid="outcomes"]`),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/outcomes")

	// The statement calendar, from the fake DfE's.
	d.fake.SeedDemo(d.now())
	if _, err := statements.Sync(t.Context(), d.pool, d.srv.dfe, d.now()); err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/statements"),
		waitFor(`[data-testid="next-cut-off"]`),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/statements")
}
