package server

import (
	"context"

	"fmt"
	"github.com/PuerkitoBio/goquery"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/dfe/milestones"
)

// milestonesFixture gives pam (Riverside) and olu (Hillside) DfE ids on DfE's 2024
// npq-leadership-autumn schedule and works the milestones out three weeks before its started
// deadline (25 November 2024): both are at risk, each on their own partner's page.
func (a *testApp) milestonesFixture(extra int) *recordFixture {
	a.t.Helper()
	ctx := context.Background()
	f := a.recordFixture()
	ids := []int64{f.enrolment, f.enrolment2}
	for i := range extra {
		id, err := a.srv.programme.Enrol(ctx, enrolIn(fmt.Sprintf("extra%02d@school.test", i), f.cohortID), 0, "")
		if err != nil {
			a.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for _, sql := range []string{
		`UPDATE delivery_partners SET dfe_id = gen_random_uuid() WHERE dfe_id IS NULL`,
		`UPDATE users SET dfe_participant_id = gen_random_uuid() FROM enrolments e WHERE e.id = ANY($1) AND users.id = e.user_id`,
		`UPDATE enrolments SET dfe_application_id = gen_random_uuid(), dfe_course_identifier = 'npq-headship', dfe_cohort = '2024',
			dfe_schedule_identifier = 'npq-leadership-autumn' WHERE id = ANY($1)`,
	} {
		args := []any{ids}
		if !strings.Contains(sql, "$1") {
			args = nil
		}
		if _, err := a.pool.Exec(ctx, sql, args...); err != nil {
			a.t.Fatal(err)
		}
	}
	if _, err := milestones.Recompute(ctx, a.pool, time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC)); err != nil {
		a.t.Fatal(err)
	}
	return f
}

func TestPartnerMilestonesListsOnlyTheirOwnParticipants(t *testing.T) {
	a := newTestApp(t)
	f := a.milestonesFixture(0)
	staff := a.as(f.staff)
	n, res := a.queriesFor(staff, "/partner/milestones")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("milestones: %d", res.StatusCode)
	}
	if n > 5 {
		_, qs := a.queries.Count()
		t.Errorf("the page ran %d queries: %q", n, qs)
	}
	rows := res.Doc.Find(`[data-testid="milestone-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), f.participant.Email) || strings.Contains(res.text("main"), f.other.Email) {
		t.Fatalf("rows: %q", rows.Text())
	}
	if got := res.text(`[data-testid="milestone-missing"]`); got != "No session attended or activity completed yet" {
		t.Errorf("missing %q", got)
	}
	if got := res.text(`[data-testid="milestone-type"]`); !strings.Contains(got, "started") || !strings.Contains(got, "At risk") {
		t.Errorf("milestone %q", got)
	}
	if !strings.Contains(rows.Text(), "25 November 2024") || !strings.Contains(res.text(`[data-testid="computed-at"]`), "4 November 2024") {
		t.Errorf("deadline or when worked out: %q %q", rows.Text(), res.text(`[data-testid="computed-at"]`))
	}
	pam := strconv.FormatInt(f.participant.ID, 10)
	if href, _ := rows.Find(`a[href^="/partner/participants/"]`).Attr("href"); href != "/partner/participants/"+pam {
		t.Errorf("record link %q", href)
	}
	href, _ := rows.Find(`[data-testid="milestone-message"]`).Attr("href")
	if want := "/partner/messages/new?" + (url.Values{"back": {"/partner/milestones"}, "to": {pam}}).Encode(); href != want {
		t.Errorf("message link %q, want %q", href, want)
	}
	if res := staff.get(href); res.StatusCode != http.StatusOK {
		t.Errorf("compose: %d", res.StatusCode)
	}
	// Hillside's staff see olu and never pam, whatever they ask for.
	other := a.as(f.staff2)
	for _, path := range []string{"/partner/milestones", "/partner/milestones?q=pam", "/partner/milestones?state=at_risk&type=started"} {
		res := other.get(path)
		if res.StatusCode != http.StatusOK || strings.Contains(res.text("main"), f.participant.Email) {
			t.Errorf("%s: %d %q", path, res.StatusCode, res.text("main"))
		}
	}
	if !strings.Contains(other.get("/partner/milestones").text(`[data-testid="milestones"]`), f.other.Email) {
		t.Error("Hillside's staff do not see olu")
	}
	// Another partner's cohort is not a filter this partner's page offers.
	if res := staff.get(fmt.Sprintf("/partner/milestones?cohort=%d", f.cohort2)); res.StatusCode != http.StatusBadRequest {
		t.Errorf("another partner's cohort: %d", res.StatusCode)
	}
	if res := staff.get(fmt.Sprintf("/partner/milestones?cohort=%d&state=at_risk&type=started&course=%d", f.cohortID, f.courseID)); res.Doc.Find(`[data-testid="milestone-row"]`).Length() != 1 {
		t.Errorf("filtered to their cohort: %q", res.text("main"))
	}
	if res := staff.get("/partner/milestones?state=missed"); res.Doc.Find(`[data-testid="milestone-row"]`).Length() != 0 {
		t.Errorf("missed: %q", res.text("main"))
	}
	if !strings.Contains(staff.get("/partner").text(`[data-testid="milestones-link"]`), "at risk of missing a DfE milestone") {
		t.Error("the overview does not link the page")
	}
}

func TestPartnerMilestonesIsForPartnerStaffOnly(t *testing.T) {
	a := newTestApp(t)
	f := a.milestonesFixture(0)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for name, c := range map[string]*testClient{"admin": admin, "participant": a.as(f.participant)} {
		if res := c.get("/partner/milestones"); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	if res := a.client().get("/partner/milestones"); res.StatusCode == http.StatusOK || strings.Contains(res.text("main"), f.participant.Email) {
		t.Errorf("signed out: %d", res.StatusCode)
	}
}

func TestPartnerMilestonesBadFiltersAre400(t *testing.T) {
	a := newTestApp(t)
	f := a.milestonesFixture(0)
	staff := a.as(f.staff)
	for _, q := range []string{"state=on_track", "state=x", "type=retained-3", "cohort=abc", "cohort=-1", "course=x", "course=999999", "after=notacursor",
		"size=5", "after=" + url.QueryEscape(`WyJ4IiwiMSJd`)} {
		if res := staff.get("/partner/milestones?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
}

func TestPartnerMilestonesPages(t *testing.T) {
	a := newTestApp(t)
	f := a.milestonesFixture(12) // pam and twelve more at Riverside
	staff := a.as(f.staff)
	seen := map[string]bool{}
	path := "/partner/milestones?size=10"
	for pages := 1; ; pages++ {
		res := staff.get(path)
		if res.StatusCode != http.StatusOK || pages > 2 {
			t.Fatalf("page %d: %d", pages, res.StatusCode)
		}
		res.Doc.Find(`[data-testid="milestone-row"] a[href^="/partner/participants/"]`).Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			if seen[href] {
				t.Errorf("%s twice", href)
			}
			seen[href] = true
		})
		next, ok := res.Doc.Find(`.govuk-pagination__next a`).Attr("href")
		if !ok {
			break
		}
		path = next
	}
	if len(seen) != 13 {
		t.Errorf("saw %d of 13", len(seen))
	}
}

func TestPartnerMilestonesSaysWhoHasNoPublishedDeadline(t *testing.T) {
	a := newTestApp(t)
	f := a.milestonesFixture(0)
	if _, err := a.pool.Exec(context.Background(), `UPDATE enrolments SET dfe_cohort = '2027' WHERE id = $1`, f.enrolment2); err != nil {
		t.Fatal(err)
	}
	if _, err := milestones.Recompute(context.Background(), a.pool, time.Date(2024, 11, 4, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	res := a.as(f.staff2).get("/partner/milestones")
	if got := res.text(`[data-testid="no-deadline"]`); !strings.HasPrefix(got, "1 participant in your cohorts") || res.Doc.Find(`[data-testid="milestone-row"]`).Length() != 0 {
		t.Errorf("no deadline: %q, rows %q", got, res.text("main"))
	}
	if got := a.as(f.staff).get("/partner/milestones").text(`[data-testid="no-deadline"]`); got != "" {
		t.Errorf("Riverside: %q", got)
	}
}
