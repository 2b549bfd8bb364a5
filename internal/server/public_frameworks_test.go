package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
)

func TestFrameworkCatalogueListsEveryQualification(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	res := a.client().get("/frameworks")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if n := res.Doc.Find(`[data-testid="qualification"]`).Length(); n != 8 {
		t.Errorf("%d qualifications listed, want 8", n)
	}
	body := res.text("main")
	for _, want := range []string{"npq-leading-teaching", "Applicants must have completed 2 full years of teaching.",
		"do not include its framework statements", "Additional Support Offer"} {
		if !strings.Contains(body, want) {
			t.Errorf("catalogue lacks %q", want)
		}
	}
	for _, slug := range []string{"npqel-2021", "npqlt-2021", "npqltd-2021", "npqml-2019", "npqsl-2019", "npqh-2019", "npqel-2019"} {
		if res.Doc.Find(`a[href="/frameworks/`+slug+`"]`).Length() == 0 {
			t.Errorf("no link to %s", slug)
		}
	}
}

func TestReformedFrameworkPage(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	c := a.client()
	n, res := a.queriesFor(c, "/frameworks/npqel-2021")
	if res.StatusCode != 200 || res.text(`[data-testid="framework-title"]`) != "National Professional Qualification (NPQ): Executive Leadership" {
		t.Fatalf("%d %q", res.StatusCode, res.text("h1"))
	}
	if n > 6 {
		t.Errorf("framework page ran %d queries", n)
	}
	if got := res.Doc.Find(`[data-testid="area"]`).Length(); got != 10 {
		t.Errorf("%d areas", got)
	}
	if got := res.Doc.Find(`[data-testid="learn-that"] > li`).Length(); got != 120 {
		t.Errorf("%d learn-that statements", got)
	}
	// Every statement has an anchor a link can point at.
	s8 := res.Doc.Find("#s-1-that-8")
	if !strings.Contains(s8.Text(), "Building alignment of staff around the intended trust culture") {
		t.Errorf("statement 1/that/8: %q", s8.Text())
	}
	if !strings.Contains(res.Doc.Find("#s-1-how-1").Text(), "Establish and sustain the trust’s strategic direction") ||
		res.Doc.Find("#s-1-how-1 li").Length() != 5 {
		t.Errorf("learn-how-to group 1/how/1: %q", res.Doc.Find("#s-1-how-1").Text())
	}
	if res := c.get("/frameworks/npqzz-1999"); res.StatusCode != 404 {
		t.Errorf("unknown framework: %d", res.StatusCode)
	}
}

func TestCAF2019FrameworkPage(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	res := a.client().get("/frameworks/npqml-2019")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if got := res.Doc.Find(`[data-testid="behaviours"] dt`).Length(); got != 7 {
		t.Errorf("%d leadership behaviours", got)
	}
	// Each criterion links to the tasks that assess it.
	crit := res.Doc.Find("#s-criterion-5-1-1")
	if !strings.Contains(crit.Text(), "5.1.1") || crit.Find(`a[href="#task-part-b"]`).Length() != 1 {
		t.Errorf("criterion 5.1.1: %q", crit.Text())
	}
	if !strings.Contains(res.text(`[data-testid="total-word-limit"]`), "4,500 words") {
		t.Errorf("word limit: %q", res.text(`[data-testid="total-word-limit"]`))
	}
	partB := res.Doc.Find("#task-part-b")
	if !strings.Contains(partB.Find(`[data-testid="supporting-documents"]`).Text(), "Budget") {
		t.Errorf("part B supporting documents: %q", partB.Text())
	}
	// The criterion printed only in the assessment table is shown, and assessed in part A.
	if !strings.Contains(res.Doc.Find("#s-criterion-2-1-2").Text(), "Evaluates the strengths and weaknesses of curriculum") {
		t.Error("criterion 2.1.2 missing")
	}
	h := a.client().get("/frameworks/npqh-2019")
	if !strings.Contains(h.Doc.Find("#task-task-2").Text(), "placement school") || !strings.Contains(h.Doc.Find("#task-task-2").Text(), "2,500 words") {
		t.Errorf("NPQH task 2: %q", h.Doc.Find("#task-task-2").Text())
	}
	el := a.client().get("/frameworks/npqel-2019")
	if !strings.Contains(el.Doc.Find("#s-criterion-6-4-2").Parent().Text(), "Evaluates the benefits and risks of different strategies in terms of:") {
		t.Error("grouped criteria 6.4.2–6.4.4 lost their stem")
	}
}

func TestFrameworkSearch(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	c := a.client()
	n, res := a.queriesFor(c, "/frameworks/search?q=feedback+policies")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if n > 5 {
		t.Errorf("search ran %d queries", n)
	}
	results := res.Doc.Find(`[data-testid="results"] > li`)
	if results.Length() == 0 {
		t.Fatal("no results")
	}
	first := results.First()
	if marks := first.Find("mark").Text(); !strings.Contains(strings.ToLower(marks), "feedback") {
		t.Errorf("first result does not highlight the match: %q", first.Text())
	}
	href, _ := first.Find("a").Attr("href")
	if !strings.HasPrefix(href, "/frameworks/") || !strings.Contains(href, "#s-") {
		t.Errorf("result link %q does not point at a statement", href)
	}
	// Stemming: "assessing" finds "assessment".
	if res := c.get("/frameworks/search?q=assessing"); res.Doc.Find(`[data-testid="results"] > li`).Length() == 0 {
		t.Error("no results for assessing")
	}
	// Filter by framework.
	res = c.get("/frameworks/search?q=budget&framework=npqml-2019")
	res.Doc.Find(`[data-testid="results"] a`).Each(func(_ int, s *goquery.Selection) {
		if h, _ := s.Attr("href"); !strings.HasPrefix(h, "/frameworks/npqml-2019#") {
			t.Errorf("filtered result from elsewhere: %s", h)
		}
	})
	if !strings.Contains(res.text(`[data-testid="result-count"]`), "match") {
		t.Errorf("count: %q", res.text(`[data-testid="result-count"]`))
	}
	// Criteria are searchable by their wording.
	if res := c.get("/frameworks/search?q=%22risk+register%22"); !strings.Contains(res.text(`[data-testid="results"]`), "5.1.3") {
		t.Errorf("criterion 5.1.3 not found by phrase: %q", res.text("main"))
	}
}

func TestFrameworkSearchBadInput(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	c := a.client()
	tests := []struct {
		query  string
		status int
		want   string
	}{
		{"", 200, "Enter a word or phrase"},
		{"q=+++", 200, "Enter a word or phrase"},
		{"q=the+and", 422, "Enter a more specific word"},
		{"q=%21%21%3F%3F", 422, "Enter a more specific word"},
		{"q=" + strings.Repeat("x", 201), 422, "Search words must be 200 characters or fewer"},
		{"q=feedback&framework=nonsense", 422, "Select a framework from the list"},
		{"q=%ff%fe", 400, "cannot be read"},
		{"q=a%00b", 400, "cannot be read"},
		{"q=feedback&framework=%00", 400, "cannot be read"},
		{"q=zzxqv", 200, "No statements match “zzxqv”"},
		{"q=" + url.QueryEscape(`"unclosed quote -`), 200, ""},
		{"q=" + url.QueryEscape(`a & b | !c <-> (d`), 200, ""},
	}
	for _, tt := range tests {
		res := c.get("/frameworks/search?" + tt.query)
		if res.StatusCode != tt.status || !strings.Contains(res.text("main"), tt.want) {
			t.Errorf("%q: %d, want %d with %q\n%s", tt.query, res.StatusCode, tt.status, tt.want, res.text("main"))
		}
		if tt.status == 422 && len(res.errorSummary()) != 1 {
			t.Errorf("%q: error summary %v", tt.query, res.errorSummary())
		}
	}
}

func TestFrameworksAreVisibleToEveryone(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	for _, role := range auth.Roles {
		c, _ := a.signedIn(role)
		if res := c.get("/frameworks/npqlt-2021"); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", role, res.StatusCode)
		}
	}
}

// The framework pages in a real browser, with axe-core, on a desktop and a 320px phone.
func TestBrowserFrameworkPages(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	ctx := browsertest.New(t)
	for _, path := range []string{"/frameworks", "/frameworks/npqel-2021", "/frameworks/npqml-2019", "/frameworks/npqh-2019"} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+path), chromedp.WaitVisible(chromedp.CSS("h1")))
		browsertest.CheckAccessibility(t, ctx)
	}
	for _, path := range []string{"/frameworks", "/frameworks/npqel-2021", "/frameworks/npqml-2019", "/frameworks/search?q=feedback"} {
		browsertest.CheckFitsPhone(t, ctx, a.ts.URL+path)
	}
	// Search by keyboard from the catalogue, then follow a result to its statement.
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/frameworks"),
		chromedp.SendKeys(chromedp.CSS("#q"), "metacognitive strategies\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="results"]`)),
	)
	browsertest.CheckAccessibility(t, ctx)
	href := browsertest.Attr(t, ctx, `[data-testid="results"] a`, "href")
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="results"] a`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="framework-title"]`)))
	anchor := href[strings.Index(href, "#"):]
	if got := browsertest.Text(t, ctx, anchor); !strings.Contains(strings.ToLower(got), "metacognitive") {
		t.Errorf("followed %s to %q", href, got)
	}
	// The search page with a problem, too.
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/frameworks/search?q=the"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)))
	browsertest.CheckAccessibility(t, ctx)
}
