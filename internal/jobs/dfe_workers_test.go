package jobs_test

import (
	"context"
	"testing"
	"time"

	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/jobs"
)

func TestDfEApplicationsWorkerSyncsFromDfE(t *testing.T) {
	f := newFixture(t, 0)
	fake, url := dfetest.Start(t)
	fake.AddApplication(dfefake.Application{FullName: "Amara Okafor", Email: "amara@school.example", Course: "npq-headship", Cohort: "2026"})
	work(t, f, &jobs.DfEApplicationsWorker{DB: f.pool, Client: dfetest.Client(t, url), Now: time.Now, Log: f.config(nil, time.Now).Log},
		jobs.DfEApplicationsArgs{})
	if n := f.count(t, `SELECT count(*) FROM dfe_applications WHERE status = 'pending'`); n != 1 {
		t.Fatalf("%d pending applications after a sync, want 1", n)
	}
	// With the integration off the job does nothing, and completes.
	work(t, f, &jobs.DfEApplicationsWorker{DB: f.pool, Now: time.Now}, jobs.DfEApplicationsArgs{})
}

func TestDfEDeclarationsWorkerDerivesAndSends(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	fake, url := dfetest.Start(t)
	client := dfetest.Client(t, url)
	app, participant := fake.AddApplication(dfefake.Application{FullName: "Person 00", Email: "p00@school.test", Course: "npq-headship", Cohort: "2025"})
	funded := true
	if _, err := client.AcceptApplication(ctx, app, &funded, ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE delivery_partners SET dfe_id = $2 WHERE id = $1`, []any{f.partner, fake.AddDeliveryPartner("Riverside Hub", "2025")}},
		{`UPDATE users SET dfe_participant_id = $2 FROM enrolments e WHERE e.id = $1 AND users.id = e.user_id`, []any{f.enrolments[0], participant}},
		{`UPDATE enrolments SET dfe_course_identifier = 'npq-headship', dfe_cohort = '2025', dfe_schedule_identifier = 'npq-leadership-autumn' WHERE id = $1`, []any{f.enrolments[0]}},
		{`INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'attendance', $3)`, []any{f.enrolments[0], f.session, f.now.Add(-24 * time.Hour)}},
	} {
		if _, err := f.pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	worker := &jobs.DfEDeclarationsWorker{DB: f.pool, Client: client, Now: time.Now, Log: f.config(nil, time.Now).Log}
	work(t, f, worker, jobs.DfEDeclarationsArgs{})
	work(t, f, worker, jobs.DfEDeclarationsArgs{})
	if n := f.count(t, `SELECT count(*) FROM dfe_declarations WHERE state = 'sent' AND declaration_type = 'started'`); n != 1 || fake.DeclarationCount() != 1 {
		t.Fatalf("%d sent here, %d at DfE", n, fake.DeclarationCount())
	}
	// With the integration off the job does nothing, and completes.
	work(t, f, &jobs.DfEDeclarationsWorker{DB: f.pool, Now: time.Now}, jobs.DfEDeclarationsArgs{})

	// The reconciliation reads DfE's participant and declaration back and finds them as ours.
	work(t, f, &jobs.DfEReconcileWorker{DB: f.pool, Client: client, Now: time.Now, Log: f.config(nil, time.Now).Log}, jobs.DfEReconcileArgs{})
	if n, m := f.count(t, `SELECT count(*) FROM dfe_declarations_seen`), f.count(t, `SELECT count(*) FROM dfe_mismatches`); n != 1 || m != 0 {
		t.Fatalf("after reconciling: %d declarations seen at DfE, %d mismatches; want 1 and 0", n, m)
	}
	work(t, f, &jobs.DfEReconcileWorker{DB: f.pool, Now: time.Now}, jobs.DfEReconcileArgs{})
}

func TestDfEStatementsWorkerSyncsFromDfE(t *testing.T) {
	f := newFixture(t, 0)
	fake, url := dfetest.Start(t)
	fake.SeedDemo(time.Now())
	work(t, f, &jobs.DfEStatementsWorker{DB: f.pool, Client: dfetest.Client(t, url), Now: time.Now, Log: f.config(nil, time.Now).Log},
		jobs.DfEStatementsArgs{})
	if n := f.count(t, `SELECT count(*) FROM dfe_statements`); n != 12 {
		t.Fatalf("%d statements after a sync, want the fake's 12", n)
	}
	work(t, f, &jobs.DfEStatementsWorker{DB: f.pool, Now: time.Now}, jobs.DfEStatementsArgs{})
}
