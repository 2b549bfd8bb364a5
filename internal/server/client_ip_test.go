package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/config"
)

// postSignInVia posts a wrong password for email with the given proxy headers.
func postSignInVia(c *testClient, email string, headers map[string]string) *testResponse {
	c.a.t.Helper()
	form := url.Values{"email": {email}, "password": {"not the password"}}
	req, _ := http.NewRequest("POST", c.a.ts.URL+"/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// failureAddresses lists the addresses sign-in failures were counted against.
func (a *testApp) failureAddresses() string {
	a.t.Helper()
	var s string
	if err := a.pool.QueryRow(a.t.Context(), `SELECT coalesce(string_agg(DISTINCT ip, ','), '') FROM sign_in_failures`).Scan(&s); err != nil {
		a.t.Fatal(err)
	}
	return s
}

func TestSpoofedProxyHeadersCountAgainstTheRealClient(t *testing.T) {
	tests := []struct {
		name    string
		config  func(*config.Config)
		xff     string
		counted string
	}{
		// The test server's peer is 127.0.0.1, one of the default proxy ranges.
		{"behind a proxy, client's own entries ignored", func(c *config.Config) { c.TrustProxyHeaders = true },
			"%s, 203.0.113.7", "203.0.113.7"},
		{"behind two proxies", func(c *config.Config) { c.TrustProxyHeaders = true },
			"%s, 203.0.113.7, 10.1.2.3", "203.0.113.7"},
		{"named proxy ranges", func(c *config.Config) {
			c.TrustProxyHeaders = true
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		}, "%s, 203.0.113.7, 10.1.2.3", "10.1.2.3"},
		{"peer is not a trusted proxy", func(c *config.Config) {
			c.TrustProxyHeaders = true
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		}, "%s, 203.0.113.7", "127.0.0.1"},
		{"proxy headers not trusted", func(c *config.Config) {}, "%s, 203.0.113.7", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestApp(t, tt.config)
			u := a.userFor(auth.RoleParticipant)
			for i := range 3 {
				spoof := fmt.Sprintf("198.51.100.%d", i+1)
				res := postSignInVia(a.client(), u.Email, map[string]string{
					"X-Forwarded-For": fmt.Sprintf(tt.xff, spoof), "X-Real-IP": spoof, "True-Client-IP": spoof})
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("attempt %d: status %d", i, res.StatusCode)
				}
			}
			if got := a.failureAddresses(); got != tt.counted {
				t.Errorf("failures counted against %q, want %q", got, tt.counted)
			}
		})
	}
}
