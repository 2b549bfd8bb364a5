package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/browsertest"
)

// An assessor marks side by side at 1,280 × 800: following a tag in the work brings its
// criterion's form into view next to the passage, the page itself stays about a screen
// high, and completing with gaps lists the criteria still to judge. On a phone the two
// halves stack without sideways scrolling.
func TestBrowserMarkingSideBySide(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	sid, _, first := a.allocatedSheet(f, spec)
	url := a.ts.URL + "/marking/" + sid + "/first"
	ctx := browsertest.New(t)
	signInBrowser(t, ctx, a, first.Email)
	browsertest.Run(t, ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="criterion"]`)))
	browsertest.CheckAccessibility(t, ctx)

	height, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
	if err != nil || height > 1800 {
		t.Errorf("the marking page is %dpx high at 1,280 × 800 (%v); the two halves should scroll on their own", height, err)
	}

	// A passage far down the work: its tag leads to the criterion's judgement, both on screen.
	n := len(spec.Criteria) - 3
	passage := fmt.Sprintf("#passage-%d", n)
	browsertest.Run(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(passage)), chromedp.Click(chromedp.CSS(passage+" a.app-tag-link")))
	href := browsertest.Attr(t, ctx, passage+" a.app-tag-link", "href")
	target := href[strings.Index(href, "#"):]
	if hash, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`)); err != nil || hash != target {
		t.Fatalf("following the tag: location %q, want %q (%v)", hash, target, err)
	}
	browsertest.CheckInView(t, ctx, target+` input[type="radio"]`)
	browsertest.CheckInView(t, ctx, passage)

	// And back from the criterion to the passage.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(target+` [data-testid="tagged-passages"] a`)))
	browsertest.CheckInView(t, ctx, passage)
	browsertest.CheckInView(t, ctx, target+` input[type="radio"]`)

	// Completing with a criterion unjudged lists it, linked to its field.
	for i := range spec.Criteria {
		if i != 2 {
			browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#j-%d-2", i))))
		}
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`button[value="complete"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)))
	browsertest.CheckAccessibility(t, ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="error-summary"] li`); !strings.Contains(got, "criterion "+spec.Criteria[2].Code) {
		t.Errorf("error summary %q", got)
	}
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="error-summary"] a`)))
	browsertest.CheckInView(t, ctx, "#j-2")

	// On a phone the halves stack with links between them, and nothing scrolls sideways.
	browsertest.Run(t, ctx, browsertest.Desktop())
	browsertest.CheckFitsPhone(t, ctx, url)
	browsertest.Run(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="marking-jump"]`)))
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="marking-jump"] a[href="#criteria"]`)))
	browsertest.CheckInView(t, ctx, "#criteria-heading")
	browsertest.Run(t, ctx, browsertest.Desktop())
}
