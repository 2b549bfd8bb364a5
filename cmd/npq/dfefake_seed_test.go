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
// earns is accepted, and a sync then finds our records and DfE's agreeing.
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
	// The sync finds nothing different: the demo's made-up mismatches are cleared.
	res, err := reconcile.Sync(ctx, pool, client, now)
	if err != nil || res.Participants == 0 || res.Mismatches != 0 {
		rows, _, _ := reconcile.Store{DB: pool}.List(ctx, reconcile.Filter{}, listing.Request{Size: 20})
		t.Fatalf("reconciling: %+v %v\n%+v", res, err, rows)
	}
}
