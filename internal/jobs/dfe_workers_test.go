package jobs_test

import (
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
