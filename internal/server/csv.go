package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"npq/internal/timefmt"
)

// csvWriter writes a CSV download that opens well in Excel: UTF-8 with a byte-order mark
// (without it Excel reads names like "Zoë" as another code page), and no cell that a
// spreadsheet could run as a formula: every cell, whatever its column, goes through csvSafe.
type csvWriter struct {
	w   *csv.Writer
	bom bool
	out http.ResponseWriter
}

// newCSV starts a CSV download named filename (see csvFileName).
func newCSV(w http.ResponseWriter, filename string) *csvWriter {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q; filename*=UTF-8''%s", asciiName(filename), url.PathEscape(filename)))
	return &csvWriter{w: csv.NewWriter(w), out: w}
}

// Write writes one row; a failure is reported by Flush.
func (c *csvWriter) Write(cells ...string) {
	if !c.bom {
		c.bom = true
		c.out.Write([]byte("\ufeff")) //nolint:errcheck // a failed write fails the csv.Writer's next one too
	}
	safe := make([]string, len(cells))
	for i, s := range cells {
		safe[i] = csvSafe(s)
	}
	c.w.Write(safe) //nolint:errcheck // csv.Writer keeps the first error for Flush
}

// Flush sends what is buffered and returns the first error met while writing.
func (c *csvWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// csvSafe stops a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// csvFileName names an export after what is in it and the day it was taken, e.g.
// csvFileName("roster", on, "NPQSL", "NPQSL Spring 2026") is
// "roster-npqsl-spring-2026-2026-12-01.csv": each part slugged to lower-case letters, digits
// and hyphens, empty parts left out, and a part left out when the next one begins with it.
func csvFileName(kind string, on time.Time, parts ...string) string {
	var slugs []string
	for _, p := range append([]string{kind}, parts...) {
		if s := slug(p); s != "" {
			slugs = append(slugs, s)
		}
	}
	var keep []string
	for i, s := range slugs {
		if i > 0 && i+1 < len(slugs) && (slugs[i+1] == s || strings.HasPrefix(slugs[i+1], s+"-")) {
			continue
		}
		keep = append(keep, s)
	}
	return strings.Join(append(keep, timefmt.ISODate(on)), "-") + ".csv"
}

// slug is s in lower-case letters and digits with single hyphens between words, at most 60
// characters; accents are kept as letters, anything else becomes a hyphen.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	out := []rune(b.String())
	if len(out) > 60 {
		out = out[:60]
	}
	return strings.Trim(string(out), "-")
}

// asciiName is the plain-ASCII file name for browsers that ignore filename*.
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII || r == '"' || r == '\\' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, name)
}
