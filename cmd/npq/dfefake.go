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

	"npq/internal/dfe/dfefake"
)

// dfeFakeToken is the token the local fake DfE accepts when DFE_API_TOKEN is not set.
const dfeFakeToken = "dfe-fake-token"

// runDfEFake serves the fake DfE API with seeded data on DFE_FAKE_ADDR (default
// localhost:8090) until ctx ends. It needs no database.
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
	fake.SeedDemo(time.Now().UTC())
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
