package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/programme"
)

func TestParticipantHomeContinueAndNews(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := context.Background()
	s := programme.Store{DB: a.pool}
	s.PostNews(ctx, "For everyone", "Hello **all**", nil, nil, 0)              //nolint:errcheck
	s.PostNews(ctx, "For my cohort", "Block dates", nil, &f.cohortID, 0)       //nolint:errcheck
	s.PostNews(ctx, "For the other cohort", "Not for Pam", nil, &f.cohort2, 0) //nolint:errcheck
	c := a.as(f.participant)
	res := c.get("/home")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	news := res.text("main")
	if !strings.Contains(news, "For everyone") || !strings.Contains(news, "For my cohort") || strings.Contains(news, "For the other cohort") {
		t.Errorf("news shown: %q", news)
	}
	href, _ := res.Doc.Find(`[data-testid="continue"]`).Attr("href")
	if href != fmt.Sprintf("/learn/%d/%d", f.block1, f.intro) {
		t.Errorf("continue goes to %q", href)
	}
	if !strings.Contains(news, "You are on block 1: Leading improvement") {
		t.Errorf("current block not shown: %q", news)
	}
	// After opening the study item, continue points back at it.
	c.get(fmt.Sprintf("/learn/%d/%d", f.block1, f.study))
	href, _ = c.get("/home").Doc.Find(`[data-testid="continue"]`).Attr("href")
	if href != fmt.Sprintf("/learn/%d/%d", f.block1, f.study) {
		t.Errorf("after opening the study item, continue goes to %q", href)
	}
}

func TestParticipantMarksDoneAndProgressChanges(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	c := a.as(f.participant)
	percents := func() []string {
		var out []string
		c.get("/progress").Doc.Find(`[data-testid="block-percent-value"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.Text())
		})
		return out
	}
	if got := percents(); fmt.Sprint(got) != "[0% 0%]" {
		t.Fatalf("before: %v", got)
	}
	item := fmt.Sprintf("/learn/%d/%d", f.block1, f.study)
	page := c.get(item)
	if !strings.Contains(page.text(`[data-testid="item-body"]`), "The evidence says") || strings.Contains(page.Body, "<script>alert") {
		t.Errorf("item body: %q", page.text(`[data-testid="item-body"]`))
	}
	link, _ := page.Doc.Find(`[data-testid="statements"] a`).Attr("href")
	if link != "/frameworks/npqh-2019#s-criterion-1-3-1" {
		t.Errorf("statement link %q", link)
	}
	// Marking done twice (a double click) records one completion.
	for range 2 {
		res := c.post(item+"/complete", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != item {
			t.Fatalf("complete: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	}
	if n := a.count(`SELECT count(*) FROM item_completions WHERE enrolment_id = $1`, f.enrolment); n != 1 {
		t.Errorf("%d completion records", n)
	}
	if !strings.Contains(c.get(item).text(`[data-testid="completed"]`), "Completed on") {
		t.Error("item does not show it is done")
	}
	// Block 1 has 3 required items (intro, study, webinar): one done is 33%; the course has 4.
	if got := percents(); fmt.Sprint(got) != "[33% 0%]" {
		t.Errorf("after: %v", got)
	}
	if got := c.get("/progress").text("main"); !strings.Contains(got, "25% of the whole course: 1 of 4 required activities done") {
		t.Errorf("overall: %q", got)
	}
	// A webinar is completed by the register, not by the participant.
	res := c.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.webinar), nil)
	if res.StatusCode != http.StatusUnprocessableEntity || a.count(`SELECT count(*) FROM item_completions`) != 1 {
		t.Errorf("completing a webinar: %d", res.StatusCode)
	}
	// Completion records are never rewritten, even by the database owner.
	if _, err := a.pool.Exec(context.Background(), `UPDATE item_completions SET source = 'admin'`); err == nil {
		t.Error("item_completions can be updated")
	}
}

func TestLearnShowsOpenAndNotYetOpenBlocks(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	c := a.as(f.participant)
	res := c.get("/learn")
	states := res.Doc.Find(`[data-testid="block-state"]`)
	if states.Length() != 2 || !strings.Contains(states.Eq(0).Text(), "Not started") || !strings.Contains(states.Eq(1).Text(), "Opens on") {
		t.Errorf("block states: %q", states.Text())
	}
	if res.Doc.Find(fmt.Sprintf(`a[href="/learn/%d"]`, f.block2)).Length() != 0 {
		t.Error("a block that is not open is linked")
	}
	// Its pages are closed, and its content never shown.
	for _, path := range []string{fmt.Sprintf("/learn/%d", f.block2), fmt.Sprintf("/learn/%d/%d", f.block2, f.later)} {
		res := c.get(path)
		if res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "Secret block 2 content") || !strings.Contains(res.text("h1"), "has not opened yet") {
			t.Errorf("%s: %d %q", path, res.StatusCode, res.text("h1"))
		}
	}
	if res := c.post(fmt.Sprintf("/learn/%d/%d/complete", f.block2, f.later), nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("completing in a closed block: %d", res.StatusCode)
	}
	block := c.get(fmt.Sprintf("/learn/%d", f.block1))
	if n := block.Doc.Find(`[data-testid="item"]`).Length(); n != 5 {
		t.Errorf("%d items in block 1", n)
	}
}

func TestParticipantsSeeOnlyTheirOwnCourse(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	// Olu is in the other cohort of the same course: same blocks, own progress.
	pam := a.as(f.participant)
	pam.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.study), nil)
	olu := a.as(f.other)
	if got := olu.get("/progress").text(`[data-testid="block-percent"]`); !strings.HasPrefix(got, "0%") {
		t.Errorf("Olu sees progress %q", got)
	}
	// Someone not enrolled on the course gets 404 for its blocks and items.
	stranger, _ := a.signedIn(auth.RoleParticipant)
	for _, path := range []string{fmt.Sprintf("/learn/%d", f.block1), fmt.Sprintf("/learn/%d/%d", f.block1, f.study), "/learn/999999", "/learn/abc", fmt.Sprintf("/learn/%d/999999", f.block1)} {
		if res := stranger.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	if res := stranger.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.study), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("stranger completing: %d", res.StatusCode)
	}
	if res := stranger.get("/learn"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("/learn without an enrolment: %d", res.StatusCode)
	}
	if !strings.Contains(stranger.get("/home").text("main"), "not enrolled on a course yet") {
		t.Error("home without an enrolment")
	}
}

func TestDeferredParticipantLosesContentButSeesStatus(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := context.Background()
	tx, _ := a.pool.Begin(ctx)
	if err := programme.RecordStatus(ctx, tx, f.enrolment, programme.StatusDeferred, a.now(), "long-term-sickness", 0); err != nil {
		t.Fatal(err)
	}
	tx.Commit(ctx) //nolint:errcheck
	c := a.as(f.participant)
	home := c.get("/home")
	if home.text(`[data-testid="enrolment-status"]`) != "Deferred" || !strings.Contains(home.text(`[data-testid="status-explanation"]`), "deferred") {
		t.Errorf("home: %q", home.text("main"))
	}
	if home.Doc.Find(`[data-testid="continue"]`).Length() != 0 {
		t.Error("continue offered while deferred")
	}
	for _, path := range []string{"/learn", "/progress", fmt.Sprintf("/learn/%d", f.block1), fmt.Sprintf("/learn/%d/%d", f.block1, f.study)} {
		res := c.get(path)
		if res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "The evidence says") {
			t.Errorf("%s while deferred: %d", path, res.StatusCode)
		}
	}
	if res := c.post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.study), nil); res.StatusCode != http.StatusForbidden || a.count(`SELECT count(*) FROM item_completions`) != 0 {
		t.Errorf("completing while deferred: %d", res.StatusCode)
	}
	// The history is append-only and the status follows it.
	if _, err := a.pool.Exec(ctx, `DELETE FROM enrolment_status_history`); err == nil {
		t.Error("status history can be deleted")
	}
	var status string
	a.pool.QueryRow(ctx, `SELECT status FROM enrolments WHERE id = $1`, f.enrolment).Scan(&status) //nolint:errcheck
	if status != "deferred" {
		t.Errorf("status %q", status)
	}
}

// The participant's pages cost a fixed number of queries, whatever the course's size: two
// for the session (read, and the write that extends its idle timeout), one for the user, and
// at most five for the page (Home adds one for an assessment that is due).
func TestParticipantPagesQueryCountsAreBounded(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	c := a.as(f.participant)
	paths := []string{"/home", "/progress", "/learn", fmt.Sprintf("/learn/%d", f.block1)}
	measure := func() []int {
		var out []int
		for _, p := range paths {
			n, res := a.queriesFor(c, p)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", p, res.StatusCode)
			}
			out = append(out, n)
		}
		return out
	}
	before := measure()
	// Grow the course tenfold: many items, completions and news posts.
	s := programme.Store{DB: a.pool}
	ctx := context.Background()
	for i := range 40 {
		id, err := s.SaveItem(ctx, f.block1, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: fmt.Sprintf("Extra %d", i), ExpectedMinutes: 30, Required: true})
		if err != nil {
			t.Fatal(err)
		}
		programme.CompleteItem(ctx, a.pool, f.enrolment, id, "participant", 0) //nolint:errcheck
		s.PostNews(ctx, fmt.Sprintf("News %d", i), "x", nil, nil, 0)           //nolint:errcheck
	}
	after := measure()
	for i, p := range paths {
		if after[i] != before[i] || after[i] > 8 {
			t.Errorf("%s: %d queries before, %d after", p, before[i], after[i])
		}
	}
}

func TestPartnerStaffSeeOnlyTheirCohorts(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	home := staff.get("/partner")
	if !strings.Contains(home.text(`[data-testid="cohorts"]`), "NPQH Riverside") || strings.Contains(home.text("main"), "NPQH Hillside") {
		t.Errorf("partner home: %q", home.text("main"))
	}
	res := staff.get(fmt.Sprintf("/partner/cohorts/%d", f.cohortID))
	if res.StatusCode != 200 || res.Doc.Find(`[data-testid="roster-row"]`).Length() != 1 {
		t.Fatalf("roster: %d", res.StatusCode)
	}
	for _, path := range []string{fmt.Sprintf("/partner/cohorts/%d", f.cohort2), fmt.Sprintf("/partner/cohorts/%d/roster.csv", f.cohort2), "/partner/cohorts/999999", "/partner/cohorts/x"} {
		if res := staff.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
}

func TestRosterShowsProgressInactivitySortingAndCSV(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := context.Background()
	s := programme.Store{DB: a.pool}
	// Three more participants: one busy, one idle for 20 days, one never active.
	for i, name := range []string{"Busy Bea", "Idle Ian", "Never Nia"} {
		id, err := s.Enrol(ctx, programme.NewEnrolment{Email: fmt.Sprintf("p%d@school.test", i), Name: name, CohortID: f.cohortID, FundingRoute: programme.FundingSchoolFunded}, 0, a.ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		switch i {
		case 0:
			programme.CompleteItem(ctx, a.pool, id, f.intro, "participant", 0)                   //nolint:errcheck
			programme.CompleteItem(ctx, a.pool, id, f.study, "participant", 0)                   //nolint:errcheck
			a.pool.Exec(ctx, `UPDATE enrolments SET last_activity_at = now() WHERE id = $1`, id) //nolint:errcheck
		case 1:
			a.pool.Exec(ctx, `UPDATE enrolments SET last_activity_at = now() - interval '20 days' WHERE id = $1`, id) //nolint:errcheck
		}
	}
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	res := staff.get(fmt.Sprintf("/partner/cohorts/%d?sort=progress&dir=desc", f.cohortID))
	rows := res.Doc.Find(`[data-testid="roster-row"]`)
	if rows.Length() != 4 || !strings.Contains(rows.First().Text(), "Busy Bea") || strings.TrimSpace(rows.First().Find(`[data-testid="roster-progress"]`).Text()) != "50%" {
		t.Fatalf("sorted by progress: %q", rows.First().Text())
	}
	// Pam never opened anything either: three of four highlighted at 14 days.
	if got := res.text(`[data-testid="inactive-count"]`); !strings.HasPrefix(got, "3 not active for 14 days") {
		t.Errorf("inactive count: %q", got)
	}
	if got := staff.get(fmt.Sprintf("/partner/cohorts/%d?inactive=25", f.cohortID)).text(`[data-testid="inactive-count"]`); !strings.HasPrefix(got, "2 not active for 25 days") {
		t.Errorf("inactive 25: %q", got)
	}
	for _, bad := range []string{"?sort=evil&dir=sideways&inactive=-5", "?inactive=abc", "?inactive=99999"} {
		if res := staff.get(fmt.Sprintf("/partner/cohorts/%d%s", f.cohortID, bad)); res.StatusCode != 200 {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	csvRes := staff.get(fmt.Sprintf("/partner/cohorts/%d/roster.csv", f.cohortID))
	if !strings.HasPrefix(csvRes.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csvRes.Body, "Busy Bea,p0@school.test,,NPQ in Headship,NPQH Riverside,Riverside Hub,Active,School-funded,") {
		t.Errorf("csv: %s", csvRes.Body)
	}
}

func TestRosterQueryCountIsBounded(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	path := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	before, _ := a.queriesFor(staff, path)
	s := programme.Store{DB: a.pool}
	ctx := context.Background()
	for i := range 30 {
		id, err := s.Enrol(ctx, programme.NewEnrolment{Email: fmt.Sprintf("many%d@school.test", i), Name: fmt.Sprintf("Many %d", i), CohortID: f.cohortID, FundingRoute: programme.FundingScholarship}, 0, a.ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		programme.CompleteItem(ctx, a.pool, id, f.intro, "participant", 0) //nolint:errcheck
	}
	after, res := a.queriesFor(staff, path)
	if res.Doc.Find(`[data-testid="roster-row"]`).Length() != 31 || after != before || after > 6 {
		t.Errorf("roster queries: %d with 1 participant, %d with 31", before, after)
	}
}
