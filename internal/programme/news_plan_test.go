package programme_test

import (
	"context"
	"testing"

	"npq/internal/programme"
	"npq/internal/testdb"
)

// A participant's news is read on every visit to their home page, so PostgreSQL should keep
// one plan for it rather than plan it afresh each time.
func TestParticipantNewsKeepsOnePlan(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	// As at a national provider: a few posts for everyone, many for one cohort or course.
	for _, sql := range []string{
		`INSERT INTO qualifications (code, name, course_group, status, who_for, position) VALUES ('NPQH', 'Headship', 'leadership', 'current', 'Heads', 1)`,
		`INSERT INTO courses (qualification_code, name) SELECT 'NPQH', 'Course ' || g FROM generate_series(1, 4) g`,
		`INSERT INTO delivery_partners (name) VALUES ('Partner')`,
		`INSERT INTO cohorts (course_id, delivery_partner_id, name, schedule_identifier, starts_on, study_ends_on, assessment_opens_on, assessment_closes_on)
			SELECT 1 + g % 4, 1, 'Cohort ' || g, 'npq-leadership-autumn', '2026-01-01', '2027-01-01', '2027-01-01', '2027-03-01' FROM generate_series(1, 400) g`,
		`INSERT INTO users (email, name, password_hash, role) SELECT 'p' || g || '@school.test', 'P ' || g, 'x', 'participant' FROM generate_series(1, 4000) g`,
		`INSERT INTO enrolments (user_id, cohort_id, funding_route, starts_on) SELECT u.id, 1 + u.id % 400, 'scholarship', '2026-01-01' FROM users u`,
		`INSERT INTO news_posts (title, body, cohort_id, published_at) SELECT 'Post ' || g, 'Body', 1 + g % 400, now() - g * interval '1 hour' FROM generate_series(1, 1200) g`,
		`INSERT INTO news_posts (title, body, course_id, published_at) SELECT 'Course post ' || g, 'Body', 1 + g % 4, now() - g * interval '1 day' FROM generate_series(1, 200) g`,
		`INSERT INTO news_posts (title, body) SELECT 'Everyone ' || g, 'Body' FROM generate_series(1, 4) g`,
		`ANALYZE`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	s := programme.Store{DB: conn}
	for i := range 10 {
		posts, err := s.NewsFor(ctx, int64(100+i), 5)
		if err != nil || len(posts) != 5 {
			t.Fatalf("news: %d posts, %v", len(posts), err)
		}
	}
	var generic, custom int
	if err := conn.QueryRow(ctx, `SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) FROM pg_prepared_statements
		WHERE statement LIKE '%FROM news_posts n%'`).Scan(&generic, &custom); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d generic, %d custom", generic, custom)
	if generic == 0 {
		t.Errorf("planned afresh every time: %d custom plans, no generic one", custom)
	}
}
