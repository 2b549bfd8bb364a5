package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
)

// csvWriter writes a CSV download in which no cell can run as a spreadsheet formula:
// every cell, whatever its column, goes through csvSafe.
type csvWriter struct {
	w *csv.Writer
}

// newCSV starts a CSV download named filename.
func newCSV(w http.ResponseWriter, filename string) *csvWriter {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	return &csvWriter{w: csv.NewWriter(w)}
}

// Write writes one row; a failure is reported by Flush.
func (c *csvWriter) Write(cells ...string) {
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
