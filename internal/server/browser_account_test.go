package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// A participant who forgot their password asks for a link from the sign-in page, follows it
// from the email, sets a new password and lands on Home; then looks at My account, the
// accessibility statement and the privacy notice. Every page is checked with axe-core, and
// the account pages on phones.
func TestBrowserForgottenPasswordJourney(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }

	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/sign-in"),
		chromedp.Click(chromedp.CSS(`[data-testid="forgotten-password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#email`), u.Email),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="reset-sent"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="reset-sent"]`); !strings.Contains(got, u.Email) {
		t.Errorf("sent page: %q", got)
	}
	// The link is read from the email in the outbox, as the participant would read it.
	link := a.ts.URL + a.linkFromOutbox(u.Email, "/reset-password/")
	browsertest.Run(t, ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#password`)),
		chromedp.SendKeys(chromedp.CSS(`#password`), "biscuits before the bell"),
		chromedp.SendKeys(chromedp.CSS(`#confirm`), "biscuits after the bell"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#password`), "biscuits before the bell"),
		chromedp.SendKeys(chromedp.CSS(`#confirm`), "biscuits before the bell"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	check()
	if path, _ := chromedp.Run(ctx, chromedp.Location()); path != a.ts.URL+"/home" {
		t.Errorf("landed on %s, want Home", path)
	}
	// The header leads to My account, which lists this browser.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="my-account"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="this-device"]`)),
	)
	check()
	for _, p := range []string{"/account/password", "/account/email", "/account/name", "/accessibility", "/privacy"} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		check()
	}
	for _, p := range []string{"/account", "/account/email", "/accessibility", "/privacy"} {
		browsertest.CheckFitsPhone(t, ctx, a.ts.URL+p)
	}
	// The used link now explains itself.
	browsertest.Run(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-testid="link-problem"]`)))
	check()
}
