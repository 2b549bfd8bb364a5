package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/events"
)

// A participant books an option and sees the confirmation in view, naming the session and its
// date; sees it on Home; cancels after confirming, and the first waiting participant is booked
// into the freed place. The same on a phone.
func TestBrowserBookingJourney(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, new(1))
	later := a.scheduleEvent(f, f.webinar, 14, new(10))
	waiterID, err := a.srv.programme.Enrol(t.Context(), enrolIn("wanda@school.test", f.cohortID), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/events"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="book"]`)),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#event-%d [data-testid="book"]`, ev))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	check()
	browsertest.CheckInView(t, ctx, `[data-testid="flash"]`)
	timing := browsertest.Text(t, ctx, `[data-testid="timing"]`)
	if got := browsertest.Text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "You are booked on Webinar 7, "+timing) {
		t.Errorf("after booking: %q (the date is %q)", got, timing)
	}
	if got := browsertest.Text(t, ctx, `[data-testid="booking-status"]`); got != "Booked" {
		t.Fatalf("status after booking: %q", got)
	}
	// Wanda finds it full and joins the waiting list.
	if out, err := a.srv.events.JoinWaitingList(t.Context(), waiterID, ev, 0, a.now()); err != nil || out != events.OutcomeWaiting {
		t.Fatalf("waiting list: %s %v", out, err)
	}
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/home"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="home-events"] a`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="home-events"]`); !strings.Contains(got, "Webinar 7") {
		t.Errorf("Home events: %q", got)
	}
	browsertest.Run(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/events/%d", a.ts.URL, ev)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="joining-link"]`)))
	check()
	// Cancelling asks first; keeping the place changes nothing.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/events"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#event-%d [data-testid="cancel"]`, ev))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-cancel"]`)),
	)
	check()
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="keep"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="booking-status"]`)))
	if got := browsertest.Text(t, ctx, `[data-testid="booking-status"]`); got != "Booked" {
		t.Errorf("after keeping the place: %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/events/%d/cancel", a.ts.URL, ev)),
		chromedp.Click(chromedp.CSS(`[data-testid="confirm-cancel"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	check()
	browsertest.CheckInView(t, ctx, `[data-testid="flash"]`)
	if got := browsertest.Text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "Your place on Webinar 7, "+timing+" is cancelled") {
		t.Errorf("after cancelling: %q", got)
	}
	var status string
	a.pool.QueryRow(t.Context(), `SELECT status FROM bookings WHERE event_id = $1 AND enrolment_id = $2`, ev, waiterID).Scan(&status) //nolint:errcheck
	if status != "booked" {
		t.Errorf("the waiting participant is %q", status)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'wanda@school.test' AND subject LIKE 'A place came up%'`); n != 1 {
		t.Errorf("Wanda was not told (%d)", n)
	}
	// On a phone, the confirmation of a booking is in the first screen too.
	browsertest.Run(t, ctx,
		chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
		chromedp.Navigate(a.ts.URL+"/events"),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
		chromedp.ScrollIntoView(chromedp.CSS(fmt.Sprintf(`#event-%d [data-testid="book"]`, later))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#event-%d [data-testid="book"]`, later))),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	browsertest.CheckInView(t, ctx, `[data-testid="flash"]`)
	if got := browsertest.Text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "You are booked on Webinar 14") {
		t.Errorf("after booking on a phone: %q", got)
	}
	browsertest.Run(t, ctx, browsertest.Desktop())
	for _, p := range []string{"/events", fmt.Sprintf("/events/%d", later), fmt.Sprintf("/events/%d/cancel", later)} {
		browsertest.CheckPhoneFirst(t, ctx, a.ts.URL+p)
	}
	// The calendar address is made on request and shown once.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/events"),
		chromedp.Click(chromedp.CSS(`[data-testid="get-feed"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="feed-url"]`)),
	)
	check()
	if got := browsertest.Attr(t, ctx, `[data-testid="feed-url"]`, "value"); !strings.Contains(got, "/calendar/") {
		t.Errorf("calendar address: %q", got)
	}
	// With the script, the address can be copied in one click; either way the page says what happened.
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="copy-feed"]`)), chromedp.Click(chromedp.CSS(`[data-testid="copy-feed"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-copy-status]:not(:empty)`)))
	check()
	// The page is shown once, after a POST, so it is measured where it is rather than reloaded.
	browsertest.Run(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile))
	if width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || width > 320 {
		t.Errorf("the calendar address is %dpx wide on a 320px phone (%v)", width, err)
	}
	browsertest.Run(t, ctx, chromedp.ResetViewport())
}

// Staff event pages in a real browser, checked with axe-core.
func TestBrowserStaffEventPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, new(1))
	a.as(f.participant).post(fmt.Sprintf("/events/%d/book", ev), nil)
	staffUser := a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, staffUser.Email)
	for _, p := range []string{"/partner/events", "/partner/events/new", fmt.Sprintf("/partner/events/%d", ev), fmt.Sprintf("/partner/events/%d/edit", ev),
		fmt.Sprintf("/partner/events/%d/register", ev), fmt.Sprintf("/partner/events/%d/cancel", ev), fmt.Sprintf("/partner/cohorts/%d/engagement", f.cohortID)} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, ctx)
	}
	// The schedule form with errors.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/partner/events/new"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+fmt.Sprintf("/partner/events/%d/register", ev))
}

// signInBrowser signs the browser in as email through the sign-in page.
func signInBrowser(t *testing.T, ctx context.Context, a *testApp, email string) {
	t.Helper()
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/sign-in"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sign-out"], #code`)),
	)
	if asked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#code') !== null`)); err != nil {
		t.Fatal(err)
	} else if asked {
		giveCodeInBrowser(t, ctx, a, email)
	}
}

// giveCodeInBrowser answers the sign-in's second step with the account's current code.
func giveCodeInBrowser(t *testing.T, ctx context.Context, a *testApp, email string) {
	t.Helper()
	browsertest.Run(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), a.currentCode(email)+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sign-out"]`)),
	)
}
