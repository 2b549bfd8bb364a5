package server

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"npq/internal/browsertest"
	"npq/internal/todo"
)

// The to-do lists and their rows in a real browser: accessible, and on phones without
// sideways scrolling; the admin menu is one row at 1,280 px and collapses on a phone.
func TestBrowserTodoAndAdminMenu(t *testing.T) {
	a := newTestApp(t)
	a.todoFixture()
	// A long address must wrap rather than widen the page.
	a.pool.Exec(t.Context(), `UPDATE users SET email = 'a.very.long.address.for.a.participant.of.riverside@some-multi-academy-trust.example.org.uk' WHERE email = 'ben@school.test'`) //nolint:errcheck
	ctx := browsertest.New(t)
	visit := func(paths ...string) {
		t.Helper()
		for _, p := range paths {
			browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
			browsertest.CheckAccessibility(t, ctx)
		}
	}
	signInBrowser(t, ctx, a, "sam@riverside.test")
	visit("/partner")
	for _, k := range todo.PartnerKinds {
		visit("/partner/todo/" + string(k))
	}
	for _, p := range []string{"/partner", "/partner/todo/unbooked", "/partner/todo/inactive", "/partner/todo/registers"} {
		browsertest.CheckFitsPhone(t, ctx, a.ts.URL+p)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), chromedp.WaitVisible(chromedp.CSS("#email")))

	signInBrowser(t, ctx, a, "admin@provider.test")
	visit("/admin", "/admin/returns", "/admin/outbox")
	for _, k := range todo.AdminKinds {
		visit("/admin/todo/" + string(k))
	}
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/admin")
	// One row of menu items at 1,280 px, on every kind of admin page.
	for _, p := range []string{"/admin", "/admin/returns", "/admin/enrolments/import", "/admin/courses"} {
		browsertest.Run(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		rows, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`new Set([...document.querySelectorAll('.govuk-service-navigation__item')].map(li => Math.round(li.getBoundingClientRect().top))).size`))
		if err != nil {
			t.Fatal(err)
		}
		if rows != 1 {
			t.Errorf("%s: the menu takes %d rows at 1,280 px", p, rows)
		}
	}
	// On a phone the menu folds behind its button.
	browsertest.Run(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), chromedp.Navigate(a.ts.URL+"/admin/returns"),
		chromedp.WaitVisible(chromedp.CSS("h1")), chromedp.Sleep(200*time.Millisecond))
	collapsed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const b = document.querySelector('.govuk-service-navigation__toggle'), l = document.getElementById('navigation');
			return !b.hidden && b.offsetHeight > 0 && l.offsetHeight === 0 })()`))
	browsertest.Run(t, ctx, browsertest.Desktop())
	if err != nil {
		t.Fatal(err)
	}
	if !collapsed {
		t.Error("at 320 px the menu is not collapsed behind its button")
	}
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/admin/returns")
}
