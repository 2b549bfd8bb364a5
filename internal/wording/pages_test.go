package wording

import (
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	d := PageData{ProviderName: "Example Lead Provider", ContactEmail: "npq@example.test", BaseURL: base}
	for name, render := range map[string]func(PageData) (string, error){"accessibility": AccessibilityStatement, "privacy": PrivacyNotice} {
		got, err := render(d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.HasPrefix(got, "\n") || strings.Contains(got, "{{") {
			t.Errorf("%s: not filled in: %q", name, got[:40])
		}
		for _, want := range []string{"Example Lead Provider", "npq@example.test"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	a, _ := AccessibilityStatement(d)
	for _, want := range []string{"## How accessible this service is", "within 7 days", "## Enforcement procedure", "Equality Advisory and Support Service",
		"### Compliance status", "partially compliant", "last tested on"} {
		if !strings.Contains(a, want) {
			t.Errorf("accessibility statement lacks %q", want)
		}
	}
	p, _ := PrivacyNotice(d)
	for _, want := range []string{"## Who we are", "## What we hold", "lawful basis", "## How long we keep it", "Department for Education",
		"## Your rights", "Information Commissioner's Office"} {
		if !strings.Contains(p, want) {
			t.Errorf("privacy notice lacks %q", want)
		}
	}
}
