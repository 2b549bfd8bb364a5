// Package browsertest drives headless Chromium for the browser journeys and checks every page
// it visits with axe-core.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser: CHROME_PATH, or Debian's chromium.
func chromium() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser for t and returns its context. Without a browser the test
// is skipped, except in CI (CI=true), where it fails.
func New(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("browsertest: Chromium is not installed (apt-get install chromium)")
		}
		t.Skip("browsertest: Chromium is not installed (apt-get install chromium); skipping the browser journey")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start %s: %v", path, err)
	}
	return ctx
}

var axeSource = func() string {
	dir, _ := os.Getwd()
	for dir != "/" {
		if b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")); err == nil {
			return string(b)
		}
		dir = filepath.Dir(dir)
	}
	return ""
}()

type violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// alwaysFail are the axe rules that fail a test whatever impact axe gives them: landmarks
// that share a role and name (axe rates it moderate) leave screen reader users unable to tell
// a page's tables and lists apart.
var alwaysFail = map[string]bool{"landmark-unique": true}

// CheckAccessibility runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules, and unique
// landmarks) on the current page and fails the test for any serious or critical violation,
// for landmarks that cannot be told apart, or for a GOV.UK Frontend component that was not
// started.
func CheckAccessibility(t *testing.T, ctx context.Context) {
	t.Helper()
	if axeSource == "" {
		t.Fatal("browsertest: node_modules/axe-core/axe.min.js not found; run npm ci")
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource))
	}
	var found []violation
	if err == nil {
		found, err = chromedp.Run(ctx, chromedp.Evaluate[[]violation](
			`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']},
				rules: {'landmark-unique': {enabled: true}}}).then(r => r.violations)`,
			chromedp.EvalAwaitPromise))
	}
	if err != nil {
		t.Fatalf("browsertest: axe on %s: %v", url, err)
	}
	saveScreenshot(t, ctx, url)
	checkComponentsStarted(t, ctx, url)
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" || alwaysFail[v.ID] {
			var targets []string
			for _, n := range v.Nodes {
				targets = append(targets, fmt.Sprint(n.Target...))
			}
			t.Errorf("accessibility (%s) on %s: %s: %s at %s", v.Impact, url, v.ID, v.Help, strings.Join(targets, ", "))
		}
	}
}

// Text returns the text of the first element matching sel.
func Text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("browsertest: text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Attr returns the value of an attribute of the first element matching sel.
func Attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		t.Fatalf("browsertest: %s of %s: %v", name, sel, err)
	}
	return v.Value
}

// Run runs steps and fails the test on error.
func Run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// Phones are the screens the phone checks use: the narrowest common phone and a common one.
var Phones = []struct{ Width, Height int64 }{{320, 640}, {375, 667}}

// CheckFitsPhone loads url on each of the Phones and fails the test if the page scrolls
// sideways (a table may scroll inside its own wrapper; the page itself must not).
func CheckFitsPhone(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	for _, p := range Phones {
		onPhone(t, ctx, url, p.Width, p.Height, func() { checkNoSidewaysScroll(t, ctx, url, p.Width) })
	}
}

// CheckPhoneFirst is CheckFitsPhone for a participant page, and more: on each of the Phones
// the GOV.UK Frontend components are started, and the page's main action (the element marked
// data-testid="main-action") starts within the first screen, without scrolling.
func CheckPhoneFirst(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	for _, p := range Phones {
		onPhone(t, ctx, url, p.Width, p.Height, func() {
			checkNoSidewaysScroll(t, ctx, url, p.Width)
			checkComponentsStarted(t, ctx, url)
			checkMainActionInView(t, ctx, url, p.Width, p.Height)
			saveScreenshot(t, ctx, fmt.Sprintf("%s-phone-%d", url, p.Width))
		})
	}
}

// onPhone loads url in a width×height mobile viewport, runs check, and resets the viewport.
func onPhone(t *testing.T, ctx context.Context, url string, width, height int64, check func()) {
	t.Helper()
	Run(t, ctx, chromedp.EmulateViewport(width, height, chromedp.EmulateMobile), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")))
	defer Run(t, ctx, Desktop())
	check()
}

// Desktop puts the browser back to its own window size after a phone viewport.
func Desktop() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		if _, err := cdp.Call(ctx, target, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, target, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{})
		return err
	})
}

func checkNoSidewaysScroll(t *testing.T, ctx context.Context, url string, phone int64) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("browsertest: measure %s: %v", url, err)
	}
	if width > phone {
		culprit, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { let w = null; for (const el of document.querySelectorAll('body *')) {
			const r = el.getBoundingClientRect(); if (r.right > %d && !el.closest('.app-table-wrap') && (!w || el.contains(w) === false)) w = el; }
			return w ? w.tagName + '.' + w.className + ' ' + (w.textContent || '').slice(0, 60) : ''; })()`, phone+1)))
		saveScreenshot(t, ctx, fmt.Sprintf("%s-phone-%d", url, phone))
		t.Errorf("%s is %dpx wide on a %dpx phone (first too wide: %s)", url, width, phone, culprit)
	}
}

// checkComponentsStarted fails unless GOV.UK Frontend has started every component on the
// page: each element with data-module="govuk-x" carries the data-govuk-x-init mark that
// GOV.UK Frontend sets when it starts one.
func checkComponentsStarted(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-module^="govuk-"]'))
		.filter(el => !el.hasAttribute('data-' + el.dataset.module + '-init')).map(el => el.dataset.module)`))
	if err != nil {
		t.Fatalf("browsertest: components on %s: %v", url, err)
	}
	if len(missing) > 0 {
		t.Errorf("%s: GOV.UK Frontend did not start %s", url, strings.Join(missing, ", "))
	}
}

// checkMainActionInView fails unless the page's main action is within the first screen: at
// least its first 44px (a tap target) above the fold.
func checkMainActionInView(t *testing.T, ctx context.Context, url string, width, height int64) {
	t.Helper()
	// How far down the page the first tap-sized strip of the action ends (-1 if unmarked).
	bottom, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => { const el = document.querySelector('[data-testid="main-action"]');
		if (!el) return -1; const r = el.getBoundingClientRect(); return r.top + window.scrollY + Math.min(r.height, 44); })()`))
	if err != nil {
		t.Fatalf("browsertest: main action on %s: %v", url, err)
	}
	switch {
	case bottom < 0:
		t.Errorf("%s marks no main action (data-testid=\"main-action\")", url)
	case bottom > float64(height):
		saveScreenshot(t, ctx, fmt.Sprintf("%s-phone-%d", url, width))
		t.Errorf("%s: the main action ends %.0fpx down a %dx%d phone screen, below the first screen", url, bottom, width, height)
	}
}

// saveScreenshot keeps a full-page PNG of every checked page when SCREENSHOT_DIR is set, so
// a person can look at what the journeys saw.
func saveScreenshot(t *testing.T, ctx context.Context, url string) {
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("browsertest: screenshot of %s: %v", url, err)
		return
	}
	name := strings.NewReplacer("http://", "", "/", "_", ":", "_", "?", "_", "&", "_", "=", "_").Replace(url)
	name = fmt.Sprintf("%s-%02d-%s", t.Name(), shots(t), name)
	if len(name) > 150 {
		name = name[:150]
	}
	os.MkdirAll(dir, 0o755) //nolint:errcheck
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)+".png"), png, 0o644); err != nil {
		t.Logf("browsertest: save screenshot: %v", err)
	}
}

var shotCount = map[string]int{}

func shots(t *testing.T) int {
	shotCount[t.Name()]++
	return shotCount[t.Name()]
}

// CheckInView fails the test unless the first element matching sel starts within the part of
// the page on screen now, so the person sees it without scrolling.
func CheckInView(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	pos, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const el = document.querySelector(`+"`"+sel+"`"+`);
		if (!el) return []; const r = el.getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; })()`))
	if err != nil {
		t.Fatalf("browsertest: position of %s: %v", sel, err)
	}
	switch {
	case len(pos) == 0:
		t.Errorf("%s is not on the page", sel)
	case pos[0] < 0 || pos[0]+min(pos[1]-pos[0], 44) > pos[2]:
		t.Errorf("%s is out of view: from %.0fpx to %.0fpx on a screen %.0fpx high", sel, pos[0], pos[1], pos[2])
	}
}

// WaitURL waits until the page's address contains part: after submitting a form whose
// result page has the same elements as the page before, waiting for an element alone could
// find it in the old page and then act on a node that has gone. An evaluation that fails
// because the page is navigating is tried again.
func WaitURL(part string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		for {
			href, err := chromedp.Evaluate[string](`location.href`)(ctx, target)
			if err == nil && strings.Contains(href, part) {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for an address with %q: %w", part, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// ClickAndLoad clicks sel and waits until the page it leads to has replaced the current one:
// a following wait for an element the two pages share (a flash message, a heading) then
// finds it in the new page, not the old.
func ClickAndLoad(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, target *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.Evaluate[bool](`window.__npqOldPage = true`)(ctx, target); err != nil {
			return chromedp.Void{}, err
		}
		if _, err := chromedp.Click(chromedp.CSS(sel))(ctx, target); err != nil {
			return chromedp.Void{}, err
		}
		for {
			old, err := chromedp.Evaluate[bool](`window.__npqOldPage === true`)(ctx, target)
			if err == nil && !old {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, fmt.Errorf("waiting for the page after clicking %s: %w", sel, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}
