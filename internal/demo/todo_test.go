package demo_test

import (
	"context"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/demo"
	"npq/internal/scope"
	"npq/internal/testdb"
	"npq/internal/todo"
)

// The demo gives the partner and the admin something of every kind to do.
func TestDemoHasWorkOnTheToDoLists(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	partner, _ := auth.Store{DB: pool}.UserByEmail(ctx, "partner@demo.test")
	st := todo.Store{DB: pool}
	for _, tc := range []struct {
		sc    scope.Scope
		kinds []todo.Kind
	}{
		{scope.Partner(*partner.DeliveryPartnerID), []todo.Kind{todo.Registers, todo.Unbooked, todo.Inactive}},
		{scope.Admin(), []todo.Kind{todo.Requests, todo.Returns, todo.Unallocated, todo.Overdue, todo.Release, todo.FailedMail, todo.Registers, todo.Inactive}},
	} {
		items, err := st.Summary(ctx, tc.sc, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		have := map[todo.Kind]int{}
		for _, it := range items {
			have[it.Kind] = it.Count
		}
		for _, k := range tc.kinds {
			if have[k] == 0 {
				t.Errorf("nothing for %s in %v", k, have)
			}
		}
	}
}
