package programme

import (
	"strings"
	"testing"
)

func TestRenderMarkdownIsSafe(t *testing.T) {
	tests := []struct{ in, want, notWant string }{
		{"# Reading\n\nRead **chapter 2**.", "<strong>chapter 2</strong>", ""},
		{"- one\n- two", "<li>one</li>", ""},
		{"<script>alert(1)</script>\n\nhello", "hello", "<script"},
		{`<img src=x onerror="alert(1)">`, "", "onerror"},
		{"[click](javascript:alert(1))", "click", "javascript:"},
		{`<a href="https://evil.test" style="color:red">x</a>`, "", "style="},
		{"[EEF](https://educationendowmentfoundation.org.uk)", `href="https://educationendowmentfoundation.org.uk"`, ""},
	}
	for _, tt := range tests {
		got := RenderMarkdown(tt.in)
		if tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("%q → %q lacks %q", tt.in, got, tt.want)
		}
		if tt.notWant != "" && strings.Contains(got, tt.notWant) {
			t.Errorf("%q → %q keeps %q", tt.in, got, tt.notWant)
		}
	}
}
