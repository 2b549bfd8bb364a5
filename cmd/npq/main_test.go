package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"npq/internal/config"
	"npq/internal/testdb"
)

// A request stuck on a lock does not hold shutdown past SHUTDOWN_TIMEOUT: it is cancelled and
// answered with 503, and background loops have stopped before serve returns (and the pool
// is closed).
func TestShutdownHonoursTheTimeout(t *testing.T) {
	pool := testdb.New(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{Env: "test", Addr: l.Addr().String(), BaseURL: "http://" + l.Addr().String(),
		ShutdownTimeout: 500 * time.Millisecond}
	var loopDone atomic.Bool
	slowLoop := job{name: "slow loop", run: func(ctx context.Context) {
		<-ctx.Done()
		time.Sleep(300 * time.Millisecond) // finishing its round
		loopDone.Store(true)
	}}

	// Something holds a lock the request needs (released after ten seconds at most).
	lockCtx, release := context.WithTimeout(context.Background(), 10*time.Second)
	defer release()
	tx, err := pool.Begin(lockCtx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background()) //nolint:errcheck // releases the lock
	if _, err := tx.Exec(lockCtx, `LOCK TABLE frameworks IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() {
		served <- serveOn(ctx, l, cfg, pool, slog.New(slog.NewTextHandler(io.Discard, nil)), []job{slowLoop})
	}()
	answered := make(chan *http.Response, 1)
	go func() {
		res, err := http.Get(cfg.BaseURL + "/frameworks")
		if err != nil {
			t.Errorf("the stuck request got no answer: %v", err)
			answered <- nil
			return
		}
		res.Body.Close()
		answered <- res
	}()
	// Wait until the request is waiting for the lock.
	for waiting := 0; waiting == 0; time.Sleep(20 * time.Millisecond) {
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if lockCtx.Err() != nil {
			t.Fatal("the request never reached the lock")
		}
	}

	start := time.Now()
	stop() // SIGTERM
	select {
	case err := <-served:
		if err != nil {
			t.Logf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return within five seconds of a 0.5s shutdown timeout")
	}
	if d := time.Since(start); d > cfg.ShutdownTimeout+2*time.Second {
		t.Errorf("shutdown took %s with a timeout of %s", d, cfg.ShutdownTimeout)
	}
	if !loopDone.Load() {
		t.Error("serve returned before the background loop had stopped")
	}
	if res := <-answered; res != nil && res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("the stuck request was answered %d, want 503", res.StatusCode)
	}
}

// The first SIGTERM starts a graceful shutdown; a second one ends the process at once.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if os.Getenv("NPQ_SIGNAL_TEST_CHILD") == "1" {
		ctx, stop := signalContext()
		defer stop()
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
		os.Stdout.WriteString("shutting down\n")
		time.Sleep(30 * time.Second) // a shutdown that takes too long
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalExitsAtOnce$")
	cmd.Env = append(os.Environ(), "NPQ_SIGNAL_TEST_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck // already gone when the test passes
	lines := bufio.NewScanner(out)
	expect := func(want string) {
		t.Helper()
		for lines.Scan() {
			if strings.TrimSpace(lines.Text()) == want {
				return
			}
		}
		t.Fatalf("child never said %q", want)
	}
	expect("ready")
	cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	expect("shutting down")
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	exited := make(chan error, 1)
	go func() { io.Copy(io.Discard, out); exited <- cmd.Wait() }() //nolint:errcheck
	select {
	case err := <-exited:
		if err == nil {
			t.Error("the second signal did not end the process (it finished its shutdown instead)")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal was ignored")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("exit took %s after the second signal", d)
	}
}
