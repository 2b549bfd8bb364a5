package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// The foundation journey in a real browser: an admin invites someone, the invitee opens the
// link from the email, sets a password, lands on their home and signs out. Every page
// visited is checked with axe-core.
func TestBrowserInvitationJourney(t *testing.T) {
	a := newTestApp(t)
	admin := a.userFor(auth.RoleProviderAdmin)
	a.partner("Northern Hub")
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }

	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/"))
	check()
	// A private page sends us to sign in; a wrong password shows the error summary.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/admin/invitations/new"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), admin.Email),
		chromedp.SendKeys(chromedp.CSS(`#password`), "not my password"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	)
	giveCodeInBrowser(t, ctx, a, admin.Email)
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#name`)))
	check()
	// Submitting the empty form shows every problem.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="error-summary"]`); !strings.Contains(got, "Enter a full name") {
		t.Errorf("error summary: %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#name`), "Nia Newcomer"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "nia@school.test"),
		chromedp.Click(chromedp.CSS(`#role`)), // participant
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invitations"]`)),
	)
	check()
	// The invitation is in the outbox with its link hidden; the invitee follows the link in
	// the email itself.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/admin/outbox"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="outbox"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="outbox"] tbody a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="links-hidden"]`)),
	)
	check()
	link := a.ts.URL + invitationLink.FindString(latestInvitationEmail(t, a, "nia@school.test"))
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#password`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#password`), "tea in the staffroom"),
		chromedp.SendKeys(chromedp.CSS(`#confirm`), "tea in the staffroom"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="page-title"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="page-title"]`); got != "Welcome, Nia Newcomer" {
		t.Errorf("home title %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "You have signed out") {
		t.Errorf("after sign-out: %q", got)
	}
	for _, path := range []string{"/", "/sign-in", link} {
		browsertest.CheckFitsPhone(t, ctx, absURL(a, path))
	}
	// The link is spent.
	browsertest.Run(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-testid="invitation-problem"]`)))
	check()
}

func absURL(a *testApp, p string) string {
	if strings.HasPrefix(p, "http") {
		return p
	}
	return a.ts.URL + p
}
