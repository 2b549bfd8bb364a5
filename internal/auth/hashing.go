package auth

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// ErrBusy means too many passwords are being checked at once; the caller should try again
// in a few seconds.
var ErrBusy = errors.New("auth: too many passwords being checked at once")

// HashLimiter bounds how many password hashes run at once. Each argon2id hash takes about
// 19 MiB, so a burst of sign-ins would otherwise take memory without limit.
type HashLimiter struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHashLimiter lets n hashes run at once; others wait up to wait for a slot, then get ErrBusy.
func NewHashLimiter(n int, wait time.Duration) *HashLimiter {
	return &HashLimiter{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// Do runs f once a slot is free, or returns ErrBusy (or the context's error) without running it.
func (l *HashLimiter) Do(ctx context.Context, f func()) error {
	select {
	case l.slots <- struct{}{}:
	default:
		t := time.NewTimer(l.wait)
		defer t.Stop()
		select {
		case l.slots <- struct{}{}:
		case <-t.C:
			return ErrBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-l.slots }()
	f()
	return nil
}

// sharedHashLimiter serves every Store that does not name its own, so the bound holds for the
// whole process: a slot per core, between two and four.
var sharedHashLimiter = NewHashLimiter(min(max(runtime.GOMAXPROCS(0), 2), 4), 2*time.Second)

func (s Store) hashing() *HashLimiter {
	if s.Hashing != nil {
		return s.Hashing
	}
	return sharedHashLimiter
}

// sleep waits d, or less if ctx ends first.
func (s Store) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
