package config

import (
	"strings"
	"testing"
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
