// Package jobs runs the platform's background work on River, a job queue kept in PostgreSQL
// (github.com/riverqueue/river): event reminders, outbox mail delivery, the deferral return
// checks, the pruning of account records, the retention policy, the DfE applications and
// statements syncs and the DfE declarations.
//
// Each kind of job has its arguments (an empty struct whose Kind names it) and a worker that
// calls one function of its domain package, which holds the work and its SQL. Every one of
// those functions is safe to run from several instances at once (rows are claimed with locks),
// so a job that runs twice, or on two instances together, does no harm. The jobs are periodic:
// River's elected leader inserts them on their schedule, each unique within its interval, and
// any instance works them. Later jobs (the DfE ones) are added the same way: an args type, a
// worker, a line in register and, if periodic, one in periodicJobs.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"npq/internal/auth"
	"npq/internal/dfe"
	"npq/internal/dfe/reconcile"
	"npq/internal/dfe/statements"
	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/notify"
	"npq/internal/personaldata"
)

// Schedule says how often each periodic job is inserted.
type Schedule struct {
	Reminders, MailDelivery, ReturnChecks, AccountPruning, Retention time.Duration
	// DfEApplications is how often DfE's applications are synced (only with DfE configured).
	DfEApplications time.Duration
	// DfEDeclarations is how often declarations are derived and sent (only with DfE configured).
	DfEDeclarations time.Duration
	// DfEStatements is how often DfE's statement calendar is synced (only with DfE configured).
	DfEStatements time.Duration
	// DfEMilestones is how often the DfE milestones at risk are worked out (DfE need not be
	// configured: it reads only our evidence).
	DfEMilestones time.Duration
	// DfEReconcile is how often DfE's participants and declarations are read and compared
	// with ours (only with DfE configured).
	DfEReconcile time.Duration
}

// DefaultSchedule is the schedule npq serve uses.
var DefaultSchedule = Schedule{
	Reminders:      time.Minute,
	MailDelivery:   5 * time.Second,
	ReturnChecks:   time.Hour,
	AccountPruning: time.Hour,
	Retention:      time.Hour,
	// A pending application becomes an invitation within one sync and an admin's decision.
	DfEApplications: 15 * time.Minute,
	// Statements close monthly; a declaration earned today reaches DfE within the quarter hour.
	DfEDeclarations: 15 * time.Minute,
	// Statements change a few times a month; each sync reaches back two runs.
	DfEStatements: statements.Window,
	// Milestone deadlines are weeks apart; partners see a participant turn at risk within the hour.
	DfEMilestones: time.Hour,
	// Several times a day, each reaching back two runs, and everything once a week.
	DfEReconcile: reconcile.Window,
}

// orDefault is s with DefaultSchedule's interval for each zero one.
func (s Schedule) orDefault() Schedule {
	d := DefaultSchedule
	return Schedule{
		Reminders:       cmp.Or(s.Reminders, d.Reminders),
		MailDelivery:    cmp.Or(s.MailDelivery, d.MailDelivery),
		ReturnChecks:    cmp.Or(s.ReturnChecks, d.ReturnChecks),
		AccountPruning:  cmp.Or(s.AccountPruning, d.AccountPruning),
		Retention:       cmp.Or(s.Retention, d.Retention),
		DfEApplications: cmp.Or(s.DfEApplications, d.DfEApplications),
		DfEDeclarations: cmp.Or(s.DfEDeclarations, d.DfEDeclarations),
		DfEStatements:   cmp.Or(s.DfEStatements, d.DfEStatements),
		DfEMilestones:   cmp.Or(s.DfEMilestones, d.DfEMilestones),
		DfEReconcile:    cmp.Or(s.DfEReconcile, d.DfEReconcile),
	}
}

// QueueMail is the queue mail delivery runs on, one at a time per instance, so a slow mail
// server never holds up the other jobs.
const QueueMail = "mail"

// Config is what the workers need and how the client runs.
type Config struct {
	Pool         *pgxpool.Pool
	Log          *slog.Logger
	Events       events.Store
	Lifecycle    lifecycle.Store
	Accounts     auth.Store
	PersonalData personaldata.Store
	Retention    personaldata.Policy
	// Mail delivers the outbox by SMTP; nil when SMTP is not configured, and messages then
	// stay in the outbox for admins to read.
	Mail *notify.Sender
	// DfE calls DfE's lead-provider API; nil when DFE_API_URL and DFE_API_TOKEN are not set,
	// and the DfE jobs then do nothing.
	DfE *dfe.Client
	// Now is the clock the work reads; time.Now when nil.
	Now func() time.Time
	// Schedule is DefaultSchedule's interval for each job whose interval is zero.
	Schedule Schedule
	// ID names this instance's client (in river_client and the logs); River makes one up
	// when empty.
	ID string
}

// Runner is one instance's River client with the platform's workers and periodic jobs.
type Runner struct {
	client *river.Client[pgx.Tx]
	log    *slog.Logger
}

// New builds the client. It does not start working until Start.
func New(cfg Config) (*Runner, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Schedule = cfg.Schedule.orDefault()
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	if err := register(workers, cfg); err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverpgxv5.New(cfg.Pool), &river.Config{
		ID: cfg.ID,
		// River logs its own machinery only when something goes wrong.
		Logger: slog.New(levelAtLeast{cfg.Log.Handler(), slog.LevelWarn}),
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 2},
			QueueMail:          {MaxWorkers: 1},
		},
		Workers:      workers,
		PeriodicJobs: periodicJobs(cfg),
		// Mail delivery runs every few seconds; an hour of finished jobs is plenty to look at.
		CompletedJobRetentionPeriod: time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{client: client, log: cfg.Log}, nil
}

// register adds every worker. Mail delivery is registered without SMTP too, so a delivery
// job left by an instance that had it completes (doing nothing) instead of failing.
func register(w *river.Workers, cfg Config) error {
	return errors.Join(
		river.AddWorkerSafely(w, &RemindersWorker{Store: cfg.Events, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &MailDeliveryWorker{Sender: cfg.Mail, Log: cfg.Log}),
		river.AddWorkerSafely(w, &ReturnChecksWorker{Store: cfg.Lifecycle, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &AccountPruningWorker{Store: cfg.Accounts, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &RetentionWorker{Store: cfg.PersonalData, Policy: cfg.Retention, Now: cfg.Now}),
		river.AddWorkerSafely(w, &DfEApplicationsWorker{DB: cfg.Pool, Client: cfg.DfE, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &DfEDeclarationsWorker{DB: cfg.Pool, Client: cfg.DfE, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &DfEStatementsWorker{DB: cfg.Pool, Client: cfg.DfE, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &DfEMilestonesWorker{DB: cfg.Pool, Now: cfg.Now, Log: cfg.Log}),
		river.AddWorkerSafely(w, &DfEReconcileWorker{DB: cfg.Pool, Client: cfg.DfE, Now: cfg.Now, Log: cfg.Log}),
	)
}

// periodicJobs are the jobs inserted on a schedule. Each is unique within its interval, so
// a change of leader (which starts the schedule again, running each job at once) inserts no
// second job for the same interval.
func periodicJobs(cfg Config) []*river.PeriodicJob {
	every := func(interval time.Duration, args river.JobArgs, queue string) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
			// The next run does the same work, so a failed one is not retried.
			return args, &river.InsertOpts{Queue: queue, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: interval}}
		}, &river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true})
	}
	s := cfg.Schedule
	jobs := []*river.PeriodicJob{
		every(s.Reminders, RemindersArgs{}, river.QueueDefault),
		every(s.ReturnChecks, ReturnChecksArgs{}, river.QueueDefault),
		every(s.AccountPruning, AccountPruningArgs{}, river.QueueDefault),
		every(s.Retention, RetentionArgs{}, river.QueueDefault),
		every(s.DfEMilestones, DfEMilestonesArgs{}, river.QueueDefault),
	}
	if cfg.Mail != nil {
		jobs = append(jobs, every(s.MailDelivery, MailDeliveryArgs{}, QueueMail))
	}
	if cfg.DfE != nil {
		jobs = append(jobs, every(s.DfEApplications, DfEApplicationsArgs{}, river.QueueDefault),
			every(s.DfEDeclarations, DfEDeclarationsArgs{}, river.QueueDefault),
			every(s.DfEStatements, DfEStatementsArgs{}, river.QueueDefault),
			every(s.DfEReconcile, DfEReconcileArgs{}, river.QueueDefault))
	}
	return jobs
}

// Client is the River client, for inserting jobs and for tests.
func (r *Runner) Client() *river.Client[pgx.Tx] { return r.client }

// Start starts working jobs. The work is not tied to ctx: RunUntil stops it.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// RunUntil waits for ctx to end, then stops: no job is fetched any more, jobs running get
// until stopTimeout to finish, and any still running then are cancelled (their database work
// is rolled back, and a later job does it again) and waited for, up to half a second more.
func (r *Runner) RunUntil(ctx context.Context, stopTimeout time.Duration) {
	<-ctx.Done()
	soft, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if err := r.client.Stop(soft); err == nil {
		return
	}
	r.log.Warn("background jobs still running at the shutdown timeout: cancelling them")
	hard, cancelHard := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancelHard()
	if err := r.client.StopAndCancel(hard); err != nil {
		r.log.Error("background jobs did not stop", "err", err)
	}
}

// levelAtLeast passes on only records at min or above.
type levelAtLeast struct {
	slog.Handler
	min slog.Level
}

// Enabled reports whether a record at l is passed on.
func (h levelAtLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// WithAttrs keeps the level floor on the derived handler.
func (h levelAtLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelAtLeast{h.Handler.WithAttrs(attrs), h.min}
}

// WithGroup keeps the level floor on the derived handler.
func (h levelAtLeast) WithGroup(name string) slog.Handler {
	return levelAtLeast{h.Handler.WithGroup(name), h.min}
}
