package applications

import (
	"context"
	"fmt"
	"testing"
	"time"

	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/testdb"
)

func TestSince(t *testing.T) {
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		last time.Time
		want time.Time
	}{
		{"first sync reads everything", time.Time{}, time.Time{}},
		{"later syncs reach back", start, start.Add(-ReachBack)},
	}
	for _, tt := range tests {
		if got := Since(tt.last); !got.Equal(tt.want) {
			t.Errorf("%s: Since = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSyncPagesUntilEmptyAndReadsOnlyChanges(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	fake, url := dfetest.Start(t)
	clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	fake.SetClock(func() time.Time { return clock })
	client := dfetest.Client(t, url, dfe.WithPerPage(2))
	var ids []string
	for i := range 5 {
		id, _ := fake.AddApplication(dfefake.Application{FullName: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@school.example", i),
			Course: "npq-headship", Cohort: "2026", SchoolURN: "100000", TRN: fmt.Sprintf("100000%d", i)})
		ids = append(ids, id)
	}

	res, err := Sync(ctx, db, client, clock.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 5 || !res.Since.IsZero() {
		t.Fatalf("first sync %+v", res)
	}
	if calls := fake.Calls(); calls != 4 { // pages of 2, 2, 1 and the empty one
		t.Fatalf("%d calls, want 4", calls)
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM dfe_applications WHERE status = 'pending' AND trn <> '' AND email LIKE '%@school.example'`).Scan(&n); err != nil || n != 5 {
		t.Fatalf("%d pending, %v", n, err)
	}

	clock = clock.Add(2 * time.Hour)
	if _, err := client.RejectApplication(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	fake.AddApplication(dfefake.Application{FullName: "Late", Email: "late@school.example", Course: "npq-senco", Cohort: "2026"})
	res, err = Sync(ctx, db, client, clock.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 2 || !res.Since.Equal(clock.Add(-time.Hour-ReachBack)) {
		t.Fatalf("second sync %+v", res)
	}
	var status string
	if err := db.QueryRow(ctx, `SELECT status FROM dfe_applications WHERE id = $1`, ids[0]).Scan(&status); err != nil || status != "rejected" {
		t.Fatalf("status %q, %v", status, err)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM dfe_applications`).Scan(&n); err != nil || n != 6 {
		t.Fatalf("%d applications, %v", n, err)
	}
}
