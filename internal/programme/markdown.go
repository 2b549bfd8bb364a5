package programme

import (
	"bytes"

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
)

// RenderMarkdown turns authored Markdown into HTML that is safe to show: raw HTML is not
// passed through, and the result is sanitised again (no scripts, event handlers, styles or
// javascript: links).
func RenderMarkdown(src string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return sanitiser.Sanitize("<p>" + src + "</p>")
	}
	return sanitiser.Sanitize(buf.String())
}
