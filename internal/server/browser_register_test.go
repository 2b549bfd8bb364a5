package server

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// A 30-person register taken in a real browser: mark the rest as attended, change two
// people, save. It takes at most six clicks and keystrokes plus the exceptions, well under a
// minute, and the save button is on screen without scrolling on a phone and on a laptop.
func TestBrowserRegisterInAMinute(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev, ids := a.registerFixture(f, 30, "Amara Iqbal", "Amara Iqbal")
	staff := a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, staff.Email)
	url := a.ts.URL + fmt.Sprintf("/partner/events/%d/register", ev)

	// The save button is in reach on arrival, at 1280×800 and at 320×640, and nothing scrolls sideways.
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {320, 640}} {
		browsertest.Run(t, ctx, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckInView(t, ctx, `[data-testid="register-save"]`)
		browsertest.CheckInView(t, ctx, `[data-testid="register-mark-rest"]`)
	}
	browsertest.Run(t, ctx, browsertest.Desktop())
	browsertest.CheckFitsPhone(t, ctx, url)

	browsertest.Run(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")))
	browsertest.CheckAccessibility(t, ctx)
	start := time.Now()
	interactions := 0
	// One click: everyone not yet marked is marked attended.
	browsertest.Run(t, ctx,
		browsertest.ClickAndLoad(`[data-testid="register-mark-rest"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	interactions++
	// The exceptions: two selects, each opened and set (two interactions each).
	for id, mark := range map[int64]string{ids[5]: "absent", ids[17]: "excused"} {
		browsertest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#mark-"+strconv.FormatInt(id, 10)), mark))
		interactions += 2
	}
	// The save button is still on screen after scrolling to the middle of the register.
	browsertest.Run(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#mark-"+strconv.FormatInt(ids[17], 10))))
	browsertest.CheckInView(t, ctx, `[data-testid="register-save"]`)
	browsertest.Run(t, ctx,
		browsertest.ClickAndLoad(`[data-testid="register-save"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	interactions++
	took := time.Since(start)
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Run(t, ctx, browsertest.Desktop())

	if interactions > 6 {
		t.Errorf("the register took %d clicks and keystrokes, want at most 6", interactions)
	}
	if took > 20*time.Second {
		t.Errorf("the register took %s in the browser, want well under a minute", took)
	}
	if got := a.count(`SELECT count(*) FROM bookings WHERE event_id = $1 AND attendance = 'attended'`, ev); got != 28 {
		t.Errorf("%d attended, want 28", got)
	}
	if got := a.count(`SELECT count(*) FROM bookings WHERE event_id = $1 AND attendance IN ('absent', 'excused')`, ev); got != 2 {
		t.Errorf("%d absent or excused, want 2", got)
	}
	t.Logf("30-person register: %d interactions, %s", interactions, took)
}
