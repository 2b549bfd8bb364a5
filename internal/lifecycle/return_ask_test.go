package lifecycle_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"npq/internal/lifecycle"
	"npq/internal/problem"
	"npq/internal/programme"
)

// Clicking "Ask to confirm" several times at once asks once; once the participant has
// answered, asking again is refused and the answer stands, so the daily check returns them.
func TestAskingAboutAReturnIsIdempotent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "returner@school.test", programme.FundingScholarship, false, f.cohort)
	returnOn := f.today.AddDate(0, 2, 0)
	req := f.deferral(t, e, returnOn)
	if _, err := f.s.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: f.today, ReturnCohortID: f.next, ReturnOn: returnOn, ActorID: f.admin, Now: f.now}); err != nil {
		t.Fatal(err)
	}
	outboxBefore := f.count(t, `SELECT count(*) FROM outbox`)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func(i int) { defer wg.Done(); errs[i] = f.s.AskReturn(ctx, req, f.admin, f.now) }(i)
	}
	wg.Wait()
	asked := 0
	for _, err := range errs {
		var p problem.Problem
		switch {
		case err == nil:
			asked++
		case !errors.As(err, &p):
			t.Errorf("a repeated ask failed: %v", err)
		}
	}
	if asked != 1 {
		t.Errorf("%d asks went through, want 1", asked)
	}
	if n := f.count(t, `SELECT count(*) FROM letters WHERE request_id = $1 AND kind = 'return-request'`, req); n != 1 {
		t.Errorf("%d letters asking about the return", n)
	}
	// One email to the participant and one copy to the partner's contact.
	if n := f.count(t, `SELECT count(*) FROM outbox`) - outboxBefore; n != 2 {
		t.Errorf("%d emails", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'deferral.return_asked'`); n != 1 {
		t.Errorf("%d audit entries", n)
	}

	var user int64
	f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, e).Scan(&user) //nolint:errcheck
	if err := f.s.AnswerReturn(ctx, req, user, lifecycle.Returning); err != nil {
		t.Fatal(err)
	}
	// Asking again, even weeks later, keeps the answer.
	var p problem.Problem
	if err := f.s.AskReturn(ctx, req, f.admin, f.now.AddDate(0, 0, 30)); !errors.As(err, &p) {
		t.Errorf("asking after an answer: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM status_requests WHERE id = $1 AND return_answer = 'yes' AND return_answered_at IS NOT NULL`, req); n != 1 {
		t.Error("asking again wiped the answer")
	}
	if n := f.count(t, `SELECT count(*) FROM letters WHERE request_id = $1 AND kind = 'return-request'`, req); n != 1 {
		t.Errorf("%d letters after asking again", n)
	}
	returned, cases, err := f.s.RunDailyChecks(ctx, f.now.AddDate(0, 2, 1))
	if err != nil || returned != 1 || cases != 0 {
		t.Errorf("return day: returned %d, cases %d, %v", returned, cases, err)
	}
}

// Someone who has not answered can be reminded, but not twice in the same week.
func TestAskingAgainIsAReminderAfterAWeek(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "quiet@school.test", programme.FundingScholarship, false, f.cohort)
	returnOn := f.today.AddDate(0, 2, 0)
	req := f.deferral(t, e, returnOn)
	if _, err := f.s.Decide(ctx, lifecycle.Decision{RequestID: req, Approve: true, EffectiveOn: f.today, ReturnCohortID: f.next, ReturnOn: returnOn, ActorID: f.admin, Now: f.now}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AskReturn(ctx, req, f.admin, f.now); err != nil {
		t.Fatal(err)
	}
	var p problem.Problem
	if err := f.s.AskReturn(ctx, req, f.admin, f.now.Add(6*24*time.Hour)); !errors.As(err, &p) {
		t.Errorf("a reminder within the week: %v", err)
	}
	if err := f.s.AskReturn(ctx, req, f.admin, f.now.Add(8*24*time.Hour)); err != nil {
		t.Errorf("a reminder after a week: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM letters WHERE request_id = $1 AND kind = 'return-request'`, req); n != 2 {
		t.Errorf("%d letters", n)
	}
}
