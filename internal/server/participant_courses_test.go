package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/internal/timefmt"
)

// release marks a submitted assessment by two markers, met on every criterion (or not met
// on the first when pass is false), and releases it.
func (a *testApp) release(id int64, spec assessment.Spec, pass bool) {
	a.t.Helper()
	ctx := context.Background()
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider, BaseURL: a.ts.URL}
	marks := map[string]assessment.Mark{}
	for _, c := range spec.Criteria {
		marks[c.Key()] = assessment.Mark{Judgement: assessment.Met}
	}
	if !pass {
		marks[spec.Criteria[0].Key()] = assessment.Mark{Judgement: assessment.NotMet, Comment: "Not evidenced."}
	}
	for _, x := range []struct {
		role, email string
	}{{assessment.RoleFirst, "m1@markers.test"}, {assessment.RoleSecond, "m2@markers.test"}} {
		var m auth.User
		if err := a.pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, x.email).Scan(&m.ID); err != nil {
			m = a.marker(x.email, 0)
		}
		if err := st.Allocate(ctx, id, x.role, m.ID, 0); err != nil {
			a.t.Fatal(err)
		}
		sh, _ := st.Sheet(ctx, id, x.role)
		if err := st.SaveSheet(ctx, id, x.role, m.ID, assessment.SheetInput{Marks: marks, Version: sh.Version, Complete: true}, a.now()); err != nil {
			a.t.Fatal(err)
		}
	}
	if _, err := st.Release(ctx, []int64{id}, 0, a.now()); err != nil {
		a.t.Fatal(err)
	}
}

// secondCourse enrols the fixture participant on a second course (NPQ in Senior Leadership),
// active, with one open block and its assessment months away; it returns the enrolment.
func (a *testApp) secondCourse(f *programmeFixture) int64 {
	a.t.Helper()
	ctx := context.Background()
	s := programme.Store{DB: a.pool}
	must := func(id int64, err error) int64 {
		a.t.Helper()
		if err != nil {
			a.t.Fatal(err)
		}
		return id
	}
	today := a.today()
	course := must(s.CreateCourse(ctx, programme.Course{QualificationCode: "NPQSL", Name: "NPQ in Senior Leadership", StudyMonths: 12, AssessmentMonths: 3}))
	block := must(s.AddBlock(ctx, course, "Strategy and improvement", ""))
	must(s.SaveItem(ctx, block, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Self-study: strategy", ExpectedMinutes: 60, Required: true}))
	cohort := must(s.CreateCohort(ctx, programme.NewCohort{CourseID: course, PartnerID: f.partnerID, Name: "NPQSL Riverside", ScheduleIdentifier: "npq-leadership-autumn",
		StartsOn: today.AddDate(0, -2, 0), StudyEndsOn: today.AddDate(1, 0, 0), AssessmentOpensOn: today.AddDate(1, 0, 0), AssessmentClosesOn: today.AddDate(1, 3, 0),
		BlockOpens: map[int64]time.Time{block: today.AddDate(0, -2, 0)}}))
	return must(s.Enrol(ctx, enrolIn(f.participant.Email, cohort), 0, a.ts.URL))
}

// A released result stays in reach when the participant is busy on another course: from
// Home, from the result email's link, and through the course switcher.
func TestReleasedResultReachableWithAnotherCourse(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	id := a.submitted(f, spec, pam)
	a.release(id, spec, true)
	second := a.secondCourse(f)
	first := fmt.Sprintf("/assessment?course=%d", f.enrolment)

	var body string
	a.pool.QueryRow(context.Background(), `SELECT body FROM outbox WHERE subject LIKE 'Your assessment result%' ORDER BY id DESC LIMIT 1`).Scan(&body) //nolint:errcheck
	if !strings.Contains(body, a.ts.URL+first+"\n") {
		t.Errorf("the result email links to: %q", body)
	}
	res := pam.get(first)
	if res.StatusCode != 200 || !strings.Contains(res.text("[data-testid=outcome]"), "pass") {
		t.Errorf("the emailed link: %d %q", res.StatusCode, res.text("main"))
	}
	// Home has a card for the finished course: outcome, date, what happens next, the result.
	home := pam.get("/home")
	card := home.Doc.Find(`[data-testid="course-card"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "NPQ in Headship")
	})
	if card.Length() != 1 || !strings.Contains(card.Text(), "You have passed") || !strings.Contains(card.Text(), "DfE") ||
		!strings.Contains(card.Text(), "Result released") {
		t.Fatalf("home: %q", home.text("main"))
	}
	if href, _ := card.Find(`[data-testid="standing-step"]`).Attr("href"); href != first {
		t.Errorf("home's result link: %q", href)
	}
	// The active course is the one shown in full, and its pages are reached with its id.
	if got := home.text(`[data-testid="primary-course"]`); !strings.Contains(got, "NPQ in Senior Leadership") {
		t.Errorf("primary course: %q", got)
	}
	// Without a course, the assessment page offers the switch to the other course.
	res = pam.get("/assessment")
	link := res.Doc.Find(`[data-testid="course-switcher"] a`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "NPQ in Headship")
	})
	if href, _ := link.Attr("href"); href != first {
		t.Errorf("switcher on /assessment: %q", res.text("main"))
	}
	_ = second
}

// Every participant page works per course: the URL chooses it, a switcher lists the others,
// and a course that is not the participant's is a 404.
func TestParticipantPagesWorkPerCourse(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	second := a.secondCourse(f)
	pam := a.as(f.participant)
	for _, page := range []string{"/progress", "/learn", "/events", "/requests", "/assessment"} {
		res := pam.get(fmt.Sprintf("%s?course=%d", page, second))
		if res.StatusCode != 200 || !strings.Contains(res.text("main"), "NPQ in Senior Leadership") {
			t.Errorf("%s for the second course: %d %q", page, res.StatusCode, res.text("main"))
			continue
		}
		links := res.Doc.Find(`[data-testid="course-switcher"] a`)
		current, _ := links.Filter(`[aria-current="page"]`).Attr("href")
		if links.Length() != 2 || current != fmt.Sprintf("%s?course=%d", page, second) {
			t.Errorf("%s switcher: %d links, current %q", page, links.Length(), current)
		}
		for _, bad := range []string{fmt.Sprint(f.enrolment2), "abc", "999999"} {
			if res := pam.get(page + "?course=" + bad); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s?course=%s: %d", page, bad, res.StatusCode)
			}
		}
	}
	// The header keeps the chosen course on every course page; Home shows every course.
	nav := pam.get(fmt.Sprintf("/events?course=%d", second)).Doc.Find("#navigation a")
	for _, label := range []string{"Progress", "Learn", "Events", "Assessment", "Requests"} {
		link := nav.FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.TrimSpace(s.Text()) == label })
		if href, _ := link.Attr("href"); href != fmt.Sprintf("/%s?course=%d", strings.ToLower(label), second) {
			t.Errorf("header %s links to %q", label, href)
		}
	}
	if cur := nav.Filter(`[aria-current="page"]`); strings.TrimSpace(cur.Text()) != "Events" {
		t.Errorf("current header item: %q", cur.Text())
	}
	if href, _ := nav.First().Attr("href"); href != "/home" {
		t.Errorf("header Home links to %q", href)
	}
	// Learn for the second course lists its block, not the first course's.
	if got := pam.get(fmt.Sprintf("/learn?course=%d", second)).text(`[data-testid="blocks"]`); !strings.Contains(got, "Strategy and improvement") || strings.Contains(got, "Leading improvement") {
		t.Errorf("learn: %q", got)
	}
	// Its block page leads back to its own Learn page.
	learn := pam.get(fmt.Sprintf("/learn?course=%d", second))
	blockHref, _ := learn.Doc.Find(`[data-testid="blocks"] a`).Attr("href")
	if back, _ := pam.get(blockHref).Doc.Find(".govuk-back-link").Attr("href"); back != fmt.Sprintf("/learn?course=%d", second) {
		t.Errorf("block %s leads back to %q", blockHref, back)
	}
	// Asking to defer the second course is about that course, and comes back to it.
	form := pam.get(fmt.Sprintf("/requests/defer?course=%d", second))
	if action, _ := form.Doc.Find("main form").Attr("action"); action != fmt.Sprintf("/requests/defer?course=%d", second) {
		t.Errorf("defer form action %q", action)
	}
	// Home shows one card per course, each with a link to its own pages.
	home := pam.get("/home")
	if n := home.Doc.Find(`[data-testid="course-card"]`).Length(); n != 1 || home.Doc.Find(`[data-testid="primary-course"]`).Length() != 1 {
		t.Errorf("home: %d other course cards", n)
	}
	// One participant's pages with a single course have no switcher.
	olu := a.as(f.other)
	if olu.get("/learn").Doc.Find(`[data-testid="course-switcher"]`).Length() != 0 {
		t.Error("switcher shown with one course")
	}
}

// A deferred participant is told where they stand on every page: the return date and cohort
// and the letter on Home, the same on Events and Requests; their old cohort's news goes; and
// when the provider asks them to confirm their return, Home asks until they answer.
func TestDeferredParticipantSeesWhereTheyStand(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	ctx := t.Context()
	today := a.today()
	(programme.Store{DB: a.pool}).PostNews(ctx, "Block 2 dates for Riverside", "x", nil, &f.cohortID, 0) //nolint:errcheck
	returnOn := today.AddDate(0, 2, 0)
	req, err := a.srv.lifecycle.Create(ctx, lifecycle.NewRequest{EnrolmentID: f.enrolment, Kind: lifecycle.KindDeferral, Reason: "parental-leave",
		StartsOn: today, PlannedReturnOn: &returnOn, Source: "participant"})
	if err != nil {
		t.Fatal(err)
	}
	admin, adminUser := a.signedIn(auth.RoleProviderAdmin)
	if _, err := a.srv.lifecycle.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: today, ReturnCohortID: next,
		ReturnOn: returnOn, ActorID: adminUser.ID, Now: a.now()}); err != nil {
		t.Fatal(err)
	}
	pam := a.as(f.participant)
	home := pam.get("/home")
	main := home.text("main")
	if !strings.Contains(main, "Your place is deferred") || !strings.Contains(main, "NPQH Riverside next") || !strings.Contains(main, timefmt.Date(returnOn)) {
		t.Errorf("home while deferred: %q", main)
	}
	if href, _ := home.Doc.Find(`[data-testid="standing-letter"]`).Attr("href"); !strings.HasPrefix(href, "/letters/") {
		t.Errorf("letter link %q", href)
	}
	if strings.Contains(main, "Block 2 dates for Riverside") {
		t.Error("the old cohort's news is shown while deferred")
	}
	for _, page := range []string{"/events", "/requests", "/learn", "/progress", "/assessment"} {
		if got := pam.get(page).text("main"); !strings.Contains(got, "Your place is deferred") || strings.Contains(got, "has not scheduled any sessions") {
			t.Errorf("%s while deferred: %q", page, got)
		}
	}
	// The provider asks: Home asks too, until it is answered there.
	if res := admin.post(fmt.Sprintf("/admin/requests/%d/ask-return", req), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d", res.StatusCode)
	}
	home = pam.get("/home")
	question := home.Doc.Find(`[data-testid="question"]`)
	if question.Length() != 1 || !strings.Contains(question.Text(), "Will you return on "+timefmt.Date(returnOn)) {
		t.Fatalf("no question on home: %q", home.text("main"))
	}
	for _, page := range []string{"/events", "/requests", "/learn", "/progress", "/assessment"} {
		if got := pam.get(page).text(`[data-testid="status-explanation"]`); !strings.Contains(got, "Please confirm you will return") {
			t.Errorf("%s once asked: %q", page, got)
		}
	}
	action, _ := question.Find("form").Attr("action")
	if res := pam.post(action, url.Values{"from": {"home"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/home" {
		t.Errorf("no answer: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res := pam.post(action, url.Values{"from": {"home"}, "answer": {"yes"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/home" {
		t.Fatalf("answer: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	home = pam.get("/home")
	if home.Doc.Find(`[data-testid="question"]`).Length() != 0 || !strings.Contains(home.text("main"), "You are returning") {
		t.Errorf("after answering: %q", home.text("main"))
	}
}

// Continue goes to the first required activity that can be done now: a session whose dates
// have all passed unbooked is passed over, its page says so and who to ask, and Home never
// sends the participant to Learn to find a date it does not show.
func TestContinueAfterTheLastBookableDateOfASession(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	a.pool.Exec(t.Context(), `UPDATE delivery_partners SET contact_name = 'Rita Lead', contact_email = 'npq@riverside.test' WHERE id = $1`, f.partnerID) //nolint:errcheck
	a.scheduleEvent(f, f.webinar, 2, new(10))
	pam := a.as(f.participant)
	pam.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.intro), nil)
	pam.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.study), nil)
	webinar := fmt.Sprintf("/learn/%d/%d", f.block1, f.webinar)
	if href, _ := pam.get("/home").Doc.Find(`[data-testid="continue"]`).Attr("href"); href != webinar {
		t.Fatalf("with a date to book, continue goes to %q", href)
	}
	// The date passes unbooked.
	a.clock.Set(a.now().AddDate(0, 0, 3))
	home := pam.get("/home")
	if home.Doc.Find(`[data-testid="continue"]`).Length() != 0 {
		href, _ := home.Doc.Find(`[data-testid="continue"]`).Attr("href")
		t.Errorf("continue still offered: %q", href)
	}
	if got := home.text(`[data-testid="stuck"]`); !strings.Contains(got, "Webinar: its dates have passed") {
		t.Errorf("stuck: %q", got)
	}
	allDone := home.text(`[data-testid="all-done"]`)
	if strings.Contains(allDone, "date shown on Learn") || !strings.Contains(allDone, "Block 2: Leading culture opens on") {
		t.Errorf("all done: %q", allDone)
	}
	page := pam.get(webinar)
	help := page.text(`[data-testid="session-help"]`)
	if !strings.Contains(help, "dates for this session have passed") || !strings.Contains(help, "Rita Lead") || strings.Contains(help, "Book a date") {
		t.Errorf("webinar page: %q", help)
	}
	// A later date is offered once the partner schedules one.
	a.scheduleEvent(f, f.webinar, 10, new(10))
	if href, _ := pam.get("/home").Doc.Find(`[data-testid="continue"]`).Attr("href"); href != webinar {
		t.Errorf("with a later date, continue goes to %q", href)
	}
	if got := pam.get(webinar).text(`[data-testid="session-help"]`); !strings.Contains(got, "Book a date") {
		t.Errorf("with a later date: %q", got)
	}
}

// A participant behind the block calendar is told how far, and what to do first.
func TestParticipantBehindTheCalendarIsToldKindly(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	pam := a.as(f.participant)
	if got := pam.get("/home").text(`[data-testid="behind"]`); got != "" {
		t.Errorf("on track: %q", got)
	}
	a.clock.Set(a.now().AddDate(0, 1, 2)) // block 2 has opened; block 1 is not done
	home := pam.get("/home")
	if got := home.text(`[data-testid="behind"]`); !strings.Contains(got, "Block 2: Leading culture opened on") || !strings.Contains(got, "one earlier block") {
		t.Errorf("behind: %q", got)
	}
	if href, _ := home.Doc.Find(`[data-testid="continue"]`).Attr("href"); href != fmt.Sprintf("/learn/%d/%d", f.block1, f.intro) {
		t.Errorf("first thing to do: %q", href)
	}
}
