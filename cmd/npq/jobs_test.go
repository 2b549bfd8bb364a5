package main

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"npq/internal/testdb"
)

// npq serve on an empty database migrates it (ours and River's), runs the background jobs as
// River jobs, and stops them within SHUTDOWN_TIMEOUT.
func TestServeRunsTheBackgroundJobsOnRiver(t *testing.T) {
	pool := testdb.NewEmpty(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	env := map[string]string{"DATABASE_URL": pool.Config().ConnString(), "ADDR": addr, "NPQ_ENV": "test", "SHUTDOWN_TIMEOUT": "1s"}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard) }()

	// Each periodic job runs once as the instance starts.
	kinds := []string{"event_reminders", "deferral_return_checks", "account_record_pruning", "retention_policy"}
	deadline := time.Now().Add(60 * time.Second)
	for {
		var done int
		err := pool.QueryRow(ctx, `SELECT count(DISTINCT kind) FROM river_job WHERE kind = ANY($1) AND state = 'completed'`, kinds).Scan(&done)
		if err == nil && done == len(kinds) {
			break
		}
		select {
		case err := <-served:
			t.Fatalf("serve ended: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute %d of %d kinds of job had run (%v)", done, len(kinds), err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Without SMTP no delivery job is scheduled.
	var delivery int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'outbox_delivery'`).Scan(&delivery); err != nil || delivery != 0 {
		t.Errorf("%d delivery jobs without SMTP (%v)", delivery, err)
	}

	start := time.Now()
	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return within five seconds of a 1s shutdown timeout")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %s", d)
	}
}
