// Command npq is the NPQ delivery platform: npq serve | migrate | seed | demo | dfe-fake.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	frameworkdata "npq/frameworks"
	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/database"
	"npq/internal/demo"
	"npq/internal/dfe"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/jobs"
	"npq/internal/lifecycle"
	"npq/internal/notify"
	"npq/internal/personaldata"
	"npq/internal/server"
	"npq/internal/twostep"
)

const usage = `usage: npq <command>

commands:
  serve     run the web server (migrates first unless MIGRATE_ON_START=false)
  migrate   apply database migrations
  seed      load the framework content from frameworks/ (also done by serve)
  demo      load demonstration data (refused when NPQ_ENV=production);
            demo --scale national adds a national provider's volume on top (about 60,000 participants)
  demo-code print the current two-step sign-in code of the demo admins and assessors
  dfe-fake  serve a fake DfE lead-provider API with sample data (DFE_FAKE_ADDR, default localhost:8090)
`

func main() {
	ctx, stop := signalContext()
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "npq:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var scale string
	if len(args) == 3 && args[0] == "demo" && args[1] == "--scale" {
		scale, args = args[2], args[:1]
		if scale != "national" {
			return fmt.Errorf("demo --scale: the only scale is national, not %q", scale)
		}
	}
	if len(args) != 1 {
		fmt.Fprint(stdout, usage)
		return errors.New("expected one command")
	}
	if args[0] == "demo-code" {
		// Needs no database: the demo admin's key is published.
		code, err := twostep.Code(demo.AdminTwoStepSecret, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, code)
		return nil
	}
	if args[0] == "dfe-fake" {
		return runDfEFake(ctx, getenv, stdout)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	pool, err := database.Open(ctx, cfg.DatabaseURL, database.Options{})
	if err != nil {
		return err
	}
	defer pool.Close()

	switch args[0] {
	case "migrate":
		return database.Migrate(ctx, pool, log)
	case "demo":
		if err := database.Migrate(ctx, pool, log); err != nil {
			return err
		}
		if err := demo.Load(ctx, pool, demoEnvironment(cfg)); err != nil {
			return err
		}
		if scale == "national" {
			return loadNational(ctx, pool, log, stdout)
		}
		fmt.Fprintln(stdout, "Demo data loaded. Sign in with any of these (password "+demo.Password+"):")
		for _, a := range demo.Accounts {
			fmt.Fprintf(stdout, "  %-24s %s\n", a.Email, a.Role.Label())
		}
		fmt.Fprintf(stdout, "  %-24s %s (deactivated: signing in is refused)\n", demo.Leaver.Email, demo.Leaver.Role.Label())
		fmt.Fprintf(stdout, "Admins and assessors must use two-step sign-in (%s): after the password, give the code from `npq demo-code`, or add the key %s to an authenticator app\n",
			strings.Join(demo.TwoStepEmails(), ", "), twostep.Grouped(demo.AdminTwoStepSecret))
		return nil
	case "seed":
		if err := database.Migrate(ctx, pool, log); err != nil {
			return err
		}
		return seed(ctx, pool, log, frameworks.Always)
	case "serve":
		if cfg.MigrateOnStart {
			if err := database.Migrate(ctx, pool, log); err != nil {
				return err
			}
		}
		if err := seed(ctx, pool, log, frameworks.IfChanged); err != nil {
			return err
		}
		// Serving gets its own pool whose statements are cut short when the database stops
		// answering; migrating and seeding above had no such limit.
		pool.Close()
		servePool, err := database.Open(ctx, cfg.DatabaseURL, database.Options{StatementTimeout: cfg.DBStatementTimeout, MaxConns: cfg.DBMaxConns, GenericPlans: true})
		if err != nil {
			return err
		}
		defer servePool.Close()
		return serve(ctx, cfg, servePool, log)
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// loadNational adds the national-size data to the demo, or says it is already there.
func loadNational(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, stdout io.Writer) error {
	sum, err := demo.LoadNational(ctx, pool, demo.National, log)
	if errors.Is(err, demo.ErrNationalLoaded) {
		fmt.Fprintln(stdout, "The national-size data is already loaded: nothing to do.")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "National-size data loaded:", sum)
	fmt.Fprintln(stdout, "The demo accounts work as before; every national participant has the demo password too.")
	return nil
}

// demoEnvironment is the kind of deployment cfg is, as demo.Load needs to know it.
func demoEnvironment(cfg config.Config) demo.Environment {
	if cfg.Production() {
		return demo.Production
	}
	return demo.Development
}

// seed validates the embedded framework files and brings the database in step with them.
// A file with a problem stops it before anything is written.
func seed(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, mode frameworks.ImportMode) error {
	start := time.Now()
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		return fmt.Errorf("framework files are not valid, nothing was loaded:\n%w", err)
	}
	res, err := frameworks.Import(ctx, pool, lib, mode)
	if err != nil {
		return err
	}
	log.Info("frameworks loaded", "frameworks", len(lib.Frameworks), "skipped_unchanged", res.Skipped,
		"inserted", res.Inserted, "updated", res.Updated, "deleted", res.Deleted, "duration", time.Since(start))
	return nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	if cfg.Production() {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// signalContext is cancelled by the first SIGINT or SIGTERM, which starts a graceful
// shutdown. Signals then get their default handling back, so a second one ends the process
// at once.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
		}
		signal.Stop(sigs)
		cancel()
	}()
	return ctx, cancel
}

// job is background work that runs until its context ends.
type job struct {
	name string
	run  func(ctx context.Context)
}

// jobsConfig wires the background jobs (internal/jobs) to the stores whose work they do.
func jobsConfig(cfg config.Config, pool *pgxpool.Pool, log *slog.Logger) jobs.Config {
	c := jobs.Config{
		Pool:         pool,
		Log:          log,
		Events:       events.Store{DB: pool, BaseURL: cfg.BaseURL},
		Lifecycle:    lifecycle.Store{DB: pool, BaseURL: cfg.BaseURL, Signature: lifecycle.Signature{Name: cfg.ProviderName, ContactEmail: cfg.ProviderContactEmail}},
		Accounts:     auth.Store{DB: pool},
		PersonalData: personaldata.Store{DB: pool},
		Retention:    retentionPolicy(cfg),
	}
	if cfg.DfE.Enabled() {
		client, err := dfe.New(cfg.DfE.APIURL, cfg.DfE.APIToken, dfe.WithLogger(log))
		if err != nil {
			log.Error("the DfE integration is off", "err", err)
		}
		c.DfE = client
	}
	if cfg.SMTPHost == "" {
		log.Info("SMTP is not configured: mail stays in the outbox at /admin/outbox")
		return c
	}
	c.Mail = &notify.Sender{DB: pool, Log: log, MessageIDHost: hostOf(cfg.BaseURL), SMTP: notify.SMTPSettings{Host: cfg.SMTPHost, Port: cfg.SMTPPort,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.MailFrom}}
	log.Info("delivering mail by SMTP", "host", cfg.SMTPHost, "port", cfg.SMTPPort)
	return c
}

// retentionPolicy is the retention policy the configuration sets.
func retentionPolicy(cfg config.Config) personaldata.Policy {
	return personaldata.Policy{DeactivateAfterDays: cfg.RetentionDeactivateDays, AnonymiseAfterYears: cfg.RetentionAnonymiseYears}
}

// hostOf is the host name of a URL, or "" when it has none.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// serve runs the HTTP server and the background jobs (River, internal/jobs) until ctx ends,
// then shuts down.
func serve(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, log *slog.Logger) error {
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The jobs have a pool of their own, so that they never hold up requests: River keeps one
	// connection listening, and a burst of jobs takes at most the rest.
	jobsPool, err := database.Open(ctx, cfg.DatabaseURL, database.Options{StatementTimeout: cfg.DBStatementTimeout, MaxConns: jobsPoolSize})
	if err != nil {
		l.Close() //nolint:errcheck // not serving after all
		return err
	}
	defer jobsPool.Close()
	runner, err := jobs.New(jobsConfig(cfg, jobsPool, log))
	if err == nil {
		err = runner.Start(ctx)
	}
	if err != nil {
		l.Close() //nolint:errcheck // not serving after all
		return err
	}
	background := job{"background jobs", func(ctx context.Context) { runner.RunUntil(ctx, cfg.ShutdownTimeout) }}
	return serveOn(ctx, l, cfg, pool, log, []job{background})
}

// jobsPoolSize is how many connections the background jobs use at most.
const jobsPoolSize = 5

// cancelGrace is how long requests cancelled at the end of the shutdown timeout get to send
// their answer (a 503 page, or the redirect of a change that was already committed).
const cancelGrace = time.Second

// serveOn serves HTTP on l and runs jobs until ctx ends. Then it stops accepting requests,
// lets those in flight finish for up to cfg.ShutdownTimeout, cancels whatever still runs
// (its database work is rolled back and it answers 503) and returns once every job has
// stopped, so the caller can close the pool.
func serveOn(ctx context.Context, l net.Listener, cfg config.Config, pool *pgxpool.Pool, log *slog.Logger, jobs []job) error {
	srv := server.New(cfg, pool, log)
	defer srv.Close()

	// The jobs run in a group tied to shutdown: stopJobs ends them all, and serveOn waits for
	// the group before it returns.
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	group, groupCtx := errgroup.WithContext(jobsCtx)
	for _, j := range jobs {
		group.Go(func() error {
			j.run(groupCtx)
			log.Info("background job stopped", "job", j.name)
			return nil
		})
	}

	// Every request's context derives from work, which is cancelled when the shutdown
	// timeout runs out.
	work, cancelWork := context.WithCancelCause(context.Background())
	defer cancelWork(nil)
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return work },
	}
	errc := make(chan error, 1)
	go func() {
		log.Info("listening", "addr", l.Addr().String(), "url", cfg.BaseURL)
		errc <- hs.Serve(l)
	}()
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	}
	stopJobs()

	deadline := time.Now().Add(cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		log.Warn("shutdown timeout reached: cancelling requests still running")
		cancelWork(server.ErrShuttingDown)
		graceCtx, cancelGraceCtx := context.WithTimeout(context.Background(), cancelGrace)
		defer cancelGraceCtx()
		if err := hs.Shutdown(graceCtx); err != nil {
			hs.Close() //nolint:errcheck // closing anyway
		}
	}

	// Jobs had their context cancelled when shutdown began; wait for them (within the same
	// deadline) before the pool closes under them.
	stopped := make(chan error, 1)
	go func() { stopped <- group.Wait() }()
	select {
	case err := <-stopped:
		if err != nil && serveErr == nil {
			serveErr = err
		}
	case <-time.After(time.Until(deadline.Add(cancelGrace))):
		log.Error("background jobs did not stop in time")
		if serveErr == nil {
			serveErr = errors.New("background jobs did not stop in time")
		}
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return serveErr
}
