// Package cached keeps the result of an expensive read for a short while, so that a page of
// whole-table figures costs them once per period rather than once per view. Each app instance
// keeps its own copy; pages say how old their figures are.
package cached

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Fresh reports whether a value read at asOf may still be shown at now, given its lifetime.
// A clock that went back makes it stale, so it is read again.
func Fresh(asOf, now time.Time, ttl time.Duration) bool {
	return !asOf.IsZero() && !now.Before(asOf) && now.Sub(asOf) < ttl
}

// Value is one kept value of type T. Its zero value keeps nothing; set TTL before use.
type Value[T any] struct {
	TTL time.Duration

	mu    sync.Mutex
	v     T
	asOf  time.Time
	group singleflight.Group
}

// Get returns the kept value and the time it was read, reading it again with load (as at now)
// once it is TTL old. Requests that find it stale at the same moment share one read.
func (c *Value[T]) Get(ctx context.Context, now time.Time, load func(context.Context) (T, error)) (T, time.Time, error) {
	c.mu.Lock()
	v, asOf := c.v, c.asOf
	c.mu.Unlock()
	if Fresh(asOf, now, c.TTL) {
		return v, asOf, nil
	}
	type result struct {
		v    T
		asOf time.Time
	}
	got, err, _ := c.group.Do("", func() (any, error) {
		v, err := load(ctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.v, c.asOf = v, now
		c.mu.Unlock()
		return result{v, now}, nil
	})
	if err != nil {
		var zero T
		return zero, time.Time{}, err
	}
	r := got.(result)
	return r.v, r.asOf, nil
}

// Forget drops the kept value, so the next Get reads it again.
func (c *Value[T]) Forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero T
	c.v, c.asOf = zero, time.Time{}
}

// Keyed keeps one Value per key, such as one per delivery partner. Keys should be few and
// bounded (each is kept until forgotten). Its zero value is ready once TTL is set.
type Keyed[K comparable, T any] struct {
	TTL time.Duration

	mu     sync.Mutex
	values map[K]*Value[T]
}

// Get returns key's kept value and when it was read, as Value.Get does.
func (c *Keyed[K, T]) Get(ctx context.Context, key K, now time.Time, load func(context.Context) (T, error)) (T, time.Time, error) {
	c.mu.Lock()
	v, ok := c.values[key]
	if !ok {
		if c.values == nil {
			c.values = map[K]*Value[T]{}
		}
		v = &Value[T]{TTL: c.TTL}
		c.values[key] = v
	}
	c.mu.Unlock()
	return v.Get(ctx, now, load)
}

// Forget drops key's kept value.
func (c *Keyed[K, T]) Forget(key K) {
	c.mu.Lock()
	v := c.values[key]
	c.mu.Unlock()
	if v != nil {
		v.Forget()
	}
}

// ForgetAll drops every kept value.
func (c *Keyed[K, T]) ForgetAll() {
	c.mu.Lock()
	values := c.values
	c.values = nil
	c.mu.Unlock()
	for _, v := range values {
		v.Forget()
	}
}
