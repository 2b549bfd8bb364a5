package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/browsertest"
)

// The milestones page, with a participant at risk, passes axe and fits a phone, and its
// filters stay in the address.
func TestBrowserPartnerMilestones(t *testing.T) {
	a := newTestApp(t)
	f := a.milestonesFixture(0)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, f.staff.Email)
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/partner/milestones"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="milestones"]`)),
		chromedp.SetValue(chromedp.CSS("#state"), "at_risk"),
		chromedp.Click(chromedp.CSS(`[data-testid="filters"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="clear-filters"]`)),
	)
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "state=at_risk") {
		t.Errorf("the filter is not in the address: %s", url)
	}
	if got := browsertest.Text(t, ctx, `[data-testid="milestones"] tbody`); !strings.Contains(got, f.participant.Email) {
		t.Errorf("list: %q", got)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/partner/milestones")
}
