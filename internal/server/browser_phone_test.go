package server

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/browsertest"
	"npq/internal/demo"
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

// Every participant page on a phone (320px and 375px): no sideways scroll, the GOV.UK
// components started, and the page's main action in the first screen; axe on each.
func TestBrowserParticipantPagesPhoneFirst(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, new(10))
	for _, days := range []int{8, 9} {
		a.scheduleEvent(f, f.webinar, days, new(10))
	}
	for _, days := range []int{10, 11, 12} {
		a.scheduleEvent(f, f.workshop, days, new(10))
	}
	a.as(f.participant).post(fmt.Sprintf("/events/%d/book", ev), nil)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, f.participant.Email)
	pages := []string{"/home", "/progress", "/learn", fmt.Sprintf("/learn/%d", f.block1), fmt.Sprintf("/learn/%d/%d", f.block1, f.study),
		fmt.Sprintf("/learn/%d/%d", f.block1, f.webinar), "/events", fmt.Sprintf("/events/%d", ev), fmt.Sprintf("/events/%d/cancel", ev),
		"/requests", "/requests/defer", "/assessment"}
	for _, p := range pages {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, ctx)
		browsertest.CheckPhoneFirst(t, ctx, a.ts.URL+p)
	}
	// Six dates over two sessions fit in a few phone screens, not five.
	browsertest.Run(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), chromedp.Navigate(a.ts.URL+"/events"), chromedp.WaitVisible(chromedp.CSS("h1")))
	height, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector('main').getBoundingClientRect().height`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Events for six dates is %dpx long on a 320px phone", height)
	if height > 2000 {
		t.Errorf("Events for six dates is %dpx long on a 320px phone", height)
	}
	browsertest.Run(t, ctx, browsertest.Desktop())
}

// The demo's participant on a phone: each zone's main action in the first screen, Requests
// with its course switcher and a request already decided included.
func TestBrowserDemoParticipantPhoneFirst(t *testing.T) {
	a := newTestApp(t)
	if err := demo.Load(t.Context(), a.pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/sign-in"),
		chromedp.SendKeys(chromedp.CSS("#email"), "participant@demo.test"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sign-out"]`)),
	)
	for _, p := range []string{"/home", "/progress", "/learn", "/events", "/assessment", "/requests"} {
		browsertest.CheckPhoneFirst(t, ctx, a.ts.URL+p)
	}
}
