package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/browsertest"
)

// From a participant's draft to submission, anonymous marking, the admin moderating a
// disagreement, release, and the participant reading their outcome and feedback.
func TestBrowserAssessmentJourney(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	admin := a.userFor(auth.RoleProviderAdmin)
	first, second := a.marker("first@markers.test", 0), a.marker("second@markers.test", 0)
	ctx := browsertest.New(t)
	check := func() { t.Helper(); browsertest.CheckAccessibility(t, ctx) }
	signOut := func() {
		t.Helper()
		browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="sign-out"]`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	}
	// submit clicks a button and waits for the page it leads to.
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.dataset.left = "yes"; true`)); err != nil {
			t.Fatal(err)
		}
		browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(`body:not([data-left]) [data-testid="page-title"]`)))
	}
	pdf := filepath.Join(t.TempDir(), "evidence.pdf")
	if err := os.WriteFile(pdf, testPDF, 0o600); err != nil {
		t.Fatal(err)
	}

	// The participant drafts, attaches documents, checks and submits.
	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/assessment"), chromedp.WaitVisible(chromedp.CSS(`form[action="/assessment/start"] button`)))
	check()
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/assessment/start"] button`)), chromedp.WaitVisible(chromedp.CSS("#text-task-1")))
	form := draftForm(spec)
	for _, task := range spec.Tasks {
		browsertest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#text-"+task.Key), form.Get("text-"+task.Key)))
	}
	// The live count follows typing; the server's count is the one saved.
	browsertest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#text-task-2"), " two more"))
	want := strconv.Itoa(assessment.WordCount(form.Get("text-task-2") + " two more"))
	if got := browsertest.Text(t, ctx, `[data-word-count-for="text-task-2"]`); got != want {
		t.Errorf("live word count %s, want %s", got, want)
	}
	submit(`form[action="/assessment"] button`)
	check()
	// On a phone, the checklist starts in the first screen.
	browsertest.Run(t, ctx, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="checklist"]`)))
	if top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('[data-testid="checklist"]').getBoundingClientRect().top`)); err != nil || top > 640 {
		t.Errorf("the checklist starts %vpx down a 640px phone screen (%v)", top, err)
	}
	browsertest.Run(t, ctx, chromedp.ResetViewport(), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`[data-testid="checklist"]`)))
	// The checklist at the top links straight to the first missing document's upload.
	browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="findings"] a[href="#slot-0"]`)))
	if focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`)); err != nil || focused != "#slot-0" {
		t.Errorf("checklist link: %q %v", focused, err)
	}
	for i := range spec.DocumentSlots() {
		sel := fmt.Sprintf("#slot-%d", i)
		browsertest.Run(t, ctx,
			chromedp.SetUploadFiles(chromedp.CSS(sel), []string{pdf}),
		)
		submit(`form:has(` + sel + `) button`)
	}
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="check-ok"]`)))
	check()
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/assessment")
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/assessment"), chromedp.WaitVisible(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS("#confirm")),
	)
	submit(`form[action="/assessment/submit"] button`)
	browsertest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="submitted"]`)))
	check()
	// What was submitted can be read again.
	submit(`a[data-testid="read-submitted"]`)
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="submitted-task-2"]`); !strings.Contains(got, "evidence") {
		t.Errorf("submitted text: %.80q", got)
	}
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/assessment/submitted")
	id, _ := a.submission(f.enrolment)
	sid := strconv.FormatInt(id, 10)
	signOut()

	allocate := func(role string, marker auth.User) {
		t.Helper()
		browsertest.Run(t, ctx,
			chromedp.Navigate(a.ts.URL+"/admin/assessment/"+sid), chromedp.WaitVisible(chromedp.CSS("#marker")),
			chromedp.SetValue(chromedp.CSS("#role"), role),
			chromedp.SetValue(chromedp.CSS("#marker"), strconv.FormatInt(marker.ID, 10)),
		)
		submit(`form[action$="/allocate"] button`)
		check()
	}
	// judge marks every criterion on the sheet at path met, except the first when notMetFirst.
	judge := func(path, role string, notMetFirst bool) {
		t.Helper()
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid="criterion"]`)))
		check()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="criterion"]').length`))
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			radio := fmt.Sprintf("#j-%d-2", i) // met
			if i == 0 && notMetFirst {
				radio = fmt.Sprintf("#j-%d", i)
			}
			browsertest.Run(t, ctx, chromedp.Click(chromedp.CSS(radio)))
		}
		browsertest.Run(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#c-0"), "Evidence of impact is "+role+" judged."),
			chromedp.SendKeys(chromedp.CSS("#feedback"), "Feedback from "+role+"."),
		)
		submit(`button[value="complete"]`)
	}
	// mark is an assessor's marking, anonymous.
	mark := func(u auth.User, role string, notMetFirst bool) {
		t.Helper()
		signInBrowser(t, ctx, a, u.Email)
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/marking"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="allocated"] a`)))
		check()
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/marking/"+sid+"/"+role), chromedp.WaitVisible(chromedp.CSS(`[data-testid="criterion"]`)))
		body := browsertest.Text(t, ctx, "body")
		if strings.Contains(body, f.participant.Name) || strings.Contains(body, f.participant.Email) {
			t.Errorf("%s's marking page shows the participant", role)
		}
		judge("/marking/"+sid+"/"+role, role, notMetFirst)
		signOut()
	}

	signInBrowser(t, ctx, a, admin.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/admin/assessment"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="submissions"]`)))
	check()
	allocate(assessment.RoleFirst, first)
	signOut()
	mark(first, assessment.RoleFirst, true) // a fail: sampled for second marking

	signInBrowser(t, ctx, a, admin.Email)
	allocate(assessment.RoleSecond, second)
	signOut()
	mark(second, assessment.RoleSecond, false) // disagrees on the first criterion

	// The admin moderates the disagreement themselves and agrees it was met.
	signInBrowser(t, ctx, a, admin.Email)
	allocate(assessment.RoleModerator, admin)
	judge("/admin/assessment/"+sid+"/moderate", assessment.RoleModerator, false)
	browsertest.Run(t, ctx,
		chromedp.Navigate(a.ts.URL+"/admin/assessment"), chromedp.WaitVisible(chromedp.CSS("#release-0")),
		chromedp.Click(chromedp.CSS("#release-0")),
	)
	submit(`form[action="/admin/assessment/release"] button`)
	check()
	// Releasing is checked first, with what it does.
	if got := browsertest.Text(t, ctx, `[data-testid="consequences"]`); !strings.Contains(got, "DfE will be told") {
		t.Errorf("release consequences: %q", got)
	}
	submit(`[data-testid="confirm"]`)
	check()
	for _, p := range []string{"/admin/assessment/assessors", fmt.Sprintf("/admin/courses/%d/assessment", f.courseID),
		fmt.Sprintf("/admin/enrolments/%d/extension", f.enrolment), "/admin/assessment/" + sid} {
		browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
		check()
	}
	signOut()

	signInBrowser(t, ctx, a, f.participant.Email)
	browsertest.Run(t, ctx, chromedp.Navigate(a.ts.URL+"/assessment"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="outcome"]`)))
	check()
	if got := browsertest.Text(t, ctx, `[data-testid="outcome"]`); !strings.Contains(got, "You passed") {
		t.Errorf("outcome %q", got)
	}
	if got := browsertest.Text(t, ctx, "main"); !strings.Contains(got, "Evidence of impact is moderator judged.") || !strings.Contains(got, "Feedback from moderator.") {
		t.Errorf("feedback: %q", got)
	}
	browsertest.CheckFitsPhone(t, ctx, a.ts.URL+"/assessment")
}
