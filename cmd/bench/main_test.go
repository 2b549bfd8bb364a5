package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"npq/internal/demo"
	"npq/internal/testdb"
)

// TestMain lets the test binary stand in for the benchmark's serving process, as the
// benchmark starts its own executable again to serve.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		if err := serveChild(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "bench server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The benchmark signs in as every role (the admin with a two-step code), measures every
// page, counts each page's queries and writes the report, on the ordinary demo data.
func TestBenchRunsEveryPage(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", pool.Config().ConnString())
	out := filepath.Join(t.TempDir(), "bench.json")
	var stdout bytes.Buffer
	if err := run(ctx, []string{"-duration", "150ms", "-clients", "4", "-bookers", "0", "-out", out}, &stdout); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Pages) != len(pages)+1 {
		t.Fatalf("%d pages measured, want %d", len(r.Pages), len(pages)+1)
	}
	for _, p := range r.Pages {
		if p.Error != "" || p.One.Requests == 0 || p.Many.Requests == 0 || p.One.Errors+p.Many.Errors > 0 {
			t.Errorf("%s %s: %+v", p.Role, p.Page, p)
		}
		if (p.Page == "/healthz") != (p.QueriesMax == 0) {
			t.Errorf("%s %s: %d queries; only /healthz runs none", p.Role, p.Page, p.QueriesMax)
		}
	}
	if r.PeakRSSMB <= 0 || r.SeedMs <= 0 || r.HealthzRate <= 0 {
		t.Errorf("peak RSS %.0f MB, seed %.0f ms, /healthz %.0f req/s", r.PeakRSSMB, r.SeedMs, r.HealthzRate)
	}
	for _, want := range []string{"participant  /home", "assessor     /marking", "targets:", "not national size"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}
