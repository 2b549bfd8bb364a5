package programme

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ParticipantMatch is a participant found by the admin search.
type ParticipantMatch struct {
	UserID      int64
	Name, Email string
	Activated   bool
	Enrolments  []Enrolment
}

// SearchParticipants finds participants whose name or email contains q, with their enrolments.
func (s Store) SearchParticipants(ctx context.Context, q string, limit int) ([]ParticipantMatch, error) {
	pattern := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
	rows, err := s.DB.Query(ctx, `
		SELECT u.id, u.name, u.email, u.password_hash <> '' FROM users u
		WHERE u.role = 'participant' AND lower(u.name) || ' ' || u.email LIKE $1
		ORDER BY u.name, u.id LIMIT $2`, pattern, limit)
	if err != nil {
		return nil, fmt.Errorf("programme: search participants: %w", err)
	}
	matches, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ParticipantMatch, error) {
		var m ParticipantMatch
		return m, r.Scan(&m.UserID, &m.Name, &m.Email, &m.Activated)
	})
	if err != nil || len(matches) == 0 {
		return matches, err
	}
	ids := make([]int64, len(matches))
	index := map[int64]int{}
	for i, m := range matches {
		ids[i] = m.UserID
		index[m.UserID] = i
	}
	rows, err = s.DB.Query(ctx, `SELECT `+enrolmentColumns+` `+enrolmentFrom+` WHERE e.user_id = ANY($1) ORDER BY h.starts_on DESC`, ids)
	if err != nil {
		return nil, fmt.Errorf("programme: search participants: %w", err)
	}
	enrolments, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Enrolment, error) { return scanEnrolment(r) })
	for _, e := range enrolments {
		m := &matches[index[e.UserID]]
		m.Enrolments = append(m.Enrolments, e)
	}
	return matches, err
}

// EnrolmentForBlock returns the participant's enrolment on the course a block belongs to
