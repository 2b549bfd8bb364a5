// Command npq is the NPQ delivery platform: npq serve | migrate | seed | demo.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/config"
	"npq/internal/database"
	"npq/internal/demo"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/lifecycle"
	"npq/internal/notify"
	"npq/internal/server"
)

const usage = `usage: npq <command>

commands:
  serve     run the web server (migrates first unless MIGRATE_ON_START=false)
  migrate   apply database migrations
  seed      load the framework content from frameworks/ (also done by serve)
  demo      load demonstration data (refused when NPQ_ENV=production)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "npq:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 {
		fmt.Fprint(stdout, usage)
		return errors.New("expected one command")
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
		if err := demo.Load(ctx, pool, cfg.Production()); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Demo data loaded. Sign in with any of these (password "+demo.Password+"):")
		for _, a := range demo.Accounts {
			fmt.Fprintf(stdout, "  %-24s %s\n", a.Email, a.Role.Label())
		}
		return nil
	case "seed":
		if err := database.Migrate(ctx, pool, log); err != nil {
			return err
		}
		return seed(ctx, pool, log, true)
	case "serve":
		if cfg.MigrateOnStart {
			if err := database.Migrate(ctx, pool, log); err != nil {
				return err
			}
		}
		if err := seed(ctx, pool, log, false); err != nil {
			return err
		}
		// Serving gets its own pool whose statements are cut short when the database stops
		// answering; migrating and seeding above had no such limit.
		pool.Close()
		servePool, err := database.Open(ctx, cfg.DatabaseURL, database.Options{StatementTimeout: cfg.DBStatementTimeout})
		if err != nil {
			return err
		}
		defer servePool.Close()
		return serve(ctx, cfg, servePool, log)
	}
	fmt.Fprint(stdout, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// seed validates the embedded framework files and brings the database in step with them.
// A file with a problem stops it before anything is written.
func seed(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, force bool) error {
	start := time.Now()
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		return fmt.Errorf("framework files are not valid, nothing was loaded:\n%w", err)
	}
	res, err := frameworks.Import(ctx, pool, lib, force)
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

// serve runs the HTTP server until ctx ends, then lets in-flight requests finish.
func serve(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, log *slog.Logger) error {
	srv := server.New(cfg, pool, log)
	defer srv.Close()
	go events.Store{DB: pool, BaseURL: cfg.BaseURL}.RunReminders(ctx, log, time.Minute)
	go lifecycle.Store{DB: pool, BaseURL: cfg.BaseURL}.RunDaily(ctx, log, time.Hour)
	if cfg.SMTPHost != "" {
		sender := notify.Sender{DB: pool, Log: log, SMTP: notify.SMTPSettings{Host: cfg.SMTPHost, Port: cfg.SMTPPort,
			Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.MailFrom}}
		go sender.Run(ctx)
		log.Info("delivering mail by SMTP", "host", cfg.SMTPHost, "port", cfg.SMTPPort)
	} else {
		log.Info("SMTP is not configured: mail stays in the outbox at /admin/outbox")
	}
	hs := &http.Server{
		Addr:              cfg.Addr,
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		log.Info("listening", "addr", cfg.Addr, "url", cfg.BaseURL)
		errc <- hs.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
