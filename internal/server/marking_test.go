package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/assessment"
	"npq/internal/auth"
)

// paragraphDraftForm is a draft written as it would be: a paragraph per criterion, each
// tagging it, separated by blank lines, long enough to need scrolling.
func paragraphDraftForm(spec assessment.Spec) url.Values {
	form := url.Values{}
	for _, t := range spec.Tasks {
		var paras []string
		for _, c := range spec.Criteria {
			if c.Task == t.Key {
				paras = append(paras, "This paragraph shows ["+c.Code+"] in practice. "+strings.Repeat("evidence ", 140))
			}
		}
		form.Set("text-"+t.Key, strings.Join(paras, "\n\n"))
	}
	return form
}

// allocatedSheet submits the fixture participant's paragraph draft and allocates it to a
// first marker, returning the submission and that marker's client.
func (a *testApp) allocatedSheet(f *programmeFixture, spec assessment.Spec) (string, *testClient, auth.User) {
	a.t.Helper()
	id := a.submittedDraft(f, spec, a.as(f.participant), paragraphDraftForm(spec))
	sid := strconv.FormatInt(id, 10)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	first := a.marker("first@markers.test", 0)
	if res := admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"first"}, "marker": {fmt.Sprint(first.ID)}}); res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("allocate: %d %v", res.StatusCode, res.errorSummary())
	}
	return sid, a.as(first), first
}

func TestMarkingTagsLinkToCriteriaAndBack(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	sid, fm, _ := a.allocatedSheet(f, spec)
	sheet := fm.get("/marking/" + sid + "/first")
	if sheet.StatusCode != http.StatusOK {
		t.Fatal(sheet.StatusCode)
	}
	// Every tag links to a criterion on the page, and that criterion links back to the passage.
	tags := sheet.Doc.Find(`[data-testid="passage"] a.app-tag-link`)
	if tags.Length() != len(spec.Criteria) {
		t.Fatalf("%d tag links, want one per criterion (%d)", tags.Length(), len(spec.Criteria))
	}
	tags.Each(func(_ int, tag *goquery.Selection) {
		href, _ := tag.Attr("href")
		passage, _ := tag.Closest(`[data-testid="passage"]`).Attr("id")
		criterion := sheet.Doc.Find(`[data-testid="criterion"]` + href)
		if criterion.Length() != 1 {
			t.Errorf("tag %q links to %s, which is not a criterion on the page", tag.Text(), href)
			return
		}
		code := strings.TrimSpace(strings.SplitN(tag.Text(), "(", 2)[0])
		if title := criterion.Find(".govuk-summary-card__title").Text(); "["+strings.TrimPrefix(title, "Criterion ")+"]" != code {
			t.Errorf("tag %s links to %q", code, title)
		}
		if criterion.Find(`[data-testid="tagged-passages"] a[href="#`+passage+`"]`).Length() != 1 {
			t.Errorf("criterion %s does not list %s, which tags it", href, passage)
		}
		if criterion.Find(`input[type="radio"]`).Length() == 0 {
			t.Errorf("criterion %s has no judgement form", href)
		}
	})
	// The two halves are labelled regions, with links to jump between them on narrow screens.
	for _, sel := range []string{`section#submission[aria-labelledby="submission-heading"][tabindex="0"]`, `section#criteria[aria-labelledby="criteria-heading"][tabindex="0"]`,
		`[data-testid="marking-jump"] a[href="#criteria"]`, `[data-testid="criteria-pane"] form button[value="complete"]`} {
		if sheet.Doc.Find(sel).Length() != 1 {
			t.Errorf("no %s", sel)
		}
	}
}

func TestCompletingMarkingWithGapsListsEachCriterion(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	sid, fm, _ := a.allocatedSheet(f, spec)
	path := "/marking/" + sid + "/first"
	form := allMarks(spec, version(fm.get(path)), "complete")
	gaps := []int{1, 4}
	for _, i := range gaps {
		form.Del("j-" + spec.Criteria[i].Key())
	}
	form.Set("c-"+spec.Criteria[1].Key(), "Kept comment")
	res := fm.post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("complete with gaps: %d %v", res.StatusCode, res.errorSummary())
	}
	if title := res.Doc.Find("title").Text(); !strings.HasPrefix(title, "Error:") {
		t.Errorf("title %q", title)
	}
	var hrefs []string
	res.Doc.Find(`[data-testid="error-summary"] li a`).Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		hrefs = append(hrefs, h)
	})
	if want := []string{"#j-1", "#j-4"}; strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("summary links %v, want %v", hrefs, want)
	}
	for n, msg := range res.errorSummary() {
		if code := spec.Criteria[gaps[n]].Code; !strings.Contains(msg, "criterion "+code) {
			t.Errorf("summary %q does not name criterion %s", msg, code)
		}
	}
	for _, i := range gaps {
		if res.Doc.Find(fmt.Sprintf("#j-%d", i)).Length() != 1 || res.Doc.Find(fmt.Sprintf("#j-%d-error", i)).Length() != 1 {
			t.Errorf("criterion %d: no field or inline error", i)
		}
	}
	// Values are kept; nothing is saved.
	if res.Doc.Find(`#j-0-2[checked]`).Length() != 1 || res.text("#c-1") != "Kept comment" {
		t.Error("the judgements and comments given were not kept")
	}
	if n := a.count(`SELECT count(*) FROM marks WHERE submission_id = $1`, sid); n != 0 {
		t.Errorf("%d marks saved from a refused form", n)
	}
	// Filling the gaps completes.
	form.Set("j-"+spec.Criteria[1].Key(), "met")
	form.Set("j-"+spec.Criteria[4].Key(), "met")
	if res := fm.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d %v", res.StatusCode, res.errorSummary())
	}
}

// The marking page costs a bounded number of queries, counting the session, however long
// the work or however many criteria and marks.
func TestMarkingPageQueryCountIsBounded(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	sid, fm, _ := a.allocatedSheet(f, spec)
	path := "/marking/" + sid + "/first"
	fm.get(path) // the specification is read once per running service
	before, _ := a.queriesFor(fm, path)
	if res := fm.post(path, allMarks(spec, version(fm.get(path)), "save")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %v", res.StatusCode, res.errorSummary())
	}
	fm.get(path) // shows the "saved" message once, which changes the session
	after, res := a.queriesFor(fm, path)
	if res.StatusCode != http.StatusOK || after > 5 || after != before {
		t.Errorf("the marking page ran %d queries with no marks and %d with every criterion marked; want at most 5 either way", before, after)
	}
}
