package server

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/lifecycle"
)

// visit opens a page as the signed-in browser, waits for sel, and checks it with axe-core
// and at 320px.
func visit(t *testing.T, ctx context.Context, url, sel string) {
	t.Helper()
	browsertest.Run(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
	browsertest.CheckAccessibility(t, ctx)
	browsertest.CheckFitsPhone(t, ctx, url)
}

var resultLink = regexp.MustCompile(`http://[^\s]+/assessment\?course=\d+`)

// A participant with a released result on one course and an active second course reads the
// result from Home, and from the link in the result email.
func TestBrowserTwoCourseParticipantReadsTheirResult(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	id := a.submitted(f, spec, a.as(f.participant))
	a.release(id, spec, true)
	a.secondCourse(f)
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, f.participant.Email)
	visit(t, ctx, a.ts.URL+"/home", `[data-testid="course-card"]`)
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="course-card"] [data-testid="standing-step"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="outcome"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "NPQ in Headship") || !strings.Contains(got, "pass") {
		t.Errorf("result from Home: %q", got)
	}
	var body string
	a.pool.QueryRow(context.Background(), `SELECT body FROM outbox WHERE subject LIKE 'Your assessment result%' ORDER BY id DESC LIMIT 1`).Scan(&body) //nolint:errcheck
	link := resultLink.FindString(body)
	if link == "" {
		t.Fatalf("no result link in %q", body)
	}
	visit(t, ctx, link, `[data-testid="outcome"]`)
	if got := browsertest.Text(t, ctx, `[data-testid="outcome"]`); !strings.Contains(got, "pass") {
		t.Errorf("result from the email: %q", got)
	}
	// The other course is a click away.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="course-switcher"] a:not([aria-current])`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="course-switcher"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
}

// A deferred participant asked to confirm their return answers from Home.
func TestBrowserDeferredParticipantConfirmsReturnFromHome(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	ctx := t.Context()
	today := a.today()
	returnOn := today.AddDate(0, 2, 0)
	req, err := a.srv.lifecycle.Create(ctx, lifecycle.NewRequest{EnrolmentID: f.enrolment, Kind: lifecycle.KindDeferral, Reason: "parental-leave",
		StartsOn: today, PlannedReturnOn: &returnOn, Source: "participant"})
	if err != nil {
		t.Fatal(err)
	}
	admin := a.userFor(auth.RoleProviderAdmin)
	if _, err := a.srv.lifecycle.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: today, ReturnCohortID: next,
		ReturnOn: returnOn, ActorID: admin.ID, Now: a.now()}); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.lifecycle.AskReturn(ctx, req, admin.ID, a.now()); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	signInBrowser(t, b, a, f.participant.Email)
	visit(t, b, a.ts.URL+"/home", `[data-testid="question"]`)
	// Sending no answer says what is missing; then yes.
	browsertest.Run(t, b,
		browsertest.ClickAndLoad(`[data-testid="question"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="problem"]`)),
	)
	browsertest.CheckAccessibility(t, b)
	if got := browsertest.Text(t, b, `[data-testid="problem"]`); !strings.Contains(got, "Choose yes or no") {
		t.Errorf("no answer: %q", got)
	}
	browsertest.Run(t, b,
		chromedp.Click(chromedp.CSS(`[data-testid="question"] input[value="yes"]`)),
		browsertest.ClickAndLoad(`[data-testid="question"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	browsertest.CheckAccessibility(t, b)
	if got := browsertest.Text(t, b, "main"); !strings.Contains(got, "You are returning") || strings.Contains(got, "Please confirm you will return") {
		t.Errorf("after answering: %q", got)
	}
	for _, p := range []string{"/events", "/requests", "/learn"} {
		browsertest.Run(t, b, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, b)
		if got := browsertest.Text(t, b, "main"); !strings.Contains(got, "You are returning") {
			t.Errorf("%s: %q", p, got)
		}
	}
}

// After the last bookable date of a session has passed unbooked, Continue goes on to what can
// be done, and the session's page says what to do about it.
func TestBrowserContinueAfterTheLastBookableDate(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	a.scheduleEvent(f, f.webinar, 2, new(10))
	pam := a.as(f.participant)
	pam.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.intro), nil)
	a.clock.Set(a.now().AddDate(0, 0, 3))
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, f.participant.Email)
	visit(t, ctx, a.ts.URL+"/home", `[data-testid="continue"]`)
	browsertest.Run(t, ctx, browsertest.ClickAndLoad(`[data-testid="continue"]`), chromedp.WaitVisible(chromedp.CSS("main form button")))
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Text(t, ctx, "h1"); got != "Self-study: the evidence" {
		t.Fatalf("continue opened %q", got)
	}
	browsertest.Run(t, ctx, browsertest.ClickAndLoad("main form button"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="completed"]`)))
	visit(t, ctx, a.ts.URL+"/home", `[data-testid="stuck"]`)
	if n := browsertest.Text(t, ctx, `[data-testid="all-done"]`); !strings.Contains(n, "opens on") {
		t.Errorf("all done: %q", n)
	}
	browsertest.Run(t, ctx, browsertest.ClickAndLoad(`[data-testid="stuck"] a`), chromedp.WaitVisible(chromedp.CSS(`[data-testid="session-help"]`)))
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="session-help"]`); !strings.Contains(got, "have passed") || !strings.Contains(got, "Riverside Hub") {
		t.Errorf("session page: %q", got)
	}
}
