package auth

import (
	"context"
	"testing"
	"time"

	"npq/internal/testdb"
)

func TestPruneAccountRecords(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	s := Store{DB: pool}
	u, err := s.UpsertUser(ctx, "pruned@school.test", "Pat Pruned", RoleParticipant, nil, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	old, recent := now.Add(-AccountRecordsKept-time.Hour), now.Add(-time.Hour)
	for _, at := range []time.Time{old, recent} {
		if _, err := s.StartSession(ctx, u.ID, "Firefox", "192.0.2.1", at); err != nil {
			t.Fatal(err)
		}
		// Requests only count for an hour, so both go.
		if _, err := pool.Exec(ctx, `INSERT INTO password_reset_requests (email, ip, at) VALUES ($1, '192.0.2.1', $2)`, u.Email, at.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.PruneAccountRecords(ctx, now)
	if err != nil || n != 3 {
		t.Fatalf("pruned %d, %v; want 3", n, err)
	}
	var sessions, requests int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM account_sessions), (SELECT count(*) FROM password_reset_requests)`).Scan(&sessions, &requests); err != nil {
		t.Fatal(err)
	}
	if sessions != 1 || requests != 0 {
		t.Errorf("left %d sessions and %d requests, want 1 and 0", sessions, requests)
	}
}
