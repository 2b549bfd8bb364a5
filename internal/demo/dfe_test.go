package demo_test

import (
	"context"
	"testing"

	"npq/internal/demo"
	"npq/internal/testdb"
)

func TestDemoHasDfEIdentifiersAndPendingApplications(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	for range 2 {
		if err := demo.Load(ctx, pool, demo.Development); err != nil {
			t.Fatal(err)
		}
	}
	var pending, withoutID, enrolmentsWithout, partnersWithout int
	if err := pool.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM dfe_applications WHERE status = 'pending'),
			(SELECT count(*) FROM users WHERE role = 'participant' AND dfe_participant_id IS NULL AND anonymised_at IS NULL),
			(SELECT count(*) FROM enrolments WHERE dfe_application_id IS NULL OR dfe_course_identifier IS NULL),
			(SELECT count(*) FROM delivery_partners WHERE dfe_id IS NULL)`).Scan(&pending, &withoutID, &enrolmentsWithout, &partnersWithout); err != nil {
		t.Fatal(err)
	}
	if pending != 5 || withoutID != 0 || enrolmentsWithout != 0 || partnersWithout != 0 {
		t.Fatalf("%d pending applications; without DfE ids: %d participants, %d enrolments, %d partners", pending, withoutID, enrolmentsWithout, partnersWithout)
	}
}
