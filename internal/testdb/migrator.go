package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/goosemigrator"

	"npq/internal/database"
	"npq/migrations"
)

// migrator builds the template database as npq migrate does: our goose migrations, then
// River's. Its hash covers both, so a new migration of either kind builds a new template.
type migrator struct {
	goose *goosemigrator.GooseMigrator
}

func newMigrator() migrator {
	return migrator{goose: goosemigrator.New(".", goosemigrator.WithFS(migrations.FS))}
}

// Hash identifies the migrations of both kinds.
func (m migrator) Hash() (string, error) {
	g, err := m.goose.Hash()
	if err != nil {
		return "", err
	}
	r, err := database.RiverMigrationsHash()
	if err != nil {
		return "", err
	}
	return g + "-" + r[:16], nil
}

// Migrate applies our migrations, then River's, to the template database.
func (m migrator) Migrate(ctx context.Context, db *sql.DB, conf pgtestdb.Config) error {
	if err := m.goose.Migrate(ctx, db, conf); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, conf.URL())
	if err != nil {
		return fmt.Errorf("testdb: river migrations: %w", err)
	}
	defer pool.Close()
	return database.MigrateRiver(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
}
