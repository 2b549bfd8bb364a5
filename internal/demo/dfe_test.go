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

// DfE's copy in the demo agrees with ours but for two mismatches, the same after loading twice.
func TestDemoHasTwoMismatches(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	for range 2 {
		if err := demo.Load(ctx, pool, demo.Development); err != nil {
			t.Fatal(err)
		}
	}
	var kinds []string
	if err := pool.QueryRow(ctx, `SELECT coalesce(array_agg(kind ORDER BY kind), '{}') FROM dfe_mismatches`).Scan(&kinds); err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 2 || kinds[0] != "declaration-voided-at-dfe" || kinds[1] != "training-status" {
		t.Fatalf("mismatches: %v", kinds)
	}
}

// The demo has declarations in every state and statements for their cut-offs, the same after
// loading twice.
func TestDemoHasDeclarationsInEveryState(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	for range 2 {
		if err := demo.Load(ctx, pool, demo.Development); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := pool.Query(ctx, `SELECT state, count(*) FROM dfe_declarations GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		counts[state] = n
	}
	// Besides the eight made up in every state, every declaration the evidence earns is due.
	if rows.Err() != nil || counts["due"] <= 2 || counts["sent"] != 3 || counts["failed"] != 1 || counts["voided"] != 2 {
		t.Fatalf("declarations by state: %v %v", counts, rows.Err())
	}
	var withoutEvidence int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM dfe_declarations WHERE evidence = '[]' OR rule_version = ''`).Scan(&withoutEvidence); err != nil || withoutEvidence != 0 {
		t.Fatalf("%d declarations without evidence or rules %v", withoutEvidence, err)
	}
	var statements int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM dfe_statements`).Scan(&statements); err != nil || statements == 0 {
		t.Fatalf("%d statements %v", statements, err)
	}
}

// The demo works out the DfE milestones at risk as it loads, for every active enrolment with
// DfE ids and something left to earn, each under its cohort's partner.
func TestDemoWorksOutTheMilestonesAtRisk(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	var rows, inactive, wrongPartner int
	if err := pool.QueryRow(ctx, `SELECT count(*),
			count(*) FILTER (WHERE e.status <> 'active'),
			count(*) FILTER (WHERE h.delivery_partner_id <> m.delivery_partner_id OR h.id <> m.cohort_id)
		FROM dfe_milestones_at_risk m JOIN enrolments e ON e.id = m.enrolment_id JOIN cohorts h ON h.id = e.cohort_id`).Scan(&rows, &inactive, &wrongPartner); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || inactive != 0 || wrongPartner != 0 {
		t.Fatalf("%d rows, %d not active, %d under the wrong partner or cohort", rows, inactive, wrongPartner)
	}
}
