package database

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// riverMigrationLock is the advisory lock key held while River's migrations run, so that
// several instances starting at once apply each of them once. ("npq river" in ASCII.)
const riverMigrationLock int64 = 0x6e7071_7269766572

// MigrateRiver applies the pending migrations of River, the job queue (its tables are
// river_job, river_leader, river_queue, river_client and river_migration, beside ours).
// Each migration runs in a transaction of its own; an advisory lock, held on one
// connection for the whole run, keeps a second instance waiting until the first is done.
func MigrateRiver(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("database: river migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return fmt.Errorf("database: river migration lock: %w", err)
	}
	defer func() {
		// Released with the session anyway if this fails (the connection is then closed).
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrationLock); err != nil {
			conn.Conn().Close(context.WithoutCancel(ctx)) //nolint:errcheck // dropping the session drops its lock
		}
	}()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("database: river migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("database: river migrate: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("migration applied", "file", fmt.Sprintf("river/%03d_%s", v.Version, strings.ReplaceAll(v.Name, " ", "_")), "duration", v.Duration)
	}
	return nil
}

// RiverMigrationsHash identifies the River migrations this build applies, so that a test
// template built with other ones is not reused.
func RiverMigrationsHash() (string, error) {
	m, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return "", fmt.Errorf("database: river migrations: %w", err)
	}
	h := sha256.New()
	for _, v := range m.AllVersions() {
		fmt.Fprintf(h, "%d\n%s\n", v.Version, v.SQLUp)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
