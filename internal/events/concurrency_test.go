package events_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"npq/internal/events"
	"npq/internal/problem"
)

// Twenty people move from date A to date B while twenty move from B to A, several times
// over: every change goes through or gets an answer the participant can act on, and
// PostgreSQL never has to break a deadlock.
func TestOppositeDateChangesDoNotDeadlock(t *testing.T) {
	f := newFixture(t, 40)
	ctx := context.Background()
	a := f.event(t, f.item, 10, 9, new(40))
	b := f.event(t, f.item, 12, 9, new(40))
	on := map[int64]int64{} // enrolment -> the date they are booked on
	for i, e := range f.enrolments {
		ev := a
		if i%2 == 1 {
			ev = b
		}
		if out, err := f.s.Book(ctx, e, ev, 0, f.now); err != nil || out != events.OutcomeBooked {
			t.Fatalf("first booking: %s %v", out, err)
		}
		on[e] = ev
	}
	for round := range 3 {
		var wg sync.WaitGroup
		start := make(chan struct{})
		outcomes := make([]events.Outcome, len(f.enrolments))
		errs := make([]error, len(f.enrolments))
		for i, e := range f.enrolments {
			to := a
			if on[e] == a {
				to = b
			}
			wg.Add(1)
			go func(i int, e, to int64) {
				defer wg.Done()
				<-start
				outcomes[i], errs[i] = f.s.Book(ctx, e, to, 0, f.now)
			}(i, e, to)
		}
		close(start)
		wg.Wait()
		for i, e := range f.enrolments {
			var refused problem.Problem
			switch {
			case errs[i] == nil && outcomes[i] == events.OutcomeChanged:
				if on[e] == a {
					on[e] = b
				} else {
					on[e] = a
				}
			case errorsAs(errs[i], &refused):
			default:
				t.Errorf("round %d, change %d: %s %v", round, i, outcomes[i], errs[i])
			}
		}
		for _, ev := range []int64{a, b} {
			want := 0
			for _, x := range on {
				if x == ev {
					want++
				}
			}
			if n := f.count(t, `SELECT count(*) FROM bookings WHERE event_id = $1 AND status = 'booked'`, ev); n != want {
				t.Errorf("round %d: event %d has %d bookings, want %d", round, ev, n, want)
			}
			if n := f.count(t, `SELECT booked_count FROM events WHERE id = $1`, ev); n != want {
				t.Errorf("round %d: event %d counts %d bookings, want %d", round, ev, n, want)
			}
		}
	}
}

// A place on a waiting list is timestamped when it is granted, not when the request began: a
// request that waited for the event's lock queues behind everyone who got in meanwhile.
func TestWaitingListPositionIsTakenWhenGranted(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(1))
	if out, err := f.s.Book(ctx, f.enrolments[0], ev, 0, f.now); err != nil || out != events.OutcomeBooked {
		t.Fatalf("book: %s %v", out, err)
	}
	// Another transaction holds the event while the request arrives.
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, ev); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		out, err := f.s.JoinWaitingList(ctx, f.enrolments[1], ev, 0, f.now)
		if err == nil && out != events.OutcomeWaiting {
			t.Errorf("join: %s", out)
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	var released time.Time
	if err := tx.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&released); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var since time.Time
	if err := f.pool.QueryRow(ctx, `SELECT waiting_since FROM bookings WHERE event_id = $1 AND enrolment_id = $2`, ev, f.enrolments[1]).Scan(&since); err != nil {
		t.Fatal(err)
	}
	if since.Before(released) {
		t.Errorf("waiting since %s, before the place could be granted at %s", since.Format(time.StampMicro), released.Format(time.StampMicro))
	}
}
