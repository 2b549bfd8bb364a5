package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// An admin adds a cohort from its start date alone, accepting the proposed dates, then moves
// an activity and looks at removing one, in a real browser checked with axe-core.
func TestBrowserCohortDatesAndCourseEditing(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin := a.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, admin.Email)

	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+fmt.Sprintf("/admin/cohorts/new?course=%d", f.courseID)),
		chromedp.WaitVisible(chromedp.CSS("#partner")),
		chromedp.SetValue(chromedp.CSS("#partner"), fmt.Sprint(f.partnerID)),
		chromedp.SendKeys(chromedp.CSS("#name"), "NPQH Autumn 2026"),
		chromedp.SetValue(chromedp.CSS("#schedule"), "npq-leadership-autumn"),
		chromedp.SendKeys(chromedp.CSS("#starts_on-day"), "7"),
		chromedp.SendKeys(chromedp.CSS("#starts_on-month"), "9"),
		chromedp.SendKeys(chromedp.CSS("#starts_on-year"), "2026"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="proposed-dates"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="proposed-dates"]`); !strings.Contains(got, "7 June 2027 to 7 March 2028") {
		t.Errorf("proposal: %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`button[value="change-dates"]`)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#block_%d-day", f.block2))),
	)
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	if a.count(`SELECT count(*) FROM cohorts WHERE name = 'NPQH Autumn 2026'`) != 1 {
		t.Error("the cohort was not added")
	}

	course := a.ts.URL + fmt.Sprintf("/admin/courses/%d", f.courseID)
	browsertest.Run(t, ctx,
		chromedp.Navigate(course),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#item-%d button[value="down"]`, f.intro))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	browsertest.CheckFitsPhone(t, ctx, course)
	for _, p := range []string{fmt.Sprintf("/admin/courses/%d/blocks/%d/items/%d/remove", f.courseID, f.block1, f.reading),
		fmt.Sprintf("/admin/courses/%d/blocks/%d/remove", f.courseID, f.block2)} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, ctx)
	}
}
