package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// Only the national scale exists; anything else is refused before the database is touched.
func TestDemoScaleFlag(t *testing.T) {
	getenv := func(string) string { return "" }
	err := run(context.Background(), []string{"demo", "--scale", "regional"}, getenv, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "the only scale is national") {
		t.Errorf("unknown scale: %v", err)
	}
	if err := run(context.Background(), []string{"demo", "--scale"}, getenv, io.Discard); err == nil || !strings.Contains(err.Error(), "expected one command") {
		t.Errorf("missing scale: %v", err)
	}
}
