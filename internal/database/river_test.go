package database_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"npq/internal/database"
	"npq/internal/testdb"
)

// Several instances starting at once on an empty database migrate it once: ours and River's
// migrations are each applied by one of them, and every instance starts.
func TestMigrateFromSeveralInstancesAtOnce(t *testing.T) {
	pool := testdb.NewEmpty(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = database.Migrate(context.Background(), pool, log) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	var riverVersions, jobTable int
	if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM river_migration),
		(SELECT count(*) FROM information_schema.tables WHERE table_name = 'river_job')`).Scan(&riverVersions, &jobTable); err != nil {
		t.Fatal(err)
	}
	if riverVersions < 6 || jobTable != 1 {
		t.Errorf("River's schema: %d migrations recorded, river_job tables %d", riverVersions, jobTable)
	}
	// Running again applies nothing.
	if err := database.Migrate(context.Background(), pool, log); err != nil {
		t.Errorf("second run: %v", err)
	}
}
