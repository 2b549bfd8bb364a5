package frameworks_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/frameworks"
	"npq/internal/testdb"
)

// snapshot is every framework row, with the row's system version (xmin), so a test can tell
// whether an import touched anything.
func snapshot(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `
		SELECT 's:' || key, xmin::text || text FROM framework_statements
		UNION ALL SELECT 'a:' || framework_slug || number, xmin::text || title FROM framework_areas
		UNION ALL SELECT 'f:' || slug, xmin::text || title FROM frameworks
		UNION ALL SELECT 'q:' || code, xmin::text || name FROM qualifications
		UNION ALL SELECT 't:' || framework_slug || task_key || criterion_key, xmin::text || array_to_string(supporting_documents, ';') FROM framework_task_criteria
		UNION ALL SELECT 'b:' || framework_slug || position, xmin::text || name FROM framework_behaviours`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		out[k] = v
	}
	return out
}

func TestImportIsIdempotentAndUpdatesInPlace(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	lib := loadAll(t)
	res, err := frameworks.Import(ctx, pool, lib, frameworks.Always)
	if err != nil || res.Inserted == 0 {
		t.Fatalf("first import: %+v %v", res, err)
	}
	first := snapshot(t, pool)
	if n := len(first); n < 1000 {
		t.Fatalf("only %d rows", n)
	}

	// Running it again changes nothing: not one row is rewritten.
	res, err = frameworks.Import(ctx, pool, lib, frameworks.Always)
	if err != nil || res.Changed() {
		t.Fatalf("second import changed rows: %+v %v", res, err)
	}
	if second := snapshot(t, pool); len(second) != len(first) {
		t.Fatalf("row count changed: %d -> %d", len(first), len(second))
	} else {
		for k, v := range first {
			if second[k] != v {
				t.Errorf("%s was rewritten", k)
			}
		}
	}
	// Unchanged files are skipped quickly at start-up.
	if res, err := frameworks.Import(ctx, pool, lib, frameworks.IfChanged); err != nil || !res.Skipped {
		t.Errorf("unforced import of the same files: %+v %v", res, err)
	}

	// A corrected statement updates in place under the same key; a removed one goes.
	m := realFiles(t)
	edit(t, m, "npqltd-2021.yaml", "Teaching quality is a crucial factor in raising pupil attainment.", "Teaching quality is a crucial factor in raising pupils’ attainment.")
	fixed, err := frameworks.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err = frameworks.Import(ctx, pool, fixed, frameworks.IfChanged)
	if err != nil || res.Updated != 1 || res.Inserted != 0 || res.Deleted != 0 {
		t.Fatalf("corrected import: %+v %v", res, err)
	}
	var text string
	if err := pool.QueryRow(ctx, `SELECT text FROM framework_statements WHERE key = 'npqltd-2021/2/that/1'`).Scan(&text); err != nil ||
		text != "Teaching quality is a crucial factor in raising pupils’ attainment." {
		t.Errorf("corrected text %q %v", text, err)
	}
}

func TestFailedImportLeavesTheDatabaseAsItWas(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	lib := loadAll(t)
	if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, pool)
	// A library the database refuses part-way (an invalid group slipped past validation).
	broken := loadAll(t)
	broken.Frameworks[0].Title = "Changed title that must not stay"
	broken.Catalogue.Qualifications[len(broken.Catalogue.Qualifications)-1].Group = "nonsense"
	if _, err := frameworks.Import(ctx, pool, broken, frameworks.Always); err == nil {
		t.Fatal("import of a broken library succeeded")
	}
	after := snapshot(t, pool)
	if len(after) != len(before) {
		t.Fatalf("rows changed: %d -> %d", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed", k)
		}
	}
}

func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	pool := testdb.New(b)
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := frameworks.Load(frameworkdata.FS); err != nil {
			b.Fatal(err)
		}
	}
}
