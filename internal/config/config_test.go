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
	if c.Addr != "localhost:8080" || c.BaseURL != "http://localhost:8080" || !c.MigrateOnStart || c.Env != "development" || c.SecureCookies() {
		t.Errorf("defaults: %+v", c)
	}
}

func TestLoadRejectsBadSettings(t *testing.T) {
	_, err := Load(env(map[string]string{"NPQ_ENV": "staging", "BASE_URL": "ftp://x", "MIGRATE_ON_START": "perhaps", "SMTP_PORT": "abc"}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"NPQ_ENV", "DATABASE_URL is required", "BASE_URL", "MIGRATE_ON_START", "SMTP_PORT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if _, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "NPQ_ENV": "production"})); err == nil ||
		!strings.Contains(err.Error(), "BASE_URL is required in production") {
		t.Errorf("production without BASE_URL: %v", err)
	}
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "NPQ_ENV": "production", "BASE_URL": "https://npq.example/"}))
	if err != nil || !c.SecureCookies() || c.BaseURL != "https://npq.example" {
		t.Errorf("production: %+v %v", c, err)
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
