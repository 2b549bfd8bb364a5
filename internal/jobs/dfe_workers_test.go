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
	participant := dfetest.Enrol(t, f.pool, fake, client, f.enrolments[0], f.partner, "2025").ParticipantID
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO item_completions (enrolment_id, item_id, source, completed_at) VALUES ($1, $2, 'attendance', $3)`, []any{f.enrolments[0], f.session, f.now.Add(-24 * time.Hour)}},
		// A withdrawal decided today: DfE refuses one without a started declaration, so it
		// goes through only after the declaration earned before it.
		{`INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, source, state, decided_by, decided_at, effective_on, refund)
			SELECT e.id, 'withdrawal', 'personal-reason-other', current_date, 'email', 'approved', e.user_id, now(), current_date, 'none'
			FROM enrolments e WHERE e.id = $1`, []any{f.enrolments[0]}},
		{`INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason) VALUES ($1, 'withdrawn', current_date, 'personal-reason-other')`, []any{f.enrolments[0]}},
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
	if n := f.count(t, `SELECT count(*) FROM dfe_status_changes WHERE state = 'sent' AND action = 'withdraw'`); n != 1 || fake.TrainingStatus(participant, "npq-headship") != "withdrawn" {
		t.Fatalf("%d withdrawals sent here, DfE's training status %q", n, fake.TrainingStatus(participant, "npq-headship"))
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
