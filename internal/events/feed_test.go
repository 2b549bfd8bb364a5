package events_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"npq/migrations"
)

// calendarHashMigration is the migration that stopped keeping feed tokens in clear.
const calendarHashMigration = 30

// Calendar addresses made before tokens were hashed keep working after the migration.
func TestExistingCalendarAddressesSurviveHashing(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, nil)
	f.s.Book(ctx, f.enrolments[0], ev, 0, f.now) //nolint:errcheck
	var userID int64
	f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, f.enrolments[0]).Scan(&userID) //nolint:errcheck

	db := stdlib.OpenDBFromPool(f.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApplyVersion(ctx, calendarHashMigration, false); err != nil {
		t.Fatal(err)
	}
	const old = "an-address-made-before-hashing-0123456789"
	if _, err := f.pool.Exec(ctx, `INSERT INTO calendar_feeds (user_id, token) VALUES ($1, $2)`, userID, old); err != nil {
		t.Fatal(err)
	}
	f.pool.Reset() // the table's shape changes under any prepared statements
	if _, err := p.ApplyVersion(ctx, calendarHashMigration, true); err != nil {
		t.Fatal(err)
	}
	f.pool.Reset()
	body, err := f.s.Feed(ctx, old, f.now)
	if err != nil || !strings.Contains(body, "BEGIN:VEVENT") {
		t.Fatalf("old address after the migration: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM calendar_feeds f WHERE strpos(f::text, $1) > 0`, old); n != 0 {
		t.Error("the old token is still stored in clear")
	}
}

// A new address replaces the old one; only its hash is kept.
func TestNewCalendarAddressReplacesTheOld(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	var userID int64
	f.pool.QueryRow(ctx, `SELECT user_id FROM enrolments WHERE id = $1`, f.enrolments[0]).Scan(&userID) //nolint:errcheck
	if made, err := f.s.FeedMadeAt(ctx, userID); err != nil || made != nil {
		t.Fatalf("before any address: %v %v", made, err)
	}
	first, err := f.s.NewFeedToken(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	if made, err := f.s.FeedMadeAt(ctx, userID); err != nil || made == nil {
		t.Fatalf("after making an address: %v %v", made, err)
	}
	second, _ := f.s.NewFeedToken(ctx, userID)
	if first == second || len(second) < 32 {
		t.Errorf("tokens %q, %q", first, second)
	}
	if _, err := f.s.Feed(ctx, first, f.now); err == nil {
		t.Error("the old address still works")
	}
	if _, err := f.s.Feed(ctx, second, f.now); err != nil {
		t.Error(err)
	}
	if n := f.count(t, `SELECT count(*) FROM calendar_feeds f WHERE strpos(f::text, $1) > 0`, second); n != 0 {
		t.Error("the token is stored in clear")
	}
}
