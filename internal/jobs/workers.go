package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"npq/internal/auth"
	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/notify"
	"npq/internal/personaldata"
)

// RemindersArgs is the job that sends the event reminders now due.
type RemindersArgs struct{}

// Kind names the job in river_job.
func (RemindersArgs) Kind() string { return "event_reminders" }

// RemindersWorker sends due event reminders (events.Store.SendDueReminders).
type RemindersWorker struct {
	river.WorkerDefaults[RemindersArgs]
	Store events.Store
	Now   func() time.Time
	Log   *slog.Logger
}

// Timeout bounds one run.
func (w *RemindersWorker) Timeout(*river.Job[RemindersArgs]) time.Duration { return 5 * time.Minute }

// Work sends the reminders due now.
func (w *RemindersWorker) Work(ctx context.Context, _ *river.Job[RemindersArgs]) error {
	n, err := w.Store.SendDueReminders(ctx, w.Now())
	if err != nil {
		return fmt.Errorf("event reminders: %w", err)
	}
	if n > 0 {
		w.Log.Info("event reminders sent", "messages", n)
	}
	return nil
}

// MailDeliveryArgs is the job that delivers a batch of due outbox messages by SMTP.
type MailDeliveryArgs struct{}

// Kind names the job in river_job.
func (MailDeliveryArgs) Kind() string { return "outbox_delivery" }

// MailDeliveryWorker delivers due outbox messages (notify.Sender.DeliverPending). With no
// Sender (SMTP not configured) it does nothing.
type MailDeliveryWorker struct {
	river.WorkerDefaults[MailDeliveryArgs]
	Sender *notify.Sender
	Log    *slog.Logger
}

// Timeout bounds one round; messages not reached wait for the next one.
func (w *MailDeliveryWorker) Timeout(*river.Job[MailDeliveryArgs]) time.Duration {
	return 2 * time.Minute
}

// Work delivers one batch.
func (w *MailDeliveryWorker) Work(ctx context.Context, _ *river.Job[MailDeliveryArgs]) error {
	if w.Sender == nil {
		return nil
	}
	n, err := w.Sender.DeliverPending(ctx)
	if err != nil {
		return fmt.Errorf("mail delivery: %w", err)
	}
	if n > 0 {
		w.Log.Info("mail delivered", "messages", n)
	}
	return nil
}

// ReturnChecksArgs is the job that ends deferrals reaching their return date.
type ReturnChecksArgs struct{}

// Kind names the job in river_job.
func (ReturnChecksArgs) Kind() string { return "deferral_return_checks" }

// ReturnChecksWorker runs the deferral return checks (lifecycle.Store.RunDailyChecks).
type ReturnChecksWorker struct {
	river.WorkerDefaults[ReturnChecksArgs]
	Store lifecycle.Store
	Now   func() time.Time
	Log   *slog.Logger
}

// Timeout bounds one run.
func (w *ReturnChecksWorker) Timeout(*river.Job[ReturnChecksArgs]) time.Duration {
	return 10 * time.Minute
}

// Work returns the deferred participants due back and opens cases for the others.
func (w *ReturnChecksWorker) Work(ctx context.Context, _ *river.Job[ReturnChecksArgs]) error {
	returned, cases, err := w.Store.RunDailyChecks(ctx, w.Now())
	if err != nil {
		return fmt.Errorf("deferral checks: %w", err)
	}
	if returned+cases > 0 {
		w.Log.Info("deferral checks", "returned", returned, "withdrawal_cases", cases)
	}
	return nil
}

// AccountPruningArgs is the job that deletes account records past their keeping time.
type AccountPruningArgs struct{}

// Kind names the job in river_job.
func (AccountPruningArgs) Kind() string { return "account_record_pruning" }

// AccountPruningWorker deletes old sign-in records, links and expired browser sessions
// (auth.Store.PruneAccountRecords).
type AccountPruningWorker struct {
	river.WorkerDefaults[AccountPruningArgs]
	Store auth.Store
	Now   func() time.Time
	Log   *slog.Logger
}

// Timeout bounds one run.
func (w *AccountPruningWorker) Timeout(*river.Job[AccountPruningArgs]) time.Duration {
	return 10 * time.Minute
}

// Work prunes the records.
func (w *AccountPruningWorker) Work(ctx context.Context, _ *river.Job[AccountPruningArgs]) error {
	n, err := w.Store.PruneAccountRecords(ctx, w.Now())
	if err != nil {
		return fmt.Errorf("account record pruning: %w", err)
	}
	if n > 0 {
		w.Log.Info("pruned account records", "rows", n)
	}
	return nil
}

// RetentionArgs is the job that runs the retention policy once a day.
type RetentionArgs struct{}

// Kind names the job in river_job.
func (RetentionArgs) Kind() string { return "retention_policy" }

// RetentionWorker runs the retention policy unless it has run today
// (personaldata.Store.RunIfDue).
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	Store  personaldata.Store
	Policy personaldata.Policy
	Now    func() time.Time
}

// Timeout bounds one run: anonymising many accounts at once takes a while.
func (w *RetentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return 30 * time.Minute }

// Work runs the policy if it is due.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	if err := w.Store.RunIfDue(ctx, w.Policy, w.Now()); err != nil {
		return fmt.Errorf("retention policy: %w", err)
	}
	return nil
}
