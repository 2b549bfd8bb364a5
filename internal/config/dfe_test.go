package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestLoadDfE(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://x/y"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		enabled bool
		wantErr string
	}{
		{"neither: off", base, false, ""},
		{"both: on", with(map[string]string{"DFE_API_URL": "https://dfe.example/", "DFE_API_TOKEN": "t"}), true, ""},
		{"url only", with(map[string]string{"DFE_API_URL": "https://dfe.example"}), false, "DFE_API_TOKEN is not"},
		{"token only", with(map[string]string{"DFE_API_TOKEN": "t"}), false, "DFE_API_URL is not"},
		{"not a url", with(map[string]string{"DFE_API_URL": "dfe.example", "DFE_API_TOKEN": "t"}), false, "http or https"},
		{"http in production", with(map[string]string{"NPQ_ENV": "production", "BASE_URL": "https://npq.example",
			"DFE_API_URL": "http://dfe.example", "DFE_API_TOKEN": "t"}), false, "https address in production"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if tt.wantErr == "" {
				if err != nil || c.DfE.Enabled() != tt.enabled {
					t.Fatalf("enabled %v, err %v", c.DfE.Enabled(), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestDfETokenIsNeverPrinted(t *testing.T) {
	c, err := Load(env(map[string]string{"DATABASE_URL": "postgres://x/y", "DFE_API_URL": "https://dfe.example", "DFE_API_TOKEN": "very-secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DfE.APIURL != "https://dfe.example" {
		t.Fatalf("url %q", c.DfE.APIURL)
	}
	for _, s := range []string{fmt.Sprint(c.DfE), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c.DfE), fmt.Sprintf("%v", c)} {
		if strings.Contains(s, "very-secret") {
			t.Fatalf("token printed: %s", s)
		}
	}
}
