package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/programme"
)

// The admin enrolment page on a phone: the status history scrolls inside its own box, so
// the page itself never scrolls sideways.
func TestBrowserEnrolmentHistoryFitsPhone(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	if _, err := a.pool.Exec(t.Context(), `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason)
		VALUES ($1, 'deferred', $2, 'personal-reason-parental-leave-and-a-long-explanation'), ($1, 'active', $2, 'returned')`,
		f.enrolment, a.today()); err != nil {
		t.Fatal(err)
	}
	admin := a.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, admin.Email)
	path := fmt.Sprintf("/admin/enrolments/%d", f.enrolment)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid="status-history"]`)))
	browsertest.CheckAccessibility(t, ctx)
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+path)
}

// A partner's roster with its filters in a browser: accessible, and it fits a phone.
func TestBrowserRosterFilters(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, staff.Email)
	base := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+base), chromedp.WaitVisible(chromedp.CSS(`[data-testid="roster-filters"]`)),
		chromedp.SendKeys(chromedp.CSS("#q"), "oak"),
		chromedp.SetValue(chromedp.CSS("#engagement"), "inactive"),
		chromedp.Click(chromedp.CSS(`[data-testid="roster-filters"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="clear-filters"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="roster"] tbody`); !strings.Contains(got, "Oak Primary School") || strings.Contains(got, "Elm Academy") || strings.Contains(got, "Rita") {
		t.Errorf("filtered roster: %q", got)
	}
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "q=oak") || !strings.Contains(loc, "engagement=inactive") {
		t.Errorf("filters not in the address: %s", loc)
	}
	browsertest.CheckFitsPhone(t, ctx, loc)
	// A roster longer than a page, with its pager, sorted by last activity.
	s := programme.Store{DB: a.pool}
	for i := range 8 {
		if _, err := s.Enrol(t.Context(), enrolIn(fmt.Sprintf("more%d@school.test", i), f.cohortID), 0, a.ts.URL); err != nil {
			t.Fatal(err)
		}
	}
	paged := a.ts.URL + base + "?size=10&sort=activity&dir=desc"
	browsertest.Run(t, ctx, chromedp.Navigate(paged), chromedp.WaitVisible(chromedp.CSS(`.govuk-pagination`)),
		chromedp.Click(chromedp.CSS(`.govuk-pagination a[rel="next"]`)), chromedp.WaitVisible(chromedp.CSS(`.govuk-pagination a[rel="prev"]`)))
	browsertest.CheckAccessibility(t, ctx)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="roster-row"]').length`)); err != nil || n != 3 {
		t.Errorf("second page: %d rows (%v)", n, err)
	}
	browsertest.CheckFitsPhone(t, ctx, paged)
}
