package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"npq/internal/auth"
	"npq/internal/jobs"
	"npq/internal/personaldata"
)

// work runs one job of worker's kind through River's test executor, in a transaction that is
// rolled back afterwards (the work itself goes through the worker's own pool), and fails the
// test unless the job completed.
func work[T river.JobArgs](t *testing.T, f *fixture, worker river.Worker[T], args T) {
	t.Helper()
	ctx := context.Background()
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // only the job row is in it
	w := rivertest.NewWorker(t, riverpgxv5.New(nil), &river.Config{}, worker)
	res, err := w.Work(ctx, t, tx, args, nil)
	if err != nil {
		t.Fatalf("%s: %v", args.Kind(), err)
	}
	if res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("%s: %s", args.Kind(), res.EventKind)
	}
}

func TestRemindersWorkerSendsDueRemindersOnce(t *testing.T) {
	f := newFixture(t, 2)
	f.bookedWeeksAgo(t)
	c := f.config(nil, func() time.Time { return f.now })
	w := &jobs.RemindersWorker{Store: c.Events, Now: c.Now, Log: c.Log}
	work(t, f, w, jobs.RemindersArgs{})
	work(t, f, w, jobs.RemindersArgs{})
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'In a week:%'`); n != 2 {
		t.Errorf("%d reminders after two runs, want one per booking (2)", n)
	}
}

func TestMailDeliveryWorkerDeliversTheOutbox(t *testing.T) {
	f := newFixture(t, 2) // each participant is emailed an invitation
	ms := startMailServer(t)
	c := f.config(ms, time.Now)
	w := &jobs.MailDeliveryWorker{Sender: c.Mail, Log: c.Log}
	work(t, f, w, jobs.MailDeliveryArgs{})
	if total, _ := ms.counts(); total != 2 {
		t.Errorf("%d messages delivered, want 2", total)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 0 {
		t.Errorf("%d messages left unsent", n)
	}
	// Without SMTP the job completes and leaves the outbox alone.
	work(t, f, &jobs.MailDeliveryWorker{Log: c.Log}, jobs.MailDeliveryArgs{})
}

func TestReturnChecksWorkerEndsDeferralsDue(t *testing.T) {
	f := newFixture(t, 1)
	returnOn := f.today.AddDate(0, 2, 0)
	req := f.deferredWithoutAnswer(t, returnOn)
	c := f.config(nil, func() time.Time { return returnOn.Add(12 * time.Hour) })
	work(t, f, &jobs.ReturnChecksWorker{Store: c.Lifecycle, Now: c.Now, Log: c.Log}, jobs.ReturnChecksArgs{})
	// Not having confirmed the return, the participant becomes a withdrawal case.
	if n := f.count(t, `SELECT count(*) FROM status_requests WHERE enrolment_id = $1 AND kind = 'withdrawal' AND source = 'system'`, f.enrolments[0]); n != 1 {
		t.Errorf("%d withdrawal cases for deferral %d", n, req)
	}
}

func TestAccountPruningWorkerDeletesOldRecords(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	var user int64
	if err := f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, f.enrolments[0]).Scan(&user); err != nil {
		t.Fatal(err)
	}
	accounts := auth.Store{DB: f.pool}
	if _, err := accounts.StartSession(ctx, user, "Firefox", "192.0.2.1", f.now.Add(-auth.AccountRecordsKept-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ('gone', '', now() - interval '1 minute'), ('live', '', now() + interval '1 hour')`); err != nil {
		t.Fatal(err)
	}
	c := f.config(nil, time.Now)
	work(t, f, &jobs.AccountPruningWorker{Store: c.Accounts, Now: c.Now, Log: c.Log}, jobs.AccountPruningArgs{})
	if n := f.count(t, `SELECT count(*) FROM account_sessions`); n != 0 {
		t.Errorf("%d year-old sign-in records kept", n)
	}
	if n := f.count(t, `SELECT count(*) FROM sessions WHERE token = 'gone'`) + 10*f.count(t, `SELECT count(*) FROM sessions WHERE token = 'live'`); n != 10 {
		t.Errorf("browser sessions: want the expired one deleted and the live one kept (code %d)", n)
	}
}

func TestRetentionWorkerRunsThePolicyOnceADay(t *testing.T) {
	f := newFixture(t, 1)
	c := f.config(nil, time.Now)
	w := &jobs.RetentionWorker{Store: c.PersonalData, Policy: c.Retention, Now: c.Now}
	work(t, f, w, jobs.RetentionArgs{})
	work(t, f, w, jobs.RetentionArgs{})
	if n := f.count(t, `SELECT count(*) FROM retention_runs`); n != 1 {
		t.Errorf("%d policy runs after two jobs on one day, want 1", n)
	}
	if run, ok, err := (personaldata.Store{DB: f.pool}).LatestRun(context.Background()); err != nil || !ok || run.Applied {
		t.Errorf("latest run %+v %v %v: want a report only", run, ok, err)
	}
}

// Two app instances run the jobs on one database at once: every message is delivered exactly
// once and every reminder is sent once, however many delivery and reminder jobs they work
// together; and each stops promptly when asked.
func TestTwoInstancesDeliverEachMessageOnce(t *testing.T) {
	f := newFixture(t, 6)
	f.bookedWeeksAgo(t)
	ms := startMailServer(t)
	fast := jobs.Schedule{Reminders: time.Second, MailDelivery: time.Second}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stopped := make(chan struct{}, 2)
	var runners []*jobs.Runner
	for _, id := range []string{"instance-a", "instance-b"} {
		c := f.config(ms, func() time.Time { return f.now })
		c.Schedule, c.ID = fast, id
		r, err := jobs.New(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		go func() { r.RunUntil(ctx, 5*time.Second); stopped <- struct{}{} }()
		runners = append(runners, r)
	}
	// Besides the periodic jobs, each instance queues several more of each kind, all
	// available at once, so both work them side by side.
	for _, r := range runners {
		var batch []river.InsertManyParams
		for i := range 5 {
			at := time.Now().Add(-time.Duration(i+1) * time.Second)
			batch = append(batch,
				river.InsertManyParams{Args: jobs.MailDeliveryArgs{}, InsertOpts: &river.InsertOpts{Queue: jobs.QueueMail, ScheduledAt: at}},
				river.InsertManyParams{Args: jobs.RemindersArgs{}, InsertOpts: &river.InsertOpts{ScheduledAt: at}})
		}
		if _, err := r.Client().InsertMany(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}

	// 6 invitations, 6 booking confirmations and 6 reminders.
	deadline := time.Now().Add(30 * time.Second)
	for f.count(t, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`) > 0 || f.count(t, `SELECT count(*) FROM outbox`) < 18 {
		if time.Now().After(deadline) {
			t.Fatalf("after 30s: %d of %d messages unsent", f.count(t, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`), f.count(t, `SELECT count(*) FROM outbox`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Let any job still running finish before counting.
	for f.count(t, `SELECT count(*) FROM river_job WHERE state IN ('running', 'available')`) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'In a week:%'`); n != 6 {
		t.Errorf("%d reminders, want one per booking (6)", n)
	}
	outbox := f.count(t, `SELECT count(*) FROM outbox`)
	total, repeated := ms.counts()
	if total != outbox || repeated != 0 {
		t.Errorf("the mail server received %d messages (%d more than once) for %d in the outbox", total, repeated, outbox)
	}
	workedBy := f.count(t, `SELECT count(DISTINCT attempted_by[1]) FROM river_job WHERE kind IN ('outbox_delivery', 'event_reminders') AND state = 'completed'`)
	t.Logf("delivery and reminder jobs were worked by %d instance(s)", workedBy)
	if n := f.count(t, `SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'scheduled')`); n != 0 {
		var states []string
		rows, _ := f.pool.Query(context.Background(), `SELECT kind || ' ' || state || ' ' || coalesce(errors::text, '') FROM river_job WHERE state NOT IN ('completed', 'scheduled')`)
		states, _ = pgx.CollectRows(rows, pgx.RowTo[string])
		t.Errorf("%d jobs did not complete: %v", n, states)
	}

	start := time.Now()
	stop()
	for range runners {
		select {
		case <-stopped:
		case <-time.After(5 * time.Second):
			t.Fatal("an instance did not stop within five seconds")
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping took %s", d)
	}
}

// A job still running when the shutdown timeout runs out is cancelled, and stopping returns
// half a second later even if it has not finished (here a delivery to a mail server that does
// not answer, which only the SMTP client's own timeout ends).
func TestStopDoesNotWaitPastTheTimeout(t *testing.T) {
	f := newFixture(t, 1)
	ms := startMailServer(t)
	ms.stall = make(chan struct{})
	defer close(ms.stall)
	c := f.config(ms, time.Now)
	c.Schedule = jobs.Schedule{Reminders: time.Hour, MailDelivery: time.Second}
	r, err := jobs.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() { r.RunUntil(ctx, 300*time.Millisecond); close(stopped) }()
	deadline := time.Now().Add(20 * time.Second)
	for f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'outbox_delivery' AND state = 'running'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no delivery started")
		}
		time.Sleep(50 * time.Millisecond)
	}
	start := time.Now()
	stop()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the instance did not stop within five seconds of a 0.3s timeout")
	}
	t.Logf("stopped in %s", time.Since(start))
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("stopping took %s with a timeout of 0.3s", d)
	}
}
