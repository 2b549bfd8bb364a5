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

func TestRenderMarkdownRendersEachTextOnce(t *testing.T) {
	c := &renderCache{max: 64}
	saved := rendered
	rendered = c
	defer func() { rendered = saved }()
	news := "Welcome back: see **Learn**."
	first := RenderMarkdown(news)
	if again := RenderMarkdown(news); again != first || c.renders != 1 {
		t.Errorf("rendered %d times: %q, %q", c.renders, first, again)
	}
	if other := RenderMarkdown("Another *post*."); !strings.Contains(other, "<em>post</em>") || c.renders != 2 {
		t.Errorf("another text: %q after %d renders", other, c.renders)
	}
	// Past its size the cache starts again rather than growing.
	RenderMarkdown(strings.Repeat("long ", 20))
	if c.size > c.max {
		t.Errorf("kept %d bytes, more than %d", c.size, c.max)
	}
	if RenderMarkdown(news) != first {
		t.Error("a text rendered again renders the same")
	}
}
