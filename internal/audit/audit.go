// Package audit keeps the append-only record of who did what.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"npq/internal/database"
)

// Record appends one entry to the audit log. actorID is 0 for the system itself.
func Record(ctx context.Context, db database.DB, actorID int64, action, subject string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit: %s: %w", action, err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO audit_log (actor_id, action, subject, detail) VALUES ($1, $2, $3, $4)`,
		database.NullID(actorID), action, subject, b); err != nil {
		return fmt.Errorf("audit: %s: %w", action, err)
	}
	return nil
}
