package server

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/assessment"
)

// The assessment specification is built from the framework tables once, and again only after
// the frameworks are imported with different content.
func TestSpecificationIsCachedUntilTheFrameworksChange(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	ctx := context.Background()
	// A qualification whose specification comes from its framework, not the provider's files.
	var qualification string
	rows, err := a.pool.Query(ctx, `SELECT qualification_code FROM frameworks WHERE kind = 'caf-2019' ORDER BY position`)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		if _, ok := a.srv.assessment.Provider[code]; !ok && qualification == "" {
			qualification = code
		}
	}
	if qualification == "" {
		t.Fatalf("every one of %v has a provider-defined specification", codes)
	}
	spec := func() int {
		t.Helper()
		a.queries.Reset()
		s, err := a.srv.assessment.Spec(ctx, qualification)
		if err != nil || len(s.Criteria) == 0 {
			t.Fatalf("spec: %v, %d criteria", err, len(s.Criteria))
		}
		n, _ := a.queries.Count()
		return n
	}
	if n := spec(); n < 2 {
		t.Fatalf("first read ran %d queries: was it read at all?", n)
	}
	if n := spec(); n != 0 {
		t.Errorf("second read ran %d queries, want 0", n)
	}
	// A minute on, it asks whether the content changed: one query while it has not.
	a.clock.Set(a.now().Add(assessment.SpecRecheck))
	if n := spec(); n != 1 {
		t.Errorf("read a minute on ran %d queries, want 1 (the content hash)", n)
	}
	// Imported again with different content: built again, within a minute.
	if _, err := a.pool.Exec(ctx, `INSERT INTO framework_imports (content_hash) VALUES ('changed')`); err != nil {
		t.Fatal(err)
	}
	if n := spec(); n != 0 {
		t.Errorf("read just after the import ran %d queries, want 0 (not checked yet)", n)
	}
	a.clock.Set(a.now().Add(assessment.SpecRecheck + time.Second))
	if n := spec(); n < 3 {
		t.Errorf("read after the import ran %d queries, want the hash and the specification again", n)
	}
	if n := spec(); n != 0 {
		t.Errorf("read after rebuilding ran %d queries, want 0", n)
	}
}
