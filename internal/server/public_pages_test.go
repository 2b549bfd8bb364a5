package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/config"
)

func TestAccessibilityStatementAndPrivacyNotice(t *testing.T) {
	a := newTestApp(t, func(c *config.Config) {
		c.ProviderName, c.ProviderContactEmail = "Example Lead Provider", "npq@provider.test"
	})
	tests := []struct {
		path, title string
		headings    []string
	}{
		{"/accessibility", "Accessibility statement", []string{"How accessible this service is", "Feedback and contact information",
			"Reporting accessibility problems with this service", "Enforcement procedure", "Compliance status", "Preparation of this accessibility statement"}},
		{"/privacy", "Privacy notice", []string{"Who we are", "What we hold", "Why we use it, and our lawful basis", "How long we keep it",
			"Who we share it with", "Your rights", "Complaints"}},
	}
	for _, tt := range tests {
		res := a.client().get(tt.path)
		if res.StatusCode != http.StatusOK || res.text("h1") != tt.title {
			t.Fatalf("%s: %d %q", tt.path, res.StatusCode, res.text("h1"))
		}
		var got []string
		res.Doc.Find(`[data-testid="prose"] h2, [data-testid="prose"] h3`).Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
		for _, h := range tt.headings {
			if !strings.Contains(strings.Join(got, "|"), h) {
				t.Errorf("%s: no heading %q in %q", tt.path, h, got)
			}
		}
		if body := res.text(`[data-testid="prose"]`); !strings.Contains(body, "Example Lead Provider") || !strings.Contains(body, "npq@provider.test") {
			t.Errorf("%s does not name the provider and its address", tt.path)
		}
	}
	// Every page's footer links to both, signed in or not.
	c, _ := a.signedIn(auth.RoleParticipant)
	for _, res := range []*testResponse{a.client().get("/sign-in"), c.get("/home"), c.get("/account")} {
		for _, href := range []string{"/accessibility", "/privacy"} {
			if res.Doc.Find(`footer a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("%s: no footer link to %s", res.Request.URL.Path, href)
			}
		}
	}
}
