package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

// decisionState is what a decision changes: the request's state, letters, mail and the
// participant's bookings.
func (a *testApp) decisionState(enrolment int64) string {
	a.t.Helper()
	return fmt.Sprintf("requests open %d, letters %d, mail %d, booked %d",
		a.count(`SELECT count(*) FROM status_requests WHERE enrolment_id = $1 AND state = 'open'`, enrolment),
		a.count(`SELECT count(*) FROM letters WHERE enrolment_id = $1`, enrolment),
		a.count(`SELECT count(*) FROM outbox`),
		a.count(`SELECT count(*) FROM bookings WHERE enrolment_id = $1 AND status = 'booked'`, enrolment))
}

func TestApprovingADeferralIsConfirmedFirst(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	pam := a.as(f.participant)
	today := a.today()
	event := a.scheduleEvent(f, f.webinar, 21, new(10))
	if res := pam.post(fmt.Sprintf("/events/%d/book", event), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("book: %d", res.StatusCode)
	}
	if res := pam.post("/requests/defer", deferralForm(today.AddDate(0, 0, 7), today.AddDate(0, 5, 0))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request: %d %v", res.StatusCode, res.errorSummary())
	}
	var id int64
	a.pool.QueryRow(t.Context(), `SELECT id FROM status_requests WHERE enrolment_id = $1`, f.enrolment).Scan(&id) //nolint:errcheck
	page := fmt.Sprintf("/admin/requests/%d", id)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	before := a.decisionState(f.enrolment)

	form := url.Values{"decision": {"approve"}, "return_cohort": {strconv.FormatInt(next, 10)}, "notes": {"All the best."}}
	dateFields(form, "effective", today.AddDate(0, 0, 7))
	dateFields(form, "return_on", today.AddDate(0, 6, 0))
	check := admin.post(page, form)
	if check.StatusCode != http.StatusOK || check.Doc.Find(`[data-testid="confirm"]`).Length() != 1 {
		t.Fatalf("the decision was not shown for checking: %d %v", check.StatusCode, check.errorSummary())
	}
	if got := a.decisionState(f.enrolment); got != before {
		t.Fatalf("checking a decision changed things: %s, was %s", got, before)
	}
	summary := check.text(`[data-testid="decision-summary"]`)
	for _, want := range []string{"Approve the deferral", "NPQH Riverside next", "All the best."} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q: %q", want, summary)
		}
	}
	consequences := check.text(`[data-testid="consequences"]`)
	for _, want := range []string{"becomes deferred", "DfE will be told", "1 future booking is cancelled", "Webinar 21",
		"emailed to " + f.participant.Name + " (" + f.participant.Email + "), with a copy to Riverside Hub"} {
		if !strings.Contains(consequences, want) {
			t.Errorf("consequences lack %q: %q", want, consequences)
		}
	}

	// Change goes back to the form with the choices kept.
	hidden := url.Values{}
	check.Doc.Find(`form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		hidden.Add(n, v)
	})
	change := url.Values{"change": {"yes"}}
	for k, v := range hidden {
		change[k] = v
	}
	back := admin.post(page, change)
	if v, _ := back.Doc.Find("#return_cohort option[selected]").Attr("value"); back.StatusCode != http.StatusOK || v != strconv.FormatInt(next, 10) ||
		back.Doc.Find("#decision[checked]").Length() != 1 || back.text("#notes") != "All the best." {
		t.Errorf("Change: %d, cohort %q, notes %q", back.StatusCode, v, back.text("#notes"))
	}
	if got := a.decisionState(f.enrolment); got != before {
		t.Fatalf("Change changed things: %s", got)
	}

	// Confirm checks again: a return date tampered into the past is refused, nothing changes.
	bad := url.Values{"confirm": {"yes"}}
	for k, v := range hidden {
		bad[k] = v
	}
	dateFields(bad, "return_on", today)
	if res := admin.post(page, bad); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("confirming a bad decision: %d", res.StatusCode)
	}
	if got := a.decisionState(f.enrolment); got != before {
		t.Fatalf("a refused confirmation changed things: %s", got)
	}

	// Confirm records it.
	confirm := url.Values{"confirm": {"yes"}}
	for k, v := range hidden {
		confirm[k] = v
	}
	res := admin.post(page, confirm)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/letters/") {
		t.Fatalf("confirm: %d %v", res.StatusCode, res.errorSummary())
	}
	if got := a.decisionState(f.enrolment); !strings.HasPrefix(got, "requests open 0, letters 1") || !strings.HasSuffix(got, "booked 0") {
		t.Errorf("after confirming: %s", got)
	}
	// Confirming again is refused: the request is decided.
	if res := admin.post(page, confirm); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("confirming twice: %d", res.StatusCode)
	}
}

func TestRefusingIgnoresTheApprovalFields(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	form := url.Values{"kind": {"withdrawal"}, "withdraw_reason": {"quality-of-programme-structure-not-suitable."}}
	dateFields(form, "starts_on", a.today())
	res := admin.post(fmt.Sprintf("/admin/enrolments/%d/requests", f.enrolment2), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %v", res.StatusCode, res.errorSummary())
	}
	page := res.Header.Get("Location")
	// The approval-only fields sit under Approve, headed for when they apply.
	form0 := admin.get(page)
	approveOnly := form0.Doc.Find(`[data-testid="approve-only"]`)
	if approveOnly.Find("#effective-day").Length() != 1 || approveOnly.Find("#refund").Length() != 1 || !strings.Contains(approveOnly.Text(), "If approving") {
		t.Error("the effective date and refund are not under Approve, headed If approving")
	}
	// Refusing with nonsense in the approval fields is not a problem: they are ignored.
	refuse := url.Values{"decision": {"refuse"}, "notes": {"Please talk to your tutor first."}, "effective-day": {"99"}, "refund": {"lots"}, "refund_amount": {"x"}}
	check := admin.post(page, refuse)
	if check.StatusCode != http.StatusOK || !strings.Contains(check.text(`[data-testid="consequences"]`), "DfE is not told") {
		t.Fatalf("refusal check: %d %v", check.StatusCode, check.errorSummary())
	}
	if strings.Contains(check.text(`[data-testid="decision-summary"]`), "Effective date") {
		t.Error("a refusal shows an effective date")
	}
	refuse.Set("confirm", "yes")
	if res := admin.post(page, refuse); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM status_requests WHERE enrolment_id = $1 AND state = 'refused' AND effective_on IS NULL AND refund IS NULL`, f.enrolment2); n != 1 {
		t.Error("the refusal recorded approval fields")
	}
	if n := a.count(`SELECT count(*) FROM letters WHERE enrolment_id = $1 AND body LIKE '%Reason: Please talk to your tutor first.%'`, f.enrolment2); n != 1 {
		t.Error("the letter does not give the reason")
	}
}
