package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/config"
	"npq/internal/database"
	"npq/internal/server"
)

// childEnv marks the process started by the benchmark to serve the app.
const childEnv = "NPQ_BENCH_SERVER"

// controlEnv is the address of the serving process's control endpoint.
const controlEnv = "NPQ_BENCH_CONTROL"

// profileEnv names the file the serving process writes its CPU profile to (-cpu-profile).
const profileEnv = "NPQ_BENCH_CPU_PROFILE"

// queriesKey carries a request's query count in its context.
type queriesKey struct{}

// tracer counts the statements each request sends to PostgreSQL: a batch is one round trip.
type tracer struct{}

func countQuery(ctx context.Context) {
	if n, ok := ctx.Value(queriesKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// TraceQueryStart counts a statement against the request that sent it.
func (tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	countQuery(ctx)
	return ctx
}

// TraceQueryEnd does nothing.
func (tracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch as one round trip.
func (tracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	countQuery(ctx)
	return ctx
}

// TraceBatchQuery does nothing: the batch was counted when it started.
func (tracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd does nothing.
func (tracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// window holds the server times and query counts of the requests since the last reset.
type window struct {
	mu      sync.Mutex
	times   []time.Duration
	queries []int64
}

func (w *window) add(d time.Duration, q int64) {
	w.mu.Lock()
	w.times = append(w.times, d)
	w.queries = append(w.queries, q)
	w.mu.Unlock()
}

// serverStats is what the serving process reports about the requests since the last reset.
type serverStats struct {
	Requests   int     `json:"requests"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
	QueriesAvg float64 `json:"queries_avg"`
	QueriesMax int64   `json:"queries_max"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
}

// quantile is the q-quantile (0 to 1) of sorted durations, by the nearest-rank method.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (w *window) stats() serverStats {
	w.mu.Lock()
	times := slices.Clone(w.times)
	queries := slices.Clone(w.queries)
	w.mu.Unlock()
	slices.Sort(times)
	s := serverStats{Requests: len(times), P50Ms: ms(quantile(times, 0.5)), P99Ms: ms(quantile(times, 0.99))}
	var sum int64
	for _, q := range queries {
		sum += q
		s.QueriesMax = max(s.QueriesMax, q)
	}
	if len(queries) > 0 {
		s.QueriesAvg = float64(sum) / float64(len(queries))
	}
	s.PeakRSSMB, _ = peakRSS()
	return s
}

func (w *window) reset() {
	w.mu.Lock()
	w.times, w.queries = nil, nil
	w.mu.Unlock()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// peakRSS is the process's peak resident set size (VmHWM) in MB.
func peakRSS() (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}

// serveChild runs the app as `npq serve` builds it (the same configuration, pool options and
// server.New), with a query tracer on the pool and a timer around the handler, plus a
// control endpoint on which the benchmark resets and reads the figures. It runs no
// background jobs, so nothing but the measured requests touches the database.
func serveChild(ctx context.Context) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	if file := os.Getenv(profileEnv); file != "" {
		f, err := os.Create(file)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	pool, err := database.Open(ctx, cfg.DatabaseURL, database.Options{StatementTimeout: cfg.DBStatementTimeout, MaxConns: cfg.DBMaxConns, GenericPlans: true, Tracer: tracer{}})
	if err != nil {
		return err
	}
	defer pool.Close()
	srv := server.New(cfg, pool, log)
	defer srv.Close()

	win := &window{}
	var app http.Handler = srv
	if os.Getenv(profileEnv) != "" {
		app = labelled(srv)
	}
	timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := new(atomic.Int64)
		start := time.Now()
		app.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), queriesKey{}, n)))
		win.add(time.Since(start), n.Load())
	})
	control := http.NewServeMux()
	control.HandleFunc("POST /reset", func(w http.ResponseWriter, r *http.Request) { win.reset() })
	control.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(win.stats()) //nolint:errcheck // the benchmark notices a bad answer
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("bench server: %w", err)
	}
	ctl, err := net.Listen("tcp", os.Getenv(controlEnv))
	if err != nil {
		return fmt.Errorf("bench control: %w", err)
	}
	hs := &http.Server{Handler: timed, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	cs := &http.Server{Handler: control, ReadHeaderTimeout: 10 * time.Second}
	go cs.Serve(ctl) //nolint:errcheck // ends with the process
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown) //nolint:errcheck // exiting anyway
		cs.Close()            //nolint:errcheck // exiting anyway
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// labelled marks the CPU profile's samples with the request's path, so that one page's cost
// can be read apart from the rest of the run: go tool pprof -tagfocus path=/home.
func labelled(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pprof.Do(r.Context(), pprof.Labels("path", r.URL.Path), func(ctx context.Context) {
			h.ServeHTTP(w, r.WithContext(ctx))
		})
	})
}
