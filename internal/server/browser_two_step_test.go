package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/twostep"
)

// A new admin signs in with their password and the code emailed to them, and is taken
// straight to setting up two-step sign-in: nothing else opens until it is done. They read the key from the page as they would
// type it into an app, keep the recovery codes, carry on to where they were going, sign out,
// and sign in again with a code. Every page is checked with axe-core.
func TestBrowserTwoStepJourney(t *testing.T) {
	a := newTestApp(t)
	u := a.newcomer("new-admin@provider.test", auth.RoleProviderAdmin, nil)
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }

	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/admin/users"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="email-code"]`)),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/sign-in/two-step")
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#code`), a.emailedCode(u.Email)+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="two-step-required"]`)),
	)
	check()
	if menus, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.govuk-service-navigation').length`)); err != nil || menus != 0 {
		t.Errorf("a menu of pages that are not open yet: %d %v", menus, err)
	}
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/admin"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="two-step-required"]`)),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/account/two-step")
	secret := strings.ReplaceAll(browsertest.Text(t, ctx, `[data-testid="two-step-secret"]`), " ", "")
	code, err := twostep.Code(secret, a.now())
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#code`), code),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="recovery-codes"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="recovery-codes"]`); strings.Count(got, "-") != 2*twostep.RecoveryCodeCount {
		t.Errorf("recovery codes: %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="continue"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="users"]`)),
	)

	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), u.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`#code`)),
	)
	check()
	a.clock.Set(a.now().Add(twostep.Period))
	code, _ = twostep.Code(secret, a.now())
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#code`), code+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sign-out"]`)),
	)
	if path, _ := chromedp.Run(ctx, chromedp.Location()); path != a.ts.URL+u.Role.HomePath() {
		t.Errorf("landed on %s", path)
	}
}
