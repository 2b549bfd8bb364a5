package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// An admin finds a partner staff member who has left, deactivates them after confirming,
// and the leaver's open session is refused at its next request; the audit trail then says
// who did it. Every page is checked with axe-core and on phones.
func TestBrowserDeactivateALeaver(t *testing.T) {
	a := newTestApp(t)
	admin := a.userFor(auth.RoleProviderAdmin)
	partner := a.partner("Northern Hub")
	leaver := a.user("lee@northern.test", auth.RolePartnerStaff, &partner)
	staff := a.client()
	staff.signIn(leaver.Email, testPassword)
	if res := staff.get("/partner"); res.StatusCode != http.StatusOK {
		t.Fatalf("the staff member's session before: %d", res.StatusCode)
	}

	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	signInBrowser(t, ctx, a, admin.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/admin/users"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="users"]`)))
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#q"), "northern"),
		chromedp.Click(chromedp.CSS(`[data-testid="filter"] button[type=submit]`)),
		browsertest.WaitURL("q=northern"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="user"] a[href="`+fmt.Sprintf("/admin/users/%d", leaver.ID)+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="user"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="deactivate"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="deactivate"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="confirm"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="status"]`); !strings.HasPrefix(got, "Deactivated") {
		t.Errorf("status after deactivating: %q", got)
	}

	res := staff.get("/partner")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("the leaver's next request: %d %s, want a redirect to sign in", res.StatusCode, res.Header.Get("Location"))
	}

	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/admin/audit?person="+url.QueryEscape(leaver.Email)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="entries"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="entry"] [data-testid="what"]`); !strings.HasPrefix(got, "Deactivated an account") {
		t.Errorf("newest entry about the leaver: %q", got)
	}
	for _, p := range []string{"/admin/users", fmt.Sprintf("/admin/users/%d", leaver.ID), "/admin/audit",
		fmt.Sprintf("/admin/users/%d/role", admin.ID)} {
		browsertest.CheckFitsPhone(t, ctx, a.ts.URL+p)
	}
}
