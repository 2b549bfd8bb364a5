package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/timefmt"
)

// A partner finds an event by course and date in two steps (choose, then apply), the filters
// stay in the address, and every list page passes axe and fits a phone.
func TestBrowserFindEventsAndLists(t *testing.T) {
	a := newTestApp(t)
	f := a.eventsListFixture()
	a.requestsFixture(f.programmeFixture)
	staff := a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, staff.Email)
	day := timefmt.ISODate(a.now().AddDate(0, 0, 9))
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/partner/events"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="filters"]`)),
		chromedp.SetValue(chromedp.CSS("#course"), fmt.Sprint(f.slCourse)),
		chromedp.SetValue(chromedp.CSS("#from"), day),
		chromedp.Click(chromedp.CSS(`[data-testid="filters"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="clear-filters"]`)),
	)
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, fmt.Sprintf("course=%d", f.slCourse)) || !strings.Contains(url, "from="+day) {
		t.Errorf("the filters are not in the address: %s", url)
	}
	if got := browsertest.Text(t, ctx, `[data-testid="events"] tbody`); !strings.Contains(got, "Block 1 residential") || strings.Contains(got, "Block 1 webinar") {
		t.Errorf("filtered list: %q", got)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/partner/events")
	for _, p := range []string{"/partner/events?status=past", "/partner/decisions"} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, ctx)
	}
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/partner/decisions")

	admin := a.user("ada@provider.test", auth.RoleProviderAdmin, nil)
	actx := browsertest.New(t)
	signInBrowser(t, actx, a, admin.Email)
	for _, p := range []string{"/admin/events", "/admin/events?from=2027-02-30", "/admin/outbox", "/admin/assessment",
		"/admin/assessment/reports", "/admin/deferrals", "/admin/withdrawals?state=all", "/admin/participants"} {
		browsertest.Run(t, actx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, actx)
	}
	for _, p := range []string{"/admin/events", "/admin/participants", "/admin/deferrals"} {
		browsertest.CheckFitsPhone(t, actx, a.ts.URL+p)
	}
}
