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
	"npq/internal/dfe/milestones"
	"npq/internal/dfe/outbound"
	"npq/internal/dfe/reconcile"
	"npq/internal/dfe/statements"
	"npq/internal/dfe/statuses"
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

// DfEDeclarationsArgs is the job that derives the DfE declarations our evidence earns and
// the status changes our decisions make, and sends the due ones.
type DfEDeclarationsArgs struct{}

// Kind names the job in river_job.
func (DfEDeclarationsArgs) Kind() string { return "dfe_declarations" }

// DfEDeclarationsWorker runs outbound.Derive and outbound.SendDue, then statuses.Derive and
// statuses.SendDue, so the declarations earned before a deferral or withdrawal reach DfE
// before it. With no Client (the integration is off) it does nothing.
type DfEDeclarationsWorker struct {
	river.WorkerDefaults[DfEDeclarationsArgs]
	DB     database.DB
	Client *dfe.Client
	Now    func() time.Time
	Log    *slog.Logger
}

// Timeout bounds one run: DfE's rate limit spreads a large backlog over minutes.
func (w *DfEDeclarationsWorker) Timeout(*river.Job[DfEDeclarationsArgs]) time.Duration {
	return 10 * time.Minute
}

// Work records the newly due declarations and status changes and sends every due one.
func (w *DfEDeclarationsWorker) Work(ctx context.Context, _ *river.Job[DfEDeclarationsArgs]) error {
	if w.Client == nil {
		return nil
	}
	derived, err := outbound.Derive(ctx, w.DB, w.Now())
	if err != nil {
		return fmt.Errorf("dfe declarations: %w", err)
	}
	sent, err := outbound.SendDue(ctx, w.DB, w.Client, w.Now())
	if err != nil {
		return fmt.Errorf("dfe declarations: %w", err)
	}
	if derived.Added > 0 || derived.Outcomes > 0 || sent != (outbound.SendResult{}) {
		w.Log.Info("dfe declarations", "due", derived.Added, "outcomes_due", derived.Outcomes, "sent", sent.Sent,
			"already_at_dfe", sent.Matched, "refused", sent.Failed, "outcomes_sent", sent.OutcomesSent,
			"outcomes_refused", sent.OutcomesFailed, "left_due", sent.Left)
	}
	if len(derived.Refused) > 0 {
		w.Log.Info("dfe declarations earned but not sent: DfE would refuse or void them", "by_reason", derived.Refused)
	}
	changes, err := statuses.Derive(ctx, w.DB, w.Now())
	if err != nil {
		return fmt.Errorf("dfe status changes: %w", err)
	}
	pushed, err := statuses.SendDue(ctx, w.DB, w.Client, w.Now())
	if err != nil {
		return fmt.Errorf("dfe status changes: %w", err)
	}
	if changes.Added > 0 || pushed != (statuses.SendResult{}) {
		w.Log.Info("dfe status changes", "due", changes.Added, "sent", pushed.Sent, "already_at_dfe", pushed.Already,
			"refused", pushed.Failed, "held_back", pushed.HeldBack, "left_due", pushed.Left)
	}
	return nil
}

// DfEStatementsArgs is the job that copies DfE's statement calendar, whose cut-off and
// payment dates the declarations and statements pages show.
type DfEStatementsArgs struct{}

// Kind names the job in river_job.
func (DfEStatementsArgs) Kind() string { return "dfe_statements_sync" }

// DfEStatementsWorker syncs DfE's statements (statements.Sync). With no Client (the
// integration is off) it does nothing.
type DfEStatementsWorker struct {
	river.WorkerDefaults[DfEStatementsArgs]
	DB     database.DB
	Client *dfe.Client
	Now    func() time.Time
	Log    *slog.Logger
}

// Work syncs the statements changed since the last sync, or all of them once a week.
func (w *DfEStatementsWorker) Work(ctx context.Context, _ *river.Job[DfEStatementsArgs]) error {
	if w.Client == nil {
		return nil
	}
	res, err := statements.Sync(ctx, w.DB, w.Client, w.Now())
	if err != nil {
		return fmt.Errorf("dfe statements sync: %w", err)
	}
	if res.Read > 0 {
		w.Log.Info("dfe statements synced", "read", res.Read, "full", res.Since.IsZero())
	}
	return nil
}

// DfEMilestonesArgs is the job that works out the DfE milestones at risk the partner page
// lists.
type DfEMilestonesArgs struct{}

// Kind names the job in river_job.
func (DfEMilestonesArgs) Kind() string { return "dfe_milestones" }

// DfEMilestonesWorker replaces the milestones at risk (milestones.Recompute). It reads only
// our own evidence and DfE's published schedules, so it runs without DfE configured.
type DfEMilestonesWorker struct {
	river.WorkerDefaults[DfEMilestonesArgs]
	DB  database.DB
	Now func() time.Time
	Log *slog.Logger
}

// Work works the milestones out again.
func (w *DfEMilestonesWorker) Work(ctx context.Context, _ *river.Job[DfEMilestonesArgs]) error {
	res, err := milestones.Recompute(ctx, w.DB, w.Now())
	if err != nil {
		return fmt.Errorf("dfe milestones: %w", err)
	}
	if res.AtRisk+res.Missed > 0 {
		w.Log.Info("dfe milestones worked out", "enrolments", res.Enrolments, "at_risk", res.AtRisk, "missed", res.Missed)
	}
	return nil
}

// DfEReconcileArgs is the job that reads DfE's participants and declarations and compares
// them with ours.
type DfEReconcileArgs struct{}

// Kind names the job in river_job.
func (DfEReconcileArgs) Kind() string { return "dfe_reconcile" }

// DfEReconcileWorker runs reconcile.Sync. With no Client (the integration is off) it does
// nothing.
type DfEReconcileWorker struct {
	river.WorkerDefaults[DfEReconcileArgs]
	DB     database.DB
	Client *dfe.Client
	Now    func() time.Time
	Log    *slog.Logger
}

// Timeout bounds one run: a weekly full read of a national provider's participants and
// declarations is a few hundred pages at DfE's rate limit.
func (w *DfEReconcileWorker) Timeout(*river.Job[DfEReconcileArgs]) time.Duration {
	return 30 * time.Minute
}

// Work reads what DfE changed since the last sync (or everything once a week) and lists the
// mismatches.
func (w *DfEReconcileWorker) Work(ctx context.Context, _ *river.Job[DfEReconcileArgs]) error {
	if w.Client == nil {
		return nil
	}
	res, err := reconcile.Sync(ctx, w.DB, w.Client, w.Now())
	if err != nil {
		return fmt.Errorf("dfe reconcile: %w", err)
	}
	w.Log.Info("dfe reconciled", "participants_read", res.Participants, "declarations_read", res.Declarations,
		"participant_ids_moved", res.IDsMoved, "mismatches", res.Mismatches, "full", res.Since.IsZero())
	return nil
}
