package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "localhost:8080" || c.BaseURL != "http://localhost:8080" || !c.MigrateOnStart || c.Env != "development" || c.SecureCookies() ||
		c.RetentionDeactivateDays != 366 || c.RetentionAnonymiseYears != 7 || c.TwoStepPartnerStaff {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadRejectsBadSettings(t *testing.T) {
	_, err := Load(env(map[string]string{"NPQ_ENV": "staging", "BASE_URL": "ftp://x", "MIGRATE_ON_START": "perhaps", "SMTP_PORT": "abc",
		"RETENTION_DEACTIVATE_AFTER_DAYS": "-1", "RETENTION_ANONYMISE_AFTER_YEARS": "seven", "TWO_STEP_PARTNER_STAFF": "sometimes"}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"NPQ_ENV", "DATABASE_URL is required", "BASE_URL", "MIGRATE_ON_START", "SMTP_PORT", "RETENTION_DEACTIVATE_AFTER_DAYS", "RETENTION_ANONYMISE_AFTER_YEARS", "TWO_STEP_PARTNER_STAFF"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if _, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "NPQ_ENV": "production"})); err == nil ||
		!strings.Contains(err.Error(), "BASE_URL is required in production") {
		t.Errorf("production without BASE_URL: %v", err)
	}
	if _, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "NPQ_ENV": "production", "BASE_URL": "https://npq.example/"})); err == nil ||
		!strings.Contains(err.Error(), "TWO_STEP_KEY is required in production") {
		t.Errorf("production without TWO_STEP_KEY: %v", err)
	}
	key := "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "NPQ_ENV": "production", "BASE_URL": "https://npq.example/", "TWO_STEP_KEY": key}))
	if err != nil || !c.SecureCookies() || c.BaseURL != "https://npq.example" || len(c.TwoStepKey) != 32 {
		t.Errorf("production: %+v %v", c, err)
	}
	for _, bad := range []string{"short", "q83vEjRWeJq83vEjRWeJ"} {
		if _, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "TWO_STEP_KEY": bad})); err == nil || !strings.Contains(err.Error(), "TWO_STEP_KEY") {
			t.Errorf("TWO_STEP_KEY %q: %v", bad, err)
		}
	}
}

func TestLoadTrustedProxies(t *testing.T) {
	base := func(kv ...string) map[string]string {
		m := map[string]string{"DATABASE_URL": "postgres://x/y"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		trust   bool
		ranges  string
		problem string
	}{
		{"off by default", base(), false, "", ""},
		{"on with the usual private ranges", base("TRUST_PROXY_HEADERS", "true"), true,
			"127.0.0.0/8 ::1/128 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7", ""},
		{"named ranges turn it on", base("TRUSTED_PROXIES", " 10.0.0.0/8, 2001:db8::/32 ,203.0.113.9"), true,
			"10.0.0.0/8 2001:db8::/32 203.0.113.9/32", ""},
		{"named ranges with it on", base("TRUST_PROXY_HEADERS", "true", "TRUSTED_PROXIES", "192.0.2.0/24"), true, "192.0.2.0/24", ""},
		{"host bits are dropped", base("TRUSTED_PROXIES", "10.1.2.3/8,::ffff:192.0.2.1"), true, "10.0.0.0/8 192.0.2.1/32", ""},
		{"not an address", base("TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal"), false, "",
			`TRUSTED_PROXIES: "proxy.internal" is not an IP address or range such as 10.0.0.0/8`},
		{"bad prefix length", base("TRUSTED_PROXIES", "10.0.0.0/33"), false, "",
			`TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address or range such as 10.0.0.0/8`},
		{"contradiction", base("TRUST_PROXY_HEADERS", "false", "TRUSTED_PROXIES", "10.0.0.0/8"), false, "",
			"TRUSTED_PROXIES is set but TRUST_PROXY_HEADERS is false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("error %v, want %q", err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range c.ProxyRanges() {
				got = append(got, p.String())
			}
			if c.TrustProxyHeaders != tt.trust || strings.Join(got, " ") != tt.ranges {
				t.Errorf("trust %v ranges %q, want %v %q", c.TrustProxyHeaders, got, tt.trust, tt.ranges)
			}
		})
	}
}

func TestLoadTimeouts(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RequestTimeout != 10*time.Second || c.DBStatementTimeout != 5*time.Second || c.ShutdownTimeout != 15*time.Second {
		t.Errorf("default timeouts: request %s statement %s shutdown %s", c.RequestTimeout, c.DBStatementTimeout, c.ShutdownTimeout)
	}
	c, err = Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "REQUEST_TIMEOUT": "30s", "DB_STATEMENT_TIMEOUT": "2s", "SHUTDOWN_TIMEOUT": "5s"}))
	if err != nil || c.RequestTimeout != 30*time.Second || c.DBStatementTimeout != 2*time.Second || c.ShutdownTimeout != 5*time.Second {
		t.Errorf("set timeouts: %+v %v", c, err)
	}
	for _, tt := range []struct{ key, value, want string }{
		{"REQUEST_TIMEOUT", "soon", "REQUEST_TIMEOUT must be a duration"},
		{"REQUEST_TIMEOUT", "0s", "REQUEST_TIMEOUT must be more than zero"},
		{"REQUEST_TIMEOUT", "-1s", "REQUEST_TIMEOUT must be more than zero"},
		{"DB_STATEMENT_TIMEOUT", "5", "DB_STATEMENT_TIMEOUT must be a duration"},
		{"DB_STATEMENT_TIMEOUT", "0", "DB_STATEMENT_TIMEOUT must be more than zero"},
		{"DB_STATEMENT_TIMEOUT", "0s", "DB_STATEMENT_TIMEOUT must be more than zero"},
		{"DB_STATEMENT_TIMEOUT", "500us", "DB_STATEMENT_TIMEOUT must be at least 1ms"},
		{"DB_STATEMENT_TIMEOUT", "20s", "DB_STATEMENT_TIMEOUT (20s) must be shorter than REQUEST_TIMEOUT (10s)"},
		{"SHUTDOWN_TIMEOUT", "-2s", "SHUTDOWN_TIMEOUT must be more than zero"},
	} {
		_, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", tt.key: tt.value}))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%s: error %v, want %q", tt.key, tt.value, err, tt.want)
		}
	}
}

func TestLoadProvider(t *testing.T) {
	for _, tt := range []struct {
		name, provider, contact string
		wantName, wantContact   string
		problem                 string
	}{
		{"defaults", "", "", "The NPQ programme team", "npq-programme-team@npq.invalid", ""},
		{"set", "The NPQ team at Example Trust", " npqs@example.org ", "The NPQ team at Example Trust", "npqs@example.org", ""},
		{"not an address", "", "ring us", "", "", "PROVIDER_CONTACT_EMAIL must be an email address"},
		{"a name and address", "", "Team <npqs@example.org>", "", "", "PROVIDER_CONTACT_EMAIL must be an email address"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "PROVIDER_NAME": tt.provider, "PROVIDER_CONTACT_EMAIL": tt.contact}))
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Errorf("error %v, want %q", err, tt.problem)
				}
				return
			}
			if err != nil || c.ProviderName != tt.wantName || c.ProviderContactEmail != tt.wantContact {
				t.Errorf("got %q %q %v", c.ProviderName, c.ProviderContactEmail, err)
			}
		})
	}
}

func TestLoadDatabaseMaxConns(t *testing.T) {
	tests := []struct {
		raw     string
		procs   int
		want    int32
		problem bool
	}{
		{"", 1, 4, false},
		{"", 2, 4, false},
		{"", 8, 16, false},
		{" 12 ", 2, 12, false},
		{"1", 2, 1, false},
		{"200", 2, 200, false},
		{"0", 2, 0, true},
		{"201", 2, 0, true},
		{"-3", 2, 0, true},
		{"many", 2, 0, true},
	}
	for _, tt := range tests {
		got, err := maxConns(tt.raw, tt.procs)
		if (err != nil) != tt.problem || got != tt.want {
			t.Errorf("maxConns(%q, %d) = %d, %v; want %d (error %v)", tt.raw, tt.procs, got, err, tt.want, tt.problem)
		}
	}
	if _, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "DATABASE_MAX_CONNS": "lots"})); err == nil ||
		!strings.Contains(err.Error(), "DATABASE_MAX_CONNS must be a number of connections from 1 to 200") {
		t.Errorf("bad DATABASE_MAX_CONNS: %v", err)
	}
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "DATABASE_MAX_CONNS": "9"}))
	if err != nil || c.DBMaxConns != 9 {
		t.Errorf("DATABASE_MAX_CONNS=9: %d %v", c.DBMaxConns, err)
	}
}
