package demo_test

import (
	"context"
	"errors"
	"testing"

	"npq/internal/auth"
	"npq/internal/demo"
	"npq/internal/testdb"
)

// A small national load has the national shape, keeps the schema's invariants, refuses to
// load twice and leaves every demo sign-in working.
func TestLoadNationalShapeAndSignIns(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	scale := demo.Scale{Partners: 2, CohortsPerPartner: 12, ParticipantsPerCohort: 10, Assessors: 2}
	sum, err := demo.LoadNational(ctx, pool, scale, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(sum)
	if sum.Cohorts != 24 {
		t.Errorf("%d cohorts, want 24", sum.Cohorts)
	}
	if sum.Participants < 24*7 || sum.Participants > 24*13 {
		t.Errorf("%d participants, want about 240", sum.Participants)
	}
	if sum.Events < 24*8*2 || sum.Events > 24*8*3 || sum.Bookings < sum.Participants || sum.Completions < sum.Participants ||
		sum.Submissions == 0 || sum.Judgements == 0 || sum.Requests == 0 {
		t.Errorf("too little of something: %s", sum)
	}

	var q struct {
		partners, courses, statusDrift, countDrift, overfull, future, past, orphanBookings, statuses, stages int
	}
	err = pool.QueryRow(ctx, `
		WITH nat AS (SELECT h.* FROM cohorts h WHERE h.name LIKE '%, group %')
		SELECT (SELECT count(DISTINCT delivery_partner_id) FROM nat), (SELECT count(DISTINCT course_id) FROM nat),
		       (SELECT count(*) FROM enrolments e WHERE e.status <> (SELECT s.status FROM enrolment_status_history s WHERE s.enrolment_id = e.id ORDER BY s.id DESC LIMIT 1)),
		       (SELECT count(*) FROM events v WHERE v.booked_count <> (SELECT count(*) FROM bookings b WHERE b.event_id = v.id AND b.status = 'booked')),
		       (SELECT count(*) FROM events v WHERE v.booked_count > v.capacity),
		       (SELECT count(*) FROM nat WHERE starts_on > current_date), (SELECT count(*) FROM nat WHERE starts_on < current_date - 365),
		       (SELECT count(*) FROM bookings b JOIN events v ON v.id = b.event_id WHERE b.attendance IS NOT NULL AND v.ends_at > now()),
		       (SELECT count(DISTINCT e.status) FROM enrolments e JOIN nat ON nat.id = e.cohort_id),
		       (SELECT count(DISTINCT s.stage) FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id JOIN nat ON nat.id = e.cohort_id)`).
		Scan(&q.partners, &q.courses, &q.statusDrift, &q.countDrift, &q.overfull, &q.future, &q.past, &q.orphanBookings, &q.statuses, &q.stages)
	if err != nil {
		t.Fatal(err)
	}
	if q.partners != 2 || q.courses != 4 {
		t.Errorf("national cohorts at %d partners over %d courses, want 2 and 4", q.partners, q.courses)
	}
	if q.statusDrift != 0 || q.countDrift != 0 || q.overfull != 0 || q.orphanBookings != 0 {
		t.Errorf("invariants: %d statuses differ from their history, %d booked counts are wrong, %d events overfull, %d future registers",
			q.statusDrift, q.countDrift, q.overfull, q.orphanBookings)
	}
	if q.future == 0 || q.past == 0 {
		t.Errorf("intakes should run from two years ago to next year: %d future, %d over a year old", q.future, q.past)
	}
	if q.statuses < 3 || q.stages < 4 {
		t.Errorf("only %d enrolment statuses and %d submission stages", q.statuses, q.stages)
	}

	var changed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM bookings b JOIN booking_history h ON h.booking_id = b.id
		WHERE b.status = 'cancelled' AND h.action = 'cancelled_for_change'`).Scan(&changed); err != nil || changed == 0 {
		t.Errorf("no booking was changed to another date: %d, %v", changed, err)
	}

	if _, err := demo.LoadNational(ctx, pool, scale, nil); !errors.Is(err, demo.ErrNationalLoaded) {
		t.Errorf("second load: %v, want ErrNationalLoaded", err)
	}
	s := auth.Store{DB: pool}
	for _, a := range demo.Accounts {
		if u, err := s.Authenticate(ctx, a.Email, demo.Password, "127.0.0.1"); err != nil || u.Role != a.Role {
			t.Errorf("%s: %v %s", a.Email, err, u.Role)
		}
	}
	var email string
	if err := pool.QueryRow(ctx, `SELECT email FROM users WHERE email LIKE '%@`+demo.NationalDomain+`' AND role = 'participant' ORDER BY id LIMIT 1`).Scan(&email); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, email, demo.Password, "127.0.0.1"); err != nil {
		t.Errorf("national participant %s: %v", email, err)
	}
	var assessors, keyed int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(t.user_id) FROM users u LEFT JOIN two_step t ON t.user_id = u.id AND t.enabled_at IS NOT NULL
		WHERE u.role = 'assessor' AND u.email LIKE '%@`+demo.NationalDomain+`'`).Scan(&assessors, &keyed); err != nil || assessors != 2 || keyed != 2 {
		t.Errorf("%d national assessors, %d with two-step sign-in (%v); want 2 and 2", assessors, keyed, err)
	}
}

func TestLoadNationalRejectsBadScale(t *testing.T) {
	if _, err := demo.LoadNational(context.Background(), nil, demo.Scale{Partners: 16, CohortsPerPartner: 1, ParticipantsPerCohort: 5}, nil); err == nil {
		t.Error("16 partners accepted; the handbook has 15")
	}
}
