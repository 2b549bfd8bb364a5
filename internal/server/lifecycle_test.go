package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/lifecycle"
	"npq/internal/programme"
)

func dateFields(v url.Values, name string, t time.Time) {
	v.Set(name+"-day", strconv.Itoa(t.Day()))
	v.Set(name+"-month", strconv.Itoa(int(t.Month())))
	v.Set(name+"-year", strconv.Itoa(t.Year()))
}

func deferralForm(starts, ret time.Time) url.Values {
	v := url.Values{"discussed": {"yes"}, "reason": {"parental-leave"}, "details": {"Baby due in March"}}
	dateFields(v, "starts_on", starts)
	dateFields(v, "return", ret)
	return v
}

// A next cohort of the fixture's course, so a deferral has somewhere to return to.
func (a *testApp) nextCohort(f *programmeFixture) int64 {
	a.t.Helper()
	today := a.today()
	id, err := a.srv.programme.CreateCohort(a.t.Context(), programme.NewCohort{CourseID: f.courseID, PartnerID: f.partnerID, Name: "NPQH Riverside next",
		ScheduleIdentifier: "npq-leadership-spring", StartsOn: today.AddDate(0, 6, 0), StudyEndsOn: today.AddDate(2, 0, 0), AssessmentOpensOn: today.AddDate(2, 0, 0),
		AssessmentClosesOn: today.AddDate(2, 3, 0), BlockOpens: map[int64]time.Time{f.block1: today.AddDate(0, 6, 0), f.block2: today.AddDate(0, 10, 0)}})
	if err != nil {
		a.t.Fatal(err)
	}
	return id
}

func TestParticipantAsksToDeferAndAdminApproves(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	pam := a.as(f.participant)
	today := a.today()
	page := pam.get("/requests")
	if !strings.Contains(page.text("main"), "Talk to your delivery partner, Riverside Hub, first") {
		t.Errorf("requests page: %q", page.text("main"))
	}
	res := pam.post("/requests/defer", deferralForm(today.AddDate(0, 0, 7), today.AddDate(0, 5, 0)))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request: %d %v", res.StatusCode, res.errorSummary())
	}
	if got := pam.get("/requests").text(`[data-testid="request-state"]`); got != "Waiting for a decision" {
		t.Errorf("state %q", got)
	}
	// A second request is not offered while one is open.
	if pam.get("/requests").Doc.Find(`a[href^="/requests/withdraw"]`).Length() != 0 {
		t.Error("a second request is offered")
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	queue := admin.get("/admin/deferrals")
	href, _ := queue.Doc.Find(`[data-testid="queue"] a`).Attr("href")
	decide := admin.get(href)
	// Pam stopped in block 1 (nothing done): the proposal is block 1 of the next cohort.
	if !strings.Contains(decide.text(`[data-testid="proposal"]`), "NPQH Riverside next") {
		t.Fatalf("proposal: %q", decide.text("main"))
	}
	if v, _ := decide.Doc.Find("#return_cohort option[selected]").Attr("value"); v != strconv.FormatInt(next, 10) {
		t.Errorf("proposal not preselected: %q", v)
	}
	form := url.Values{"decision": {"approve"}, "return_cohort": {strconv.FormatInt(next, 10)}, "notes": {"All the best."}, "confirm": {"yes"}}
	dateFields(form, "effective", today.AddDate(0, 0, 7))
	dateFields(form, "return_on", today.AddDate(0, 6, 0))
	res = admin.post(href, form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/letters/") {
		t.Fatalf("approve: %d %v", res.StatusCode, res.errorSummary())
	}
	letter := res.Header.Get("Location")
	if !strings.Contains(admin.get(letter).text(`[data-testid="letter"]`), "Expected date of return") {
		t.Error("letter page")
	}
	// Pam and her partner's staff read the letter; others cannot.
	if got := pam.get(letter); got.StatusCode != 200 || !strings.Contains(got.text(`[data-testid="letter"]`), "All the best.") {
		t.Errorf("Pam's letter: %d", got.StatusCode)
	}
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	if got := staff.get(letter); got.StatusCode != 200 {
		t.Errorf("partner's letter: %d", got.StatusCode)
	}
	if !strings.Contains(staff.get("/partner/decisions").text(`[data-testid="requests"]`), "Approved") {
		t.Error("partner does not see the decision")
	}
	otherStaff := a.as(a.user("hal@hillside.test", auth.RolePartnerStaff, &f.partner2))
	for _, c := range []*testClient{a.as(f.other), otherStaff} {
		if got := c.get(letter); got.StatusCode != http.StatusNotFound {
			t.Errorf("someone else read the letter: %d", got.StatusCode)
		}
	}
	// Pam is deferred: content closed, status shown.
	if got := pam.get("/learn"); got.StatusCode != http.StatusForbidden {
		t.Errorf("learn while deferred: %d", got.StatusCode)
	}
	csvRes := admin.get("/admin/deferrals.csv")
	if !strings.Contains(csvRes.Body, "pam@school.test,Test participant,NPQ in Headship,NPQH Riverside,Riverside Hub,Scholarship (DfE funded),Deferred,\""+
		lifecycle.ReasonLabel(lifecycle.KindDeferral, "parental-leave")+"\","+today.AddDate(0, 0, 7).Format("2006-01-02")) {
		t.Errorf("export: %s", csvRes.Body)
	}
	// The returns view lists her once she is within 3 months of returning (she is 6 months away: later).
	if got := admin.get("/admin/returns").text(`[data-testid="returns-later"]`); !strings.Contains(got, "Test participant") {
		t.Errorf("returns: %q", got)
	}
}

func TestRequestFormsBadInput(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	pam := a.as(f.participant)
	today := a.today()
	for _, tt := range []struct {
		path string
		form url.Values
		want string
	}{
		{"/requests/defer", url.Values{}, "Say whether you have talked to your delivery partner|Choose a reason from the list|Enter the date your deferral starts|Enter the planned return date"},
		{"/requests/defer", func() url.Values {
			v := deferralForm(today.AddDate(0, 0, 7), today.AddDate(0, 0, 1))
			v.Set("reason", "moved-school")
			return v
		}(), "Choose a reason from the list|Planned return date must be after the deferral starts"},
		{"/requests/defer", func() url.Values {
			v := deferralForm(today.AddDate(0, -3, 0), today.AddDate(0, 7, 0))
			v.Set("details", strings.Repeat("x", 2001))
			return v
		}(), "Details must be 2000 characters or fewer|Date your deferral starts cannot be more than a month ago"},
		{"/requests/withdraw", url.Values{"discussed": {"maybe"}, "reason": {"disengaged-and-unresponsive"}, "starts_on-day": {"31"}, "starts_on-month": {"2"}, "starts_on-year": {"2027"}},
			"Say whether you have talked to your delivery partner|Choose a reason from the list|Date you plan to withdraw must be a real date"},
	} {
		res := pam.post(tt.path, tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%s: %d %q\nwant %q", tt.path, res.StatusCode, res.errorSummary(), tt.want)
		}
	}
	if a.count(`SELECT count(*) FROM status_requests`) != 0 {
		t.Error("bad input made a request")
	}
}

func TestIneligibleDeferralIsOfferedAMove(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	// Unpaid school-funded place.
	a.pool.Exec(t.Context(), `UPDATE enrolments SET funding_route = 'school_funded' WHERE id = $1`, f.enrolment) //nolint:errcheck
	pam := a.as(f.participant)
	if !strings.Contains(pam.get("/requests/defer").text(`[data-testid="ineligible"]`), "payment for the place has not been received") {
		t.Error("the form does not warn about eligibility")
	}
	today := a.today()
	pam.post("/requests/defer", deferralForm(today.AddDate(0, 0, 7), today.AddDate(0, 7, 0)))
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	var id int64
	a.pool.QueryRow(t.Context(), `SELECT id FROM status_requests`).Scan(&id) //nolint:errcheck
	// The queue says why it is not eligible, not just that it is not.
	if got := admin.get("/admin/deferrals").text(`[data-testid="ineligible-reason"]`); !strings.Contains(got, "payment for the place has not been received") {
		t.Errorf("queue: not eligible, reason %q", got)
	}
	page := admin.get(fmt.Sprintf("/admin/requests/%d", id))
	if !strings.Contains(page.text(`[data-testid="ineligible"]`), "Not eligible to defer") {
		t.Fatalf("decision page: %q", page.text("main"))
	}
	// Approving is refused with the reason; the move works.
	form := url.Values{"decision": {"approve"}, "return_cohort": {strconv.FormatInt(next, 10)}}
	dateFields(form, "effective", today)
	dateFields(form, "return_on", today.AddDate(0, 6, 0))
	if res := admin.post(fmt.Sprintf("/admin/requests/%d", id), form); res.StatusCode != 422 || !strings.Contains(strings.Join(res.errorSummary(), ""), "payment") {
		t.Errorf("approving an ineligible deferral: %d %v", res.StatusCode, res.errorSummary())
	}
	// The move is checked first, with why and what it does; nothing changes until confirmed.
	check := admin.post(fmt.Sprintf("/admin/requests/%d/move", id), url.Values{"move_cohort": {strconv.FormatInt(next, 10)}})
	if got := check.text(`[data-testid="consequences"]`); check.StatusCode != http.StatusOK || !strings.Contains(got, "moves from NPQH Riverside to NPQH Riverside next") ||
		!strings.Contains(got, "payment for the place has not been received") {
		t.Fatalf("move check: %d %q", check.StatusCode, got)
	}
	if n := a.count(`SELECT count(*) FROM enrolments WHERE id = $1 AND cohort_id = $2`, f.enrolment, next); n != 0 {
		t.Fatal("checking the move moved her")
	}
	if res := admin.post(fmt.Sprintf("/admin/requests/%d/move", id), url.Values{"move_cohort": {strconv.FormatInt(next, 10)}, "confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM enrolments WHERE id = $1 AND cohort_id = $2 AND status = 'active'`, f.enrolment, next); n != 1 {
		t.Error("not moved")
	}
}

func TestAdminDecisionFormBadInputAndRecordedRequests(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	// Record a withdrawal that arrived by email.
	form := url.Values{"kind": {"withdrawal"}, "withdraw_reason": {"quality-of-programme-structure-not-suitable."}}
	dateFields(form, "starts_on", a.today())
	res := admin.post(fmt.Sprintf("/admin/enrolments/%d/requests", f.enrolment2), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %v", res.StatusCode, res.errorSummary())
	}
	page := res.Header.Get("Location")
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Choose approve or refuse"},
		{url.Values{"decision": {"refuse"}}, "Say why the request is refused: it goes in the letter"},
		{url.Values{"decision": {"approve"}, "effective-day": {"x"}, "effective-month": {"1"}, "effective-year": {"2027"}}, "Effective date must be a real date, with a 4-digit year|Record the refund decision"},
		{url.Values{"decision": {"approve"}, "effective-day": {"1"}, "effective-month": {"1"}, "effective-year": {"2027"}, "refund": {"partial"}, "refund_amount": {"lots"}}, "Enter the refund in pounds, like 450.00"},
	} {
		res := admin.post(page, tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM status_requests WHERE state <> 'open'`); n != 0 {
		t.Error("bad input decided a request")
	}
	// Record-request bad input.
	if res := admin.post(fmt.Sprintf("/admin/enrolments/%d/requests", f.enrolment2), url.Values{"kind": {"deferral"}}); res.StatusCode != 422 {
		t.Errorf("record bad input: %d", res.StatusCode)
	}
	// Refuse it: the participant is told why.
	res = admin.post(page, url.Values{"decision": {"refuse"}, "notes": {"Please talk to your tutor first."}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = 'olu@school.test' AND body LIKE '%Please talk to your tutor first.%'`); n != 1 {
		t.Error("refusal letter not sent")
	}
	// Partner staff cannot decide.
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	if res := staff.post(page, url.Values{"decision": {"approve"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("partner deciding: %d", res.StatusCode)
	}
}

func TestParticipantCancelsOwnRequestOnly(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	today := a.today()
	olu := a.as(f.other)
	olu.post("/requests/defer", deferralForm(today.AddDate(0, 0, 7), today.AddDate(0, 7, 0)))
	var id int64
	a.pool.QueryRow(t.Context(), `SELECT id FROM status_requests`).Scan(&id) //nolint:errcheck
	pam := a.as(f.participant)
	if res := pam.post(fmt.Sprintf("/requests/%d/cancel", id), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("Pam cancelling Olu's request: %d", res.StatusCode)
	}
	if res := olu.post(fmt.Sprintf("/requests/%d/cancel", id), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Olu cancelling: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM status_requests WHERE state = 'cancelled'`); n != 1 {
		t.Error("not cancelled")
	}
}
