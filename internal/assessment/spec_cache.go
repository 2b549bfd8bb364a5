package assessment

import (
	"context"
	"fmt"
	"sync"
	"time"

	"npq/internal/database"
)

// SpecRecheck is how often a running service asks whether the framework content was imported
// again: a specification read from the frameworks is kept until the content changes.
const SpecRecheck = time.Minute

// SpecCache keeps the specifications read from the frameworks, keyed by the content hash of
// the latest framework import, so a running service builds each qualification's once and
// again only after the frameworks are seeded with different content. It asks for the hash at
// most once every SpecRecheck.
type SpecCache struct {
	now     func() time.Time
	mu      sync.Mutex
	hash    string
	checked time.Time
	specs   map[string]Spec
}

// NewSpecCache returns an empty cache that reads the time from now.
func NewSpecCache(now func() time.Time) *SpecCache {
	return &SpecCache{now: now, specs: map[string]Spec{}}
}

// Spec is the specification of a submission's qualification.
func (st Store) Spec(ctx context.Context, qualification string) (Spec, error) {
	c := st.Specs
	if c == nil {
		return SpecFor(ctx, st.DB, st.Provider, qualification)
	}
	if err := c.recheck(ctx, st.DB); err != nil {
		return Spec{}, err
	}
	c.mu.Lock()
	spec, ok := c.specs[qualification]
	hash := c.hash
	c.mu.Unlock()
	if ok {
		return spec, nil
	}
	spec, err := SpecFor(ctx, st.DB, st.Provider, qualification)
	if err != nil {
		return spec, err
	}
	c.mu.Lock()
	if c.hash == hash {
		c.specs[qualification] = spec
	}
	c.mu.Unlock()
	return spec, nil
}

// recheck empties the cache when the latest framework import's content hash is not the one
// its specifications were built from; it asks at most once every SpecRecheck.
func (c *SpecCache) recheck(ctx context.Context, db database.DB) error {
	now := c.now()
	c.mu.Lock()
	due := c.checked.IsZero() || now.Sub(c.checked) >= SpecRecheck || now.Before(c.checked)
	c.mu.Unlock()
	if !due {
		return nil
	}
	var hash string
	err := db.QueryRow(ctx, `SELECT content_hash FROM framework_imports ORDER BY id DESC LIMIT 1`).Scan(&hash)
	if err != nil && !database.IsNoRows(err) {
		return fmt.Errorf("assessment: framework content: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if hash != c.hash {
		c.hash, c.specs = hash, map[string]Spec{}
	}
	c.checked = now
	return nil
}
