package lifecycle_test

import (
	"context"
	"testing"

	"npq/internal/lifecycle"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/internal/scope"
)

// A request carries its enrolment's partner (kept by triggers): a partner's list shows the
// requests of its participants, and follows an enrolment moved to another partner's cohort
// and a cohort given to another partner.
func TestRequestsFollowTheirPartner(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var riverside int64
	if err := f.pool.QueryRow(ctx, `SELECT delivery_partner_id FROM cohorts WHERE id = $1`, f.cohort).Scan(&riverside); err != nil {
		t.Fatal(err)
	}
	hillside, err := f.p.SavePartner(ctx, programme.Partner{Name: "Hillside Trust", ContactEmail: "npq@hillside.test"})
	if err != nil {
		t.Fatal(err)
	}
	e := f.enrol(t, "pam@school.test", programme.FundingSchoolFunded, true, f.cohort)
	req := f.deferral(t, e, f.today.AddDate(0, 3, 0))
	listed := func(partner int64) bool {
		t.Helper()
		page, err := f.s.RequestsPage(ctx, scope.Partner(partner), lifecycle.RequestFilter{}, f.now, listing.Request{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			if r.ID == req {
				return true
			}
		}
		return false
	}
	if !listed(riverside) || listed(hillside) {
		t.Fatal("a new request is not listed for its partner only")
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := f.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// The cohort is handed to another partner.
	exec(`UPDATE cohorts SET delivery_partner_id = $2 WHERE id = $1`, f.cohort, hillside)
	if listed(riverside) || !listed(hillside) {
		t.Error("the request did not follow its cohort to its new partner")
	}
	exec(`UPDATE cohorts SET delivery_partner_id = $2 WHERE id = $1`, f.cohort, riverside)
	// The participant moves to a cohort of another partner.
	exec(`UPDATE cohorts SET delivery_partner_id = $2 WHERE id = $1`, f.next, hillside)
	exec(`UPDATE enrolments SET cohort_id = $2 WHERE id = $1`, e, f.next)
	if listed(riverside) || !listed(hillside) {
		t.Error("the request did not follow its enrolment to another partner's cohort")
	}
	if n := f.count(t, `SELECT count(*) FROM status_requests r JOIN enrolments e ON e.id = r.enrolment_id JOIN cohorts h ON h.id = e.cohort_id
		WHERE r.delivery_partner_id <> h.delivery_partner_id`); n != 0 {
		t.Errorf("%d requests with another partner than their enrolment's", n)
	}
}

// A requests list reads each request's progress only when it shows it (a queue does, to
// decide): most of the statement's cost is in counting it.
func TestARequestsListReadsProgressOnlyWhenAsked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	e := f.enrol(t, "pat@school.test", programme.FundingSchoolFunded, true, f.cohort)
	req := f.deferral(t, e, f.today.AddDate(0, 3, 0))
	if _, err := f.pool.Exec(ctx, `INSERT INTO item_completions (enrolment_id, item_id, source)
		SELECT $1, i.id, 'participant' FROM block_items i WHERE i.id = $2`, e, f.session); err != nil {
		t.Fatal(err)
	}
	for _, progress := range []bool{true, false} {
		page, err := f.s.RequestsPage(ctx, scope.Admin(), lifecycle.RequestFilter{Progress: progress}, f.now, listing.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 1 || page[0].ID != req {
			t.Fatalf("progress %v: %+v", progress, page)
		}
		r := page[0]
		if progress && (r.Done != 1 || r.Required < 2) {
			t.Errorf("with progress: %d of %d, want 1 of the course's required activities", r.Done, r.Required)
		}
		if !progress && (r.Done != 0 || r.Required != 0 || r.FutureBookings != 0) {
			t.Errorf("without progress: %d of %d, %d booked", r.Done, r.Required, r.FutureBookings)
		}
	}
}
