package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

// An admin accepts an application from (a fake) DfE in the browser: the queue, the
// application, a forgotten answer, the confirmation, then the enrolment with its DfE ids;
// DfE has it accepted and the invitation is in the outbox. Every page passes axe-core and
// the new ones fit a phone.
func TestBrowserAcceptADfEApplication(t *testing.T) {
	d := newDfEApp(t)
	id := d.application("Amara Okafor", "amara@school.example")
	admin := d.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	signInBrowser(t, ctx, d.testApp, admin.Email)

	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/applications"),
		waitFor(`[data-testid="applications"]`),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/applications")
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="application-row"] a`)),
		waitFor(`[data-testid="application"]`),
	)
	check()
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/applications/"+id)
	// Leaving out whether DfE funds the place shows the error summary.
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`#cohort`)),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[type=submit]`)),
		waitFor(`[data-testid="error-summary"]`),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`#funded_place`)),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[type=submit]`)),
		waitFor(`input[name="confirm"]`),
	)
	check()
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		waitFor(`[data-testid="dfe-identifiers"]`),
	)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="dfe-identifiers"]`); !strings.Contains(got, id) || !strings.Contains(got, "npq-headship") {
		t.Errorf("DfE section: %q", got)
	}
	browsertest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="change-dfe"]`)),
		waitFor(`#participant_id`),
	)
	check()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	browsertest.CheckFitsPhone(t, ctx, url)

	if n := d.count(`SELECT count(*) FROM outbox WHERE to_address = 'amara@school.example'`); n != 1 {
		t.Errorf("%d invitations in the outbox", n)
	}
	got, err := d.srv.dfe.Applications(t.Context(), d.now().AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Attributes.Status == nil || *got[0].Attributes.Status != "accepted" {
		t.Errorf("DfE has %+v", got)
	}
}

// waitFor waits until the page has an element matching sel, trying again while the page
// is navigating.
func waitFor(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		for {
			found, err := chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(sel)+`) !== null`)(ctx, target)
			if err == nil && found {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}
