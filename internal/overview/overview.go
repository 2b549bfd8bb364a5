// Package overview gathers the figures the lead-provider admin overview shows.
package overview

import (
	"context"
	"fmt"

	"npq/internal/database"
)

// Counts are the overview's figures.
type Counts struct {
	Courses            int
	Cohorts            int
	ActiveEnrolments   int
	Users              int
	Partners           int
	PendingInvitations int
	OutboxMessages     int
}

// Store reads the overview from the database.
type Store struct{ DB database.DB }

// Counts returns the overview's figures in one query.
func (s Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.DB.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM courses), (SELECT count(*) FROM cohorts),
		       (SELECT count(*) FROM enrolments WHERE status = 'active'),
		       (SELECT count(*) FROM users),
		       (SELECT count(*) FROM delivery_partners),
		       (SELECT count(*) FROM invitations WHERE accepted_at IS NULL AND expires_at > now()),
		       (SELECT count(*) FROM outbox)`).Scan(&c.Courses, &c.Cohorts, &c.ActiveEnrolments, &c.Users, &c.Partners, &c.PendingInvitations, &c.OutboxMessages)
	if err != nil {
		return c, fmt.Errorf("overview: counts: %w", err)
	}
	return c, nil
}
