package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// From a participant's request to defer, through the admin's approval, to the letter both
// the participant and the delivery partner can read.
func TestBrowserDeferralJourney(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	admin := a.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	today := a.today()
	start, ret := today.AddDate(0, 0, 7), today.AddDate(0, 5, 0)
	typeDate := func(id string, d time.Time) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.SendKeys(chromedp.CSS("#"+id+"-day"), strconv.Itoa(d.Day())),
			chromedp.SendKeys(chromedp.CSS("#"+id+"-month"), strconv.Itoa(int(d.Month()))),
			chromedp.SendKeys(chromedp.CSS("#"+id+"-year"), strconv.Itoa(d.Year())),
		)
	}
	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/requests"), chromedp.WaitVisible(chromedp.CSS(`a[href^="/requests/defer"]`)))
	check()
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`a[href^="/requests/defer"]`)), chromedp.WaitVisible(chromedp.CSS("#discussed")))
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS("#discussed")),
		chromedp.Click(chromedp.CSS("#reason-3")), // parental leave
		typeDate("starts_on", start), typeDate("return", ret),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="request-state"]`)),
	)
	check()
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), chromedp.WaitVisible(chromedp.CSS("#email")))

	signInBrowser(t, ctx, a, admin.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/admin/deferrals"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="queue"] a`)))
	check()
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="queue"] a`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="proposal"]`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="proposal"]`); !strings.Contains(got, "NPQH Riverside next") {
		t.Fatalf("proposal %q", got)
	}
	// The fields only an approval needs show once Approve is chosen, and go again for Refuse.
	shown := func() bool {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#return_cohort').offsetParent !== null`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if shown() {
		t.Error("approval fields show before a decision is chosen")
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS("#decision-2")))
	if shown() {
		t.Error("approval fields show when refusing")
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS("#decision")))
	if !shown() {
		t.Error("approval fields hidden when approving")
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`main form[action^="/admin/requests/"]:not([action$="/move"]) button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="consequences"]`)),
	)
	// The decision is checked, with what it will do, before anything changes.
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="consequences"]`); !strings.Contains(got, "DfE will be told") {
		t.Errorf("consequences: %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="confirm"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="letter"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="letter"]`); !strings.Contains(got, "Expected date of return") || !strings.Contains(got, "NPQH Riverside next") {
		t.Errorf("letter: %q", got)
	}
	letterURL, _ := chromedp.Run(ctx, chromedp.Location())
	for _, p := range []string{"/admin/withdrawals", "/admin/returns", fmt.Sprintf("/admin/enrolments/%d", f.enrolment), fmt.Sprintf("/admin/enrolments/%d/requests/new", f.enrolment2)} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		check()
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), chromedp.WaitVisible(chromedp.CSS("#email")))

	// The participant finds the letter; so does the delivery partner.
	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/requests"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="letters"] a`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="request-state"]`); got != "Agreed" {
		t.Errorf("participant sees %q", got)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="letters"] a`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="letter"]`)))
	check()
	browsertest.CheckFitsPhone(t, ctx, letterURL)
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	staffUser := a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	signInBrowser(t, ctx, a, staffUser.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/partner/decisions"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="letters"] a`)))
	check()
	_ = next
}
