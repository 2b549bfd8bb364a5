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

// A fake seeded from the demo holds what DfE would: the demo's due declarations are accepted
// and a sync then finds our records and DfE's agreeing.
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
	sent, err := outbound.SendDue(ctx, pool, client, now)
	if err != nil || sent.Sent != 2 || sent.Failed != 0 {
		t.Fatalf("sending the demo's due declarations: %+v %v", sent, err)
	}
	res, err := reconcile.Sync(ctx, pool, client, now)
	if err != nil || res.Mismatches != 0 || res.Participants == 0 {
		rows, _, _ := reconcile.Store{DB: pool}.List(ctx, reconcile.Filter{}, listing.Request{Size: 20})
		t.Fatalf("reconciling: %+v %v\n%+v", res, err, rows)
	}
}
