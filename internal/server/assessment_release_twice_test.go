package server

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"npq/internal/auth"
	"npq/internal/problem"
)

// Two admins release the same batch of outcomes at once, ticked in opposite orders: one
// release goes through, the other is told nothing was left to release, and nobody gets an
// error page.
func TestReleasingTheSameOutcomesInOppositeOrders(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	a.assessmentFixture(f)
	ctx := t.Context()
	_, admin := a.signedIn(auth.RoleProviderAdmin)
	var enrolments []int64
	for i := range 12 {
		id, err := a.srv.programme.Enrol(ctx, enrolIn(fmt.Sprintf("candidate%02d@school.test", i), f.cohortID), 0, "")
		if err != nil {
			t.Fatal(err)
		}
		enrolments = append(enrolments, id)
	}
	for round := 1; round <= 4; round++ {
		var ids []int64
		for i, e := range enrolments {
			var id int64
			if err := a.pool.QueryRow(ctx, `INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at, passed)
				VALUES ($1, $2, 'ready', $3, now(), $4) RETURNING id`, e, round, fmt.Sprintf("R%d-%02d", round, i), i%3 != 0).Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		reversed := slices.Clone(ids)
		slices.Reverse(reversed)
		var wg sync.WaitGroup
		start := make(chan struct{})
		counts := make([]int, 2)
		errs := make([]error, 2)
		for i, batch := range [][]int64{ids, reversed} {
			wg.Go(func() {
				<-start
				counts[i], errs[i] = a.srv.assessment.Release(ctx, batch, admin.ID, a.now())
			})
		}
		close(start)
		wg.Wait()
		released := 0
		for i, err := range errs {
			var p problem.Problem
			switch {
			case err == nil:
				released += counts[i]
			case !errors.As(err, &p):
				t.Errorf("round %d, admin %d: %v", round, i, err)
			}
		}
		if released != len(ids) {
			t.Errorf("round %d: %d released, want %d", round, released, len(ids))
		}
		if n := a.count(`SELECT count(*) FROM submissions WHERE id = ANY($1) AND stage = 'released'`, ids); n != len(ids) {
			t.Errorf("round %d: %d submissions released", round, n)
		}
		if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'assessment.released' AND subject = ANY($1)`, subjects(ids)); n != len(ids) {
			t.Errorf("round %d: %d releases recorded", round, n)
		}
	}
}

func subjects(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("submission:%d", id)
	}
	return out
}
