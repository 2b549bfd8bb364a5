package server

import (
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/browsertest"
)

// On a 320px phone the navigation folds into a Menu button that opens and closes it, so the
// participant's Continue button is in the first screen of Home.
func TestBrowserMobileMenu(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx,
		chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
		chromedp.Navigate(a.ts.URL+"/home"),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	visible := func(sel string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const el = document.querySelector('`+sel+`'); return !!el && el.checkVisibility(); })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if !visible(`.govuk-service-navigation__toggle`) {
		t.Fatal("no Menu button on a 320px phone")
	}
	if visible(`#navigation`) {
		t.Fatal("the navigation links are open before the Menu button is pressed")
	}
	if got := browsertest.Attr(t, ctx, `.govuk-service-navigation__toggle`, "aria-expanded"); got != "false" {
		t.Errorf("Menu aria-expanded = %q before opening", got)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.govuk-service-navigation__toggle`)), chromedp.WaitVisible(chromedp.CSS(`#navigation`)))
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Attr(t, ctx, `.govuk-service-navigation__toggle`, "aria-expanded"); got != "true" {
		t.Errorf("Menu aria-expanded = %q when open", got)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`.govuk-service-navigation__toggle`)), chromedp.WaitNotVisible(chromedp.CSS(`#navigation`)))
	// Open again and go somewhere with it.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`.govuk-service-navigation__toggle`)),
		chromedp.WaitVisible(chromedp.CSS(`#navigation a[href="/events"]`)),
		chromedp.Click(chromedp.CSS(`#navigation a[href="/events"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="page-title"]`)),
	)
	if got := browsertest.Text(t, ctx, `[data-testid="page-title"]`); got != "Events" {
		t.Errorf("the menu led to %q", got)
	}
	// On a wide screen there is no Menu button: the links are in view.
	browsertest.Run(t, ctx, browsertest.Desktop(), chromedp.Navigate(a.ts.URL+"/home"), chromedp.WaitVisible(chromedp.CSS(`#navigation a[href="/events"]`)))
	if visible(`.govuk-service-navigation__toggle`) {
		t.Error("a Menu button on a wide screen")
	}
	browsertest.CheckPhoneFirst(t, ctx, a.ts.URL+"/home")
}

// A form's error summary takes the focus, so a screen reader reads it and a phone shows it.
func TestBrowserErrorSummaryTakesFocus(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/requests/defer"),
		chromedp.WaitVisible(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement === document.querySelector('[data-testid="error-summary"]')`))
	if err != nil {
		t.Fatal(err)
	}
	if !focused {
		t.Error("the error summary did not take the focus")
	}
}
