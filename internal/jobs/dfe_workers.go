package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/applications"
)

// DfEApplicationsArgs is the job that copies DfE's changed applications into the admin queue.
type DfEApplicationsArgs struct{}

// Kind names the job in river_job.
func (DfEApplicationsArgs) Kind() string { return "dfe_applications_sync" }

// DfEApplicationsWorker syncs DfE's applications (applications.Sync). With no Client (the
// integration is off) it does nothing.
type DfEApplicationsWorker struct {
	river.WorkerDefaults[DfEApplicationsArgs]
	DB     database.DB
	Client *dfe.Client
	Now    func() time.Time
	Log    *slog.Logger
}

// Timeout bounds one sync: a first sync of a large provider reads many pages.
func (w *DfEApplicationsWorker) Timeout(*river.Job[DfEApplicationsArgs]) time.Duration {
	return 10 * time.Minute
}

// Work syncs the applications changed since the last sync.
func (w *DfEApplicationsWorker) Work(ctx context.Context, _ *river.Job[DfEApplicationsArgs]) error {
	if w.Client == nil {
		return nil
	}
	res, err := applications.Sync(ctx, w.DB, w.Client, w.Now())
	if err != nil {
		return fmt.Errorf("dfe applications sync: %w", err)
	}
	if res.Read > 0 {
		w.Log.Info("dfe applications synced", "read", res.Read)
	}
	return nil
}
