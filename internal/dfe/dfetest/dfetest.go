// Package dfetest starts a fake DfE API (dfefake) on a test server with a client for it, and
// fails the test if any request or answer broke DfE's contract.
package dfetest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
)

// Token is the bearer token the fake accepts.
const Token = "dfetest-token"

// Start returns a running fake and its address; the test fails at its end on any contract
// violation the fake saw.
func Start(t testing.TB) (*dfefake.Server, string) {
	t.Helper()
	fake, err := dfefake.New(Token)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(func() {
		srv.Close()
		if v := fake.Violations(); len(v) > 0 {
			t.Errorf("the fake DfE saw contract violations:\n%v", v)
		}
	})
	return fake, srv.URL
}

// Client is a client for the fake at url, without DfE's rate limit or real waits.
func Client(t testing.TB, url string, opts ...dfe.Option) *dfe.Client {
	t.Helper()
	c, err := dfe.New(url, Token, append([]dfe.Option{
		dfe.WithLimiter(rate.NewLimiter(rate.Inf, 1)),
		dfe.WithLogger(slog.New(slog.DiscardHandler)),
		dfe.WithSleep(func(context.Context, time.Duration) error { return nil }),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
