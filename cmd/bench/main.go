// Command bench measures every main page of every role against the database in DATABASE_URL
// (the national-size demo: `npq demo --scale national`): queries per request, server time at
// one and many concurrent clients, throughput beside /healthz, peak memory, simultaneous
// bookings of one event and the framework seed. It prints a table and writes bench.json.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	frameworkdata "npq/frameworks"
	"npq/internal/config"
	"npq/internal/database"
	"npq/internal/demo"
	"npq/internal/frameworks"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if os.Getenv(childEnv) != "" {
		err = serveChild(ctx)
	} else {
		err = run(ctx, os.Args[1:], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	duration  time.Duration
	clients   int
	bookers   int
	out       string
	serverLog string
	// cpuProfile is where the server writes its CPU profile ("" for none).
	cpuProfile string
	only       string
}

// page is one page to measure and who looks at it.
type page struct {
	role, name, path string
}

// pages are the main pages of every role; {cohort} is the partner's demo cohort.
var pages = []page{
	{"participant", "/home", "/home"},
	{"participant", "/progress", "/progress"},
	{"participant", "/learn", "/learn"},
	{"participant", "/events", "/events"},
	{"participant", "/assessment", "/assessment"},
	{"participant", "/requests", "/requests"},
	{"partner", "/partner", "/partner"},
	{"partner", "roster", "/partner/cohorts/{cohort}"},
	{"partner", "engagement", "/partner/cohorts/{cohort}/engagement"},
	{"partner", "/partner/events", "/partner/events"},
	{"partner", "/partner/decisions", "/partner/decisions"},
	{"admin", "/admin", "/admin"},
	{"admin", "/admin/cohorts", "/admin/cohorts"},
	{"admin", "/admin/events", "/admin/events"},
	{"admin", "/admin/deferrals", "/admin/deferrals"},
	{"admin", "/admin/withdrawals", "/admin/withdrawals"},
	{"admin", "/admin/returns", "/admin/returns"},
	{"admin", "/admin/assessment", "/admin/assessment"},
	{"admin", "/admin/outbox", "/admin/outbox"},
	{"admin", "/admin/participants", "/admin/participants"},
	{"assessor", "/marking", "/marking"},
}

// accounts are the demo sign-ins each role is measured as.
var accounts = map[string]string{
	"participant": "participant@demo.test",
	"partner":     "partner@demo.test",
	"admin":       demo.AdminEmail,
	"assessor":    "assessor@demo.test",
}

// partnerCohort is the demo cohort the partner's roster and engagement pages show.
const partnerCohort = "NPQH Spring 2026 – Barnsley and Doncaster"

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var o options
	fs.DurationVar(&o.duration, "duration", 3*time.Second, "how long each page is loaded at each number of clients")
	fs.IntVar(&o.clients, "clients", 32, "concurrent clients of the second measurement")
	fs.IntVar(&o.bookers, "bookers", 500, "participants booking one 20-place event at the same moment (0 skips it)")
	fs.StringVar(&o.out, "out", "bench.json", "where to write the results as JSON")
	fs.StringVar(&o.only, "only", "", "measure only the pages whose role and name contain one of these comma-separated words, e.g. admin,/marking")
	fs.StringVar(&o.serverLog, "server-log", "", "file for the server's warnings and errors (default: discarded; the table counts the errors)")
	fs.StringVar(&o.cpuProfile, "cpu-profile", "", "file for the server's CPU profile over the whole run, for go tool pprof")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	pool, err := database.Open(ctx, cfg.DatabaseURL, database.Options{})
	if err != nil {
		return err
	}
	defer pool.Close()
	r := report{At: time.Now(), CPUs: runtime.GOMAXPROCS(0), MaxConns: cfg.DBMaxConns, Duration: o.duration.String()}
	if r.Data, err = dataSize(ctx, pool); err != nil {
		return err
	}
	fmt.Fprintln(stdout, r.Data)

	// The framework seed, as `npq seed` runs it: validate the files and write them all.
	start := time.Now()
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		return err
	}
	if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
		return fmt.Errorf("framework seed: %w", err)
	}
	r.SeedMs = ms(time.Since(start))

	child, err := startChild(ctx, o.serverLog, o.cpuProfile)
	if err != nil {
		return err
	}
	defer child.stop()

	cookies := map[string]string{}
	for role, email := range accounts {
		if cookies[role], err = newBrowser(child.base).signIn(email); err != nil {
			return err
		}
	}
	var cohort int64
	if err := pool.QueryRow(ctx, `SELECT id FROM cohorts WHERE name = $1`, partnerCohort).Scan(&cohort); err != nil {
		return fmt.Errorf("the demo cohort %q: %w (load the demo first)", partnerCohort, err)
	}

	health, err := measure(ctx, child, page{"public", "/healthz", "/healthz"}, "", o)
	if err != nil {
		return err
	}
	r.HealthzRate = health.Many.PerSec
	r.Pages = append(r.Pages, health)
	for _, p := range selected(pages, o.only) {
		p.path = strings.ReplaceAll(p.path, "{cohort}", fmt.Sprint(cohort))
		res, err := measure(ctx, child, p, cookies[p.role], o)
		if err != nil {
			return err
		}
		if res.Many.PerSec > 0 {
			res.Share = r.HealthzRate / res.Many.PerSec
		}
		r.Pages = append(r.Pages, res)
		fmt.Fprintf(stdout, "  %-12s %-20s p50@1 %7.1f ms  p99@%d %7.1f ms  %6.0f req/s\n", p.role, p.name, res.One.P50Ms, o.clients, res.Many.P99Ms, res.Many.PerSec)
	}
	if o.bookers > 0 {
		r.Bookings = simultaneousBookings(ctx, pool, child, o.bookers)
	}
	final, err := child.stats()
	if err != nil {
		return err
	}
	r.PeakRSSMB = final.PeakRSSMB
	checkTargets(&r)
	printReport(stdout, r)
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\nwritten to", o.out)
	return nil
}

// selected are the pages whose role and name contain one of the comma-separated words in
// only; all of them when only is empty.
func selected(all []page, only string) []page {
	if strings.TrimSpace(only) == "" {
		return all
	}
	var out []page
	for _, p := range all {
		for w := range strings.SplitSeq(only, ",") {
			if w = strings.TrimSpace(w); w != "" && strings.Contains(p.role+" "+p.name, w) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// dataSize describes how much data the benchmark runs on.
func dataSize(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	var participants, cohorts, events, bookings, completions int64
	err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE role = 'participant'), (SELECT count(*) FROM cohorts),
		(SELECT count(*) FROM events), (SELECT count(*) FROM bookings), (SELECT count(*) FROM item_completions)`).
		Scan(&participants, &cohorts, &events, &bookings, &completions)
	if err != nil {
		return "", fmt.Errorf("bench: sizing the data: %w", err)
	}
	s := fmt.Sprintf("data: %d participants, %d cohorts, %d events, %d bookings, %d completion records", participants, cohorts, events, bookings, completions)
	if participants < 50000 {
		s += " (not national size: run `npq demo --scale national` first)"
	}
	return s, nil
}

// child is the serving process under measurement.
type child struct {
	cmd           *exec.Cmd
	exited        chan error
	base, control string
}

// freeAddr is a loopback address nothing listens on.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startChild runs this program again as the server, so its memory is its own, and waits
// until it answers.
func startChild(ctx context.Context, logFile, cpuProfile string) (*child, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	control, err := freeAddr()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), childEnv+"=1", controlEnv+"="+control, "ADDR="+addr, "BASE_URL=http://"+addr, profileEnv+"="+cpuProfile)
	if logFile != "" {
		f, err := os.Create(logFile)
		if err != nil {
			return nil, err
		}
		defer f.Close() // the child has its own descriptor once started
		cmd.Stdout, cmd.Stderr = f, f
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, exited: make(chan error, 1), base: "http://" + addr, control: "http://" + control}
	go func() { c.exited <- cmd.Wait() }()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		select {
		case err := <-c.exited:
			return nil, fmt.Errorf("bench: the server stopped at start (%v); -server-log FILE keeps its output", err)
		case <-ctx.Done():
			c.stop()
			return nil, ctx.Err()
		default:
		}
		res, err := http.Get(c.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return c, nil
			}
		}
	}
	c.stop()
	return nil, errors.New("bench: the server did not start within 30 seconds")
}

func (c *child) stop() {
	c.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have gone already
	<-c.exited
}

func (c *child) reset() error {
	res, err := http.Post(c.control+"/reset", "text/plain", nil)
	if err != nil {
		return err
	}
	return res.Body.Close()
}

func (c *child) stats() (serverStats, error) {
	var s serverStats
	res, err := http.Get(c.control + "/stats")
	if err != nil {
		return s, err
	}
	defer res.Body.Close()
	return s, json.NewDecoder(res.Body).Decode(&s)
}

// measure loads one page at one client and then at o.clients, after a request that checks
// it answers 200 (and warms the server's caches).
func measure(ctx context.Context, c *child, p page, cookie string, o options) (pageResult, error) {
	res := pageResult{Role: p.role, Page: p.name, Path: p.path}
	header := http.Header{"Accept-Encoding": {"gzip"}}
	if cookie != "" {
		header.Set("Cookie", cookie)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+p.path, nil)
	if err != nil {
		return res, err
	}
	req.Header = header.Clone()
	warm, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		return res, err
	}
	io.Copy(io.Discard, warm.Body) //nolint:errcheck // only the status matters
	warm.Body.Close()
	if warm.StatusCode != http.StatusOK {
		res.Error = fmt.Sprintf("status %d", warm.StatusCode)
		return res, nil
	}
	target := vegeta.Target{Method: http.MethodGet, URL: c.base + p.path, Header: header}
	for i, clients := range []int{1, o.clients} {
		l, q, err := attack(ctx, c, []vegeta.Target{target}, clients, o.duration, burstOff)
		if err != nil {
			return res, err
		}
		if i == 0 {
			res.One, res.QueriesAvg, res.QueriesMax = l, q.QueriesAvg, q.QueriesMax
		} else {
			res.Many = l
			res.QueriesMax = max(res.QueriesMax, q.QueriesMax)
		}
	}
	return res, nil
}

// burstOff makes attack run for its duration; a positive number sends that many requests at
// the same moment instead.
const burstOff = 0

// burst is a vegeta pacer that releases n requests at once and then stops.
type burst uint64

// Pace sends the next request at once until n have gone.
func (b burst) Pace(_ time.Duration, hits uint64) (time.Duration, bool) { return 0, hits >= uint64(b) }

// Rate is unbounded while the burst lasts.
func (b burst) Rate(time.Duration) float64 { return math.MaxFloat64 }

// attack sends requests with vegeta from clients concurrent workers, as fast as the server
// answers, for d (or, with n > 0, n requests at once), and returns the client-side figures
// with the server's own for the same requests.
func attack(ctx context.Context, c *child, targets []vegeta.Target, clients int, d time.Duration, n int) (load, serverStats, error) {
	if err := c.reset(); err != nil {
		return load{}, serverStats{}, err
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)), vegeta.KeepAlive(true),
		vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(60*time.Second), vegeta.Connections(clients))
	var pacer vegeta.Pacer = vegeta.Rate{Freq: 0}
	if n > 0 {
		pacer, d = burst(n), 0
	}
	var m vegeta.Metrics
	results := atk.Attack(vegeta.NewStaticTargeter(targets...), pacer, d, "bench")
	for r := range results {
		if ctx.Err() != nil {
			atk.Stop()
		}
		m.Add(r)
	}
	m.Close()
	s, err := c.stats()
	if err != nil {
		return load{}, s, err
	}
	l := load{Clients: clients, Requests: int(m.Requests), P50Ms: s.P50Ms, P99Ms: s.P99Ms, ClientMs: ms(m.Latencies.P99), PerSec: m.Throughput}
	for code, count := range m.StatusCodes {
		if code < "200" || code >= "400" {
			l.Errors += count
		}
	}
	return l, s, ctx.Err()
}
