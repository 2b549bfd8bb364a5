package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"npq/internal/database"
	"npq/internal/dfe/dfefake"
)

// dfeFakeToken is the token the local fake DfE accepts when DFE_API_TOKEN is not set.
const dfeFakeToken = "dfe-fake-token"

// runDfEFake serves the fake DfE API on DFE_FAKE_ADDR (default localhost:8090) until ctx
// ends. With DATABASE_URL it holds what DfE would for the platform's records (see
// seedFakeFromDatabase); without, sample partners, statements and applications.
func runDfEFake(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	addr := strings.TrimSpace(getenv("DFE_FAKE_ADDR"))
	if addr == "" {
		addr = "localhost:8090"
	}
	token := strings.TrimSpace(getenv("DFE_API_TOKEN"))
	if token == "" {
		token = dfeFakeToken
	}
	fake, err := dfefake.New(token)
	if err != nil {
		return err
	}
	if url := strings.TrimSpace(getenv("DATABASE_URL")); url != "" {
		pool, err := database.Open(ctx, url, database.Options{})
		if err != nil {
			return err
		}
		people, err := seedFakeFromDatabase(ctx, pool, fake)
		pool.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Seeded from the platform's database: %d enrolments DfE holds, with their declarations, statements and pending applications.\n", people)
	} else {
		fake.SeedDemo(time.Now().UTC())
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("dfe-fake: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "Fake DfE API on http://%s (every request and answer checked against the OpenAPI document).\n", l.Addr())
	fmt.Fprintf(stdout, "Point the platform at it with DFE_API_URL=http://%s", l.Addr())
	if token == dfeFakeToken {
		fmt.Fprintf(stdout, " DFE_API_TOKEN=%s", dfeFakeToken)
	}
	fmt.Fprintln(stdout)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if v := fake.Violations(); len(v) > 0 {
		return fmt.Errorf("dfe-fake: %d contract violations, the first: %s", len(v), v[0])
	}
	return nil
}
