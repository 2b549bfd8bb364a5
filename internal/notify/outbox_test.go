package notify

import (
	"context"
	"testing"

	"npq/internal/testdb"
)

func TestEnqueueAll(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	var partner int64
	if err := pool.QueryRow(ctx, `INSERT INTO delivery_partners (name) VALUES ('Riverside Hub') RETURNING id`).Scan(&partner); err != nil {
		t.Fatal(err)
	}
	if err := EnqueueAll(ctx, pool, nil); err != nil {
		t.Fatalf("nothing to send: %v", err)
	}
	err := EnqueueAll(ctx, pool, []Message{
		{ToAddress: "ann@school.test", ToName: "Ann", Subject: "Hello", Body: "Hi Ann", PartnerID: partner},
		{ToAddress: "ben@school.test", ToName: "Ben", Subject: "Hello", Body: "Hi Ben"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var n, withPartner int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(delivery_partner_id) FROM outbox WHERE subject = 'Hello' AND sent_at IS NULL`).Scan(&n, &withPartner); err != nil {
		t.Fatal(err)
	}
	if n != 2 || withPartner != 1 {
		t.Errorf("%d messages, %d with a partner", n, withPartner)
	}
}
