package programme

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// NewsPost is a programme news item.
type NewsPost struct {
	ID          int64
	Title, Body string
	Audience    string // "Everyone", a course name or a cohort name
	PublishedAt time.Time
}

// NewsFor returns the latest news for a participant: posts for everyone and for the courses
// and cohorts they are enrolled on; a deferred or withdrawn place no longer brings its
// cohort's news, nor a withdrawn one its course's.
func (s Store) NewsFor(ctx context.Context, userID int64, limit int) ([]NewsPost, error) {
	return s.news(ctx, `WHERE (n.course_id IS NULL AND n.cohort_id IS NULL)
		OR n.cohort_id IN (SELECT cohort_id FROM enrolments WHERE user_id = $1 AND status IN ('active', 'completed'))
		OR n.course_id IN (SELECT h.course_id FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.user_id = $1 AND e.status <> 'withdrawn')`, userID, limit)
}

// AllNews returns the latest posts for admins.
func (s Store) AllNews(ctx context.Context, limit int) ([]NewsPost, error) {
	return s.news(ctx, `WHERE $1::bigint IS NULL`, nil, limit)
}

// news lists posts. The limit is written into the statement rather than sent as a parameter:
// it is always a caller's constant, and with LIMIT as a parameter PostgreSQL cannot price one
// plan for every execution, so it planned the statement afresh each time (at national size,
// planning cost more than running it).
func (s Store) news(ctx context.Context, where string, arg any, limit int) ([]NewsPost, error) {
	if limit < 1 || limit > 1000 {
		return nil, fmt.Errorf("programme: news: limit %d out of range", limit)
	}
	rows, err := s.DB.Query(ctx, `
		SELECT n.id, n.title, n.body, coalesce(h.name, c.name, 'Everyone'), n.published_at
		FROM news_posts n LEFT JOIN courses c ON c.id = n.course_id LEFT JOIN cohorts h ON h.id = n.cohort_id
		`+where+` ORDER BY n.published_at DESC, n.id DESC LIMIT `+strconv.Itoa(limit), arg)
	if err != nil {
		return nil, fmt.Errorf("programme: news: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (NewsPost, error) {
		var p NewsPost
		return p, r.Scan(&p.ID, &p.Title, &p.Body, &p.Audience, &p.PublishedAt)
	})
}

// PostNews publishes a post to everyone, one course or one cohort.
func (s Store) PostNews(ctx context.Context, title, body string, courseID, cohortID *int64, authorID int64) (int64, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `INSERT INTO news_posts (title, body, course_id, cohort_id, author_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		title, body, courseID, cohortID, database.NullID(authorID)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("programme: post news: %w", err)
	}
	return id, nil
}
