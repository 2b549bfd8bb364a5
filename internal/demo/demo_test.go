package demo_test

import (
	"context"
	"errors"
	"testing"

	"npq/internal/auth"
	"npq/internal/demo"
	"npq/internal/testdb"
)

func TestLoadIsIdempotentAndAccountsSignIn(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	for i := 0; i < 2; i++ {
		if err := demo.Load(ctx, pool, false); err != nil {
			t.Fatalf("load %d: %v", i, err)
		}
	}
	var users, partners int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM delivery_partners)`).Scan(&users, &partners) //nolint:errcheck
	if users != len(demo.Accounts) || partners < 2 {
		t.Errorf("%d users, %d partners after loading twice", users, partners)
	}
	s := auth.Store{DB: pool}
	for _, a := range demo.Accounts {
		u, err := s.Authenticate(ctx, a.Email, demo.Password, "127.0.0.1")
		if err != nil || u.Role != a.Role {
			t.Errorf("%s: %v %s", a.Email, err, u.Role)
		}
	}
	p1, _ := s.UserByEmail(ctx, "partner@demo.test")
	p2, _ := s.UserByEmail(ctx, "partner2@demo.test")
	if p1.DeliveryPartnerID == nil || p2.DeliveryPartnerID == nil || *p1.DeliveryPartnerID == *p2.DeliveryPartnerID {
		t.Error("the two partner accounts must belong to different partners")
	}
}

func TestLoadRefusesProduction(t *testing.T) {
	if err := demo.Load(context.Background(), nil, true); !errors.Is(err, demo.ErrProduction) {
		t.Errorf("got %v", err)
	}
}
