package cached

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFresh(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		asOf time.Time
		now  time.Time
		want bool
	}{
		{"never read", time.Time{}, at, false},
		{"just read", at, at, true},
		{"within the lifetime", at, at.Add(59 * time.Second), true},
		{"at the end of the lifetime", at, at.Add(time.Minute), false},
		{"long ago", at, at.Add(time.Hour), false},
		{"clock went back", at, at.Add(-time.Second), false},
	}
	for _, tt := range tests {
		if got := Fresh(tt.asOf, tt.now, time.Minute); got != tt.want {
			t.Errorf("%s: Fresh = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValueReadsOncePerLifetime(t *testing.T) {
	var reads atomic.Int32
	load := func(context.Context) (int, error) { return int(reads.Add(1)), nil }
	c := &Value[int]{TTL: time.Minute}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	v, asOf, err := c.Get(t.Context(), at, load)
	if err != nil || v != 1 || !asOf.Equal(at) {
		t.Fatalf("first read: %d %s %v", v, asOf, err)
	}
	if v, asOf, _ = c.Get(t.Context(), at.Add(30*time.Second), load); v != 1 || !asOf.Equal(at) {
		t.Errorf("within the lifetime: %d as of %s", v, asOf)
	}
	later := at.Add(2 * time.Minute)
	if v, asOf, _ = c.Get(t.Context(), later, load); v != 2 || !asOf.Equal(later) {
		t.Errorf("after the lifetime: %d as of %s", v, asOf)
	}
	c.Forget()
	if v, _, _ = c.Get(t.Context(), later, load); v != 3 {
		t.Errorf("after Forget: %d", v)
	}
}

func TestValueSharesAReadAndKeepsNoError(t *testing.T) {
	var reads atomic.Int32
	release := make(chan struct{})
	load := func(context.Context) (int, error) {
		reads.Add(1)
		<-release
		return 7, nil
	}
	c := &Value[int]{TTL: time.Minute}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if v, _, err := c.Get(t.Context(), at, load); v != 7 || err != nil {
				t.Errorf("shared read: %d %v", v, err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Errorf("%d reads for 5 requests at once", n)
	}

	failing := &Value[int]{TTL: time.Minute}
	boom := errors.New("boom")
	if _, _, err := failing.Get(t.Context(), at, func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("error: %v", err)
	}
	if v, _, err := failing.Get(t.Context(), at, func(context.Context) (int, error) { return 9, nil }); v != 9 || err != nil {
		t.Errorf("after an error, read again: %d %v", v, err)
	}
}

func TestKeyedKeepsOneValuePerKey(t *testing.T) {
	var reads atomic.Int32
	load := func(context.Context) (int, error) { return int(reads.Add(1)), nil }
	c := &Keyed[int64, int]{TTL: time.Minute}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	a, _, _ := c.Get(t.Context(), 1, at, load)
	b, _, _ := c.Get(t.Context(), 2, at, load)
	again, _, _ := c.Get(t.Context(), 1, at.Add(time.Second), load)
	if a != 1 || b != 2 || again != 1 {
		t.Errorf("per key: %d %d %d", a, b, again)
	}
	c.Forget(1)
	if v, _, _ := c.Get(t.Context(), 1, at.Add(time.Second), load); v != 3 {
		t.Errorf("after Forget(1): %d", v)
	}
	if v, _, _ := c.Get(t.Context(), 2, at.Add(time.Second), load); v != 2 {
		t.Errorf("key 2 after Forget(1): %d", v)
	}
	c.ForgetAll()
	if v, _, _ := c.Get(t.Context(), 2, at.Add(time.Second), load); v != 4 {
		t.Errorf("after ForgetAll: %d", v)
	}
}
