package main

import (
	"context"
	"testing"
	"time"

	"npq/internal/demo"
	"npq/internal/dfe/dfetest"
	"npq/internal/dfe/outbound"
	"npq/internal/dfe/reconcile"
	"npq/internal/listing"
	"npq/internal/testdb"
)

// A fake seeded from the demo holds what DfE would: every declaration the demo's evidence
// earns is accepted, and a sync then finds just the demo's two mismatches.
func TestDfEFakeSeededFromTheDemoAgreesWithIt(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	fake, url := dfetest.Start(t)
	people, err := seedFakeFromDatabase(ctx, pool, fake)
	if err != nil || people == 0 {
		t.Fatalf("seeded %d, %v", people, err)
	}
	client := dfetest.Client(t, url)
	now := time.Now()
	var due int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM dfe_declarations WHERE state = 'due'`).Scan(&due); err != nil || due == 0 {
		t.Fatalf("%d due, %v", due, err)
	}
	sent, err := outbound.SendDue(ctx, pool, client, now)
	if err != nil || sent.Sent != due || sent.Failed != 0 {
		t.Fatalf("sending the demo's due declarations: %+v %v", sent, err)
	}
	// The sync finds what the demo's last read found: a deferred participant DfE holds as
	// active and a declaration DfE is clawing back; nothing else differs.
	res, err := reconcile.Sync(ctx, pool, client, now)
	rows, _, _ := reconcile.Store{DB: pool}.List(ctx, reconcile.Filter{}, listing.Request{Size: 20})
	kinds := map[reconcile.Kind]int{}
	for _, r := range rows {
		kinds[r.Kind]++
	}
	if err != nil || res.Participants == 0 || res.Mismatches != 2 || kinds[reconcile.TrainingStatus] != 1 || kinds[reconcile.DeclVoidedAtDfE] != 1 {
		t.Fatalf("reconciling: %+v %v\n%+v", res, err, rows)
	}
}
