package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/browsertest"
)

// A partner finds the people who have not booked a required session on the engagement page,
// messages them, and sees the message in the outbox and in a recipient's record. Long email
// addresses wrap, so the pages fit a 320px phone.
func TestBrowserMessagePeopleWhoHaveNotBooked(t *testing.T) {
	a := newTestApp(t)
	f, _ := a.engagementFixture()
	long := "alexandra.montgomery-featherstonehaugh.deputy-head@st-bartholomews-primary-academy-trust.example.test"
	if _, err := a.srv.programme.Enrol(t.Context(), enrolIn(long, f.cohortID), 0, ""); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	signInBrowser(t, ctx, a, f.staff.Email)
	engagement := fmt.Sprintf("%s/partner/cohorts/%d/engagement", a.ts.URL, f.cohortID)
	browsertest.Run(t, ctx, chromedp.Navigate(engagement), chromedp.WaitVisible(chromedp.CSS(`[data-testid="unbooked"]`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="unbooked"]`); !strings.Contains(got, "pam@school.test") || !strings.Contains(got, long) {
		t.Fatalf("not booked: %q", got)
	}
	browsertest.CheckFitsPhone(t, ctx, engagement)
	browsertest.Run(t, ctx,
		chromedp.Navigate(engagement),
		chromedp.Click(chromedp.CSS(`[data-testid="unbooked"] form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="recipient-count"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="recipient-count"]`); !strings.Contains(got, "2 people") {
		t.Errorf("compose: %q", got)
	}
	// Sending without a subject or message explains what is missing.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="send"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)))
	check()
	browsertest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#subject"), "Book the webinar this week"),
		chromedp.SendKeys(chromedp.CSS("#body"), "Only a few places are left. Book on the Events page."),
		chromedp.Click(chromedp.CSS(`[data-testid="send"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="flash"]`); !strings.Contains(got, "Message sent to 2 people") {
		t.Errorf("banner: %q", got)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE subject = 'Book the webinar this week' AND to_address IN ('pam@school.test', $1)`, long); n != 2 {
		t.Errorf("%d in the outbox", n)
	}
	record := a.ts.URL + "/partner/participants/" + strconv.FormatInt(f.participant.ID, 10)
	browsertest.Run(t, ctx, chromedp.Navigate(record), chromedp.WaitVisible(chromedp.CSS(`[data-testid="emails"]`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="emails"]`); !strings.Contains(got, "Book the webinar this week") {
		t.Errorf("record emails: %q", got)
	}
	browsertest.CheckFitsPhone(t, ctx, record)
	var longID int64
	a.pool.QueryRow(t.Context(), `SELECT id FROM users WHERE email = $1`, long).Scan(&longID) //nolint:errcheck
	browsertest.CheckFitsPhone(t, ctx, fmt.Sprintf("%s/partner/messages/new?to=%d&to=%d", a.ts.URL, f.participant.ID, longID))
}
