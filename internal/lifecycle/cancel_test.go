package lifecycle_test

import (
	"context"
	"testing"

	"npq/internal/programme"
	"npq/internal/scope"
)

// Cancelling a request and its audit entry are one change: if the audit entry cannot be
// written, the request stays open.
func TestCancellingARequestIsAuditedOrNotDone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "cancel@school.test", programme.FundingScholarship, false, f.cohort)
	req := f.deferral(t, e, f.today.AddDate(0, 3, 0))
	if err := f.s.Cancel(ctx, req, scope.Admin(), 999999999); err == nil {
		t.Fatal("cancelled with an audit entry that cannot be written")
	}
	if n := f.count(t, `SELECT count(*) FROM status_requests WHERE id = $1 AND state = 'open'`, req); n != 1 {
		t.Error("the request was cancelled without an audit entry")
	}
	if err := f.s.Cancel(ctx, req, scope.Admin(), f.admin); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'request.cancelled' AND actor_id = $1`, f.admin); n != 1 {
		t.Errorf("%d audit entries", n)
	}
}
