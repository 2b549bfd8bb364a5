package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/lifecycle"
)

// Three clicks on "Ask to confirm" send one letter; once the participant has said yes, the
// button is gone and asking again is refused with the answer kept.
func TestAskingToConfirmAReturnTwice(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	next := a.nextCohort(f)
	ctx := t.Context()
	today := a.today()
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
	outbox := a.count(`SELECT count(*) FROM outbox`)
	ask := fmt.Sprintf("/admin/requests/%d/ask-return", req)
	for i, code := range admin.postAtOnce(ask, nil, 3) {
		if code != http.StatusSeeOther {
			t.Errorf("click %d: %d", i, code)
		}
	}
	if n := a.count(`SELECT count(*) FROM letters WHERE request_id = $1 AND kind = 'return-request'`, req); n != 1 {
		t.Errorf("%d letters", n)
	}
	letters := a.count(`SELECT count(*) FROM outbox`) - outbox
	page := admin.get("/admin/returns")
	if got := page.text(`[data-testid="asked"]`); !strings.Contains(got, "no answer yet") {
		t.Errorf("asked: %q", got)
	}
	res := admin.post(ask, nil)
	if got := admin.get(res.Header.Get("Location")).text(`[data-testid="problem"]`); !strings.Contains(got, "You can remind them from") {
		t.Errorf("asking again at once: %q", got)
	}

	pam := a.as(f.participant)
	if res := pam.post(fmt.Sprintf("/requests/%d/return", req), url.Values{"answer": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.StatusCode)
	}
	page = admin.get("/admin/returns")
	if page.Doc.Find(`[data-testid="ask-return"]`).Length() != 0 || page.text(`[data-testid="asked"]`) != "Will return" {
		t.Errorf("after the answer: %q", page.text(`[data-testid="returns-due"]`))
	}
	res = admin.post(ask, nil)
	if got := admin.get(res.Header.Get("Location")).text(`[data-testid="problem"]`); !strings.Contains(got, "already answered that they will return") {
		t.Errorf("asking after the answer: %q", got)
	}
	if n := a.count(`SELECT count(*) FROM status_requests WHERE id = $1 AND return_answer = 'yes'`, req); n != 1 {
		t.Error("the answer was wiped")
	}
	if n := a.count(`SELECT count(*) FROM outbox`) - outbox; n != letters {
		t.Errorf("%d more emails after the first ask", n-letters)
	}
}
