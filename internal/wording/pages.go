package wording

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
)

// PageData fills in the service's own pages: who runs the service and how to reach them.
type PageData struct {
	ProviderName string
	ContactEmail string
	BaseURL      string
}

//go:embed pages/*.md
var pageFiles embed.FS

// pages are the service's own pages (Markdown text templates), parsed once at start.
var pages = template.Must(template.New("pages").Option("missingkey=error").ParseFS(pageFiles, "pages/*.md"))

// page fills in one of the pages.
func page(name string, d PageData) (string, error) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, d); err != nil {
		return "", fmt.Errorf("wording: %s: %w", name, err)
	}
	return b.String(), nil
}

// AccessibilityStatement is the accessibility statement, in Markdown.
func AccessibilityStatement(d PageData) (string, error) { return page("accessibility.md", d) }

// PrivacyNotice is the privacy notice, in Markdown.
func PrivacyNotice(d PageData) (string, error) { return page("privacy.md", d) }
