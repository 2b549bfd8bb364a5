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

// CheckAccessibility runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) on the current
// page and fails the test for any serious or critical violation.
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
			`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}}).then(r => r.violations)`,
			chromedp.EvalAwaitPromise))
	}
	if err != nil {
		t.Fatalf("browsertest: axe on %s: %v", url, err)
	}
	saveScreenshot(t, ctx, url)
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
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

// CheckFitsPhone loads path in a 320px-wide viewport and fails the test if the page scrolls
// sideways (a table may scroll inside its own wrapper; the page itself must not).
func CheckFitsPhone(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	Run(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")))
	defer Run(t, ctx, chromedp.ResetViewport())
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("browsertest: measure %s: %v", url, err)
	}
	if width > 320 {
		culprit, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { let w = null; for (const el of document.querySelectorAll('body *')) {
			const r = el.getBoundingClientRect(); if (r.right > 321 && !el.closest('.app-table-wrap') && (!w || el.contains(w) === false)) w = el; }
			return w ? w.tagName + '.' + w.className + ' ' + (w.textContent || '').slice(0, 60) : ''; })()`))
		saveScreenshot(t, ctx, url+"-phone")
		t.Errorf("%s is %dpx wide on a 320px phone (first too wide: %s)", url, width, culprit)
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
