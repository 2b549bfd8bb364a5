package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// A participant signs in, continues from Home, marks an item done and sees Progress change.
func TestBrowserParticipantJourney(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/sign-in"),
		chromedp.SendKeys(chromedp.CSS("#email"), f.participant.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="continue"]`)),
	)
	check()
	// Continue → the introduction; then on to the self-study item and mark it done.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="continue"]`)), chromedp.WaitVisible(chromedp.CSS(`main form button`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="page-title"]`); got != "Introduction and diagnostic" {
		t.Fatalf("continued to %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`main form button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="completed"]`)),
	)
	check()
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/progress"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="block-progress"]`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="block-percent-value"]`); got != "33%" {
		t.Errorf("block 1 after one item: %q", got)
	}
	// Home now continues at the next item.
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/home"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="continue"]`)))
	if got := browsertest.Text(t, ctx, `[data-testid="continue"]`); !strings.Contains(got, "Self-study: the evidence") {
		t.Errorf("continue now: %q", got)
	}
	for _, path := range []string{"/learn", fmt.Sprintf("/learn/%d", f.block1), fmt.Sprintf("/learn/%d/%d", f.block1, f.study), fmt.Sprintf("/learn/%d", f.block2)} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+path), chromedp.WaitVisible(chromedp.CSS("h1")))
		check()
	}
	for _, path := range []string{"/home", "/progress", "/learn", fmt.Sprintf("/learn/%d/%d", f.block1, f.study)} {
		browsertest.CheckFitsPhone(t, ctx, a.ts.URL+path)
	}
}

// The staff pages in a real browser: partner roster and the admin's programme pages.
func TestBrowserStaffPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	partnerStaff := a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	admin := a.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	signIn := func(email string) { signInBrowser(t, ctx, a, email) }
	visit := func(paths ...string) {
		for _, p := range paths {
			browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
			browsertest.CheckAccessibility(t, ctx)
		}
	}
	signIn(partnerStaff.Email)
	visit("/partner", fmt.Sprintf("/partner/cohorts/%d?sort=activity&dir=desc", f.cohortID))
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+fmt.Sprintf("/partner/cohorts/%d", f.cohortID))
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	signIn(admin.Email)
	visit("/admin", "/admin/courses", fmt.Sprintf("/admin/courses/%d", f.courseID),
		fmt.Sprintf("/admin/courses/%d/blocks/%d/items/new", f.courseID, f.block1),
		"/admin/cohorts", fmt.Sprintf("/admin/cohorts/new?course=%d", f.courseID), fmt.Sprintf("/admin/cohorts/%d", f.cohortID),
		fmt.Sprintf("/admin/cohorts/%d/enrolments/new", f.cohortID), "/admin/enrolments/import", "/admin/participants?q=pam",
		fmt.Sprintf("/admin/enrolments/%d", f.enrolment), "/admin/partners", "/admin/partners/new", "/admin/news", "/admin/news/new")
	// A form with errors, as an admin sees it.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+fmt.Sprintf("/admin/cohorts/%d/enrolments/new", f.cohortID)),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
}
