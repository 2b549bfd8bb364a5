package programme

import (
	"bytes"
	"crypto/sha256"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	markdown  = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	sanitiser = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
	rendered = &renderCache{max: 4 << 20}
)

// RenderMarkdown turns authored Markdown into HTML that is safe to show: raw HTML is not
// passed through, and the result is sanitised again (no scripts, event handlers, styles or
// javascript: links). The same text renders to the same HTML, so each text is rendered once
// and kept (news is read far more often than it is written).
func RenderMarkdown(src string) string {
	key := sha256.Sum256([]byte(src))
	if html, ok := rendered.get(key); ok {
		return html
	}
	html := renderMarkdown(src)
	rendered.put(key, html)
	return html
}

func renderMarkdown(src string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return sanitiser.Sanitize("<p>" + src + "</p>")
	}
	return sanitiser.Sanitize(buf.String())
}

// renderCache keeps rendered HTML by the hash of its Markdown, up to max bytes of HTML; when
// full it starts again empty, which is simple and, for the few texts read often, enough.
type renderCache struct {
	mu      sync.Mutex
	max     int
	size    int
	html    map[[32]byte]string
	renders int // how many texts were rendered rather than found, for tests
}

func (c *renderCache) get(key [32]byte) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	html, ok := c.html[key]
	return html, ok
}

func (c *renderCache) put(key [32]byte, html string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renders++
	if c.html == nil || c.size+len(html) > c.max {
		c.html, c.size = map[[32]byte]string{}, 0
	}
	if len(html) <= c.max {
		c.html[key] = html
		c.size += len(html)
	}
}
