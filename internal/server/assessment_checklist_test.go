package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The draft opens with what stops it being submitted, each item linked to its place.
func TestAssessmentChecklistComesFirstAndLinksToEachPlace(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	over := draftForm(spec)
	over.Set("text-task-1", over.Get("text-task-1")+strings.Repeat(" more", 3500))
	over.Set("text-task-2", "Nothing tagged yet")
	pam.post("/assessment", over)

	res := pam.get("/assessment")
	list := res.Doc.Find(`[data-testid=checklist]`)
	if list.Length() != 1 {
		t.Fatalf("no checklist: %s", res.text("main"))
	}
	// It comes before the draft's text and the documents.
	main := res.Doc.Find("main")
	html, _ := main.Html()
	if strings.Index(html, `data-testid="checklist"`) > strings.Index(html, `action="/assessment"`) {
		t.Error("the checklist is below the draft")
	}
	if got := res.text(`[data-testid=check-state]`); !strings.Contains(got, "to fix before you can submit") || !strings.Contains(got, "to check") {
		t.Errorf("state: %q", got)
	}
	if got := res.text(`[data-testid=stage]`); got != "Draft: not submitted" {
		t.Errorf("stage: %q", got)
	}
	links := list.Find(`[data-testid=findings] li a`)
	if links.Length() < 3 {
		t.Fatalf("%d findings linked", links.Length())
	}
	seen := map[string]bool{}
	links.Each(func(_ int, l *goquery.Selection) {
		href, _ := l.Attr("href")
		if !strings.HasPrefix(href, "#") || res.Doc.Find(`[id="`+href[1:]+`"]`).Length() != 1 {
			t.Errorf("%q links to %q, which is not on the page", l.Text(), href)
		}
		seen[href] = true
	})
	for _, want := range []string{"#text-task-1", "#text-task-2", "#slot-0"} {
		if !seen[want] {
			t.Errorf("nothing links to %s: %v", want, seen)
		}
	}
	if n := list.Find(`.govuk-tag--red`).Length(); n == 0 || list.Find(`.govuk-tag--yellow`).Length() == 0 {
		t.Errorf("hard and soft findings: %d hard", n)
	}
	if res.text(`[data-testid=read-submitted]`) != "" {
		t.Error("a first draft offers a previous submission")
	}
}

// After submitting, the participant can read their text again, read-only.
func TestParticipantRereadsTheirSubmission(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	if res := pam.get("/assessment/submitted"); res.StatusCode != 200 || res.text(`[data-testid=nothing-submitted]`) == "" {
		t.Fatalf("before submitting: %d %q", res.StatusCode, res.text("main"))
	}
	a.submitted(f, spec, pam)

	course := fmt.Sprintf("?course=%d", f.enrolment)
	res := pam.get("/assessment" + course)
	link := res.Doc.Find(`a[data-testid=read-submitted]`).AttrOr("href", "")
	if link != "/assessment/submitted"+course {
		t.Fatalf("link to the submitted text: %q", link)
	}
	res = pam.get(link)
	if res.StatusCode != 200 {
		t.Fatalf("submitted: %d", res.StatusCode)
	}
	want := draftForm(spec)
	for _, task := range spec.Tasks {
		got := res.text(`[data-testid=submitted-` + task.Key + `]`)
		if got != strings.TrimSpace(want.Get("text-"+task.Key)) {
			t.Errorf("%s: %.60q…", task.Key, got)
		}
	}
	if n := res.Doc.Find(`[data-testid=submitted-files] li`).Length(); n != len(spec.DocumentSlots()) {
		t.Errorf("%d documents listed", n)
	}
	if res.Doc.Find(`main form, main textarea`).Length() != 0 {
		t.Error("the submitted text can be edited")
	}
	if back := res.Doc.Find(`.govuk-back-link`).AttrOr("href", ""); back != "/assessment"+course {
		t.Errorf("back link: %q", back)
	}
	// Another participant sees only their own.
	if got := a.as(f.other).get("/assessment/submitted"); got.text(`[data-testid=nothing-submitted]`) == "" || strings.Contains(got.Body, "evidence evidence") {
		t.Errorf("another participant: %q", got.text("main"))
	}
}
