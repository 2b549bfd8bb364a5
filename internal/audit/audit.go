// Package audit keeps the append-only record of who did what.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Origin is where a request came from: the client's address and the request's id.
type Origin struct {
	IP        string
	RequestID string
}

type originKey struct{}

// WithOrigin returns a context whose audit entries carry o.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginFrom returns the origin stored by WithOrigin, or the zero Origin (the system itself).
func OriginFrom(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	return o
}

// Record appends one entry to the audit log, with the address and request id of the request
// in ctx (see WithOrigin). actorID is 0 for the system itself or someone not signed in.
func Record(ctx context.Context, db database.DB, actorID int64, action, subject string, detail map[string]any) error {
	args, err := recordArgs(ctx, actorID, action, subject, detail)
	if err != nil {
		return err
	}
	if _, err := db.Exec(ctx, recordSQL, args...); err != nil {
		return fmt.Errorf("audit: %s: %w", action, err)
	}
	return nil
}

// Queue is Record queued on a batch, so the entry is written in the same round trip (and
// the batch's implicit transaction) as the change it records.
func Queue(ctx context.Context, b *pgx.Batch, actorID int64, action, subject string, detail map[string]any) error {
	args, err := recordArgs(ctx, actorID, action, subject, detail)
	if err != nil {
		return err
	}
	b.Queue(recordSQL, args...)
	return nil
}

const recordSQL = `INSERT INTO audit_log (actor_id, action, subject, detail, ip, request_id)
		VALUES ($1, $2, $3, $4, $5, $6)`

func recordArgs(ctx context.Context, actorID int64, action, subject string, detail map[string]any) ([]any, error) {
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return nil, fmt.Errorf("audit: %s: %w", action, err)
	}
	o := OriginFrom(ctx)
	return []any{database.NullID(actorID), action, subject, b, o.IP, o.RequestID}, nil
}
