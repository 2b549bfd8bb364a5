package programme

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Journey returns an enrolment's blocks with their open dates, items and which items the
// participant has completed, in one query.
func (s Store) Journey(ctx context.Context, e Enrolment) ([]Block, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT b.id, b.position, b.title, cb.opens_on, i.id, i.position, i.kind, i.title, i.required, i.expected_minutes,
		       coalesce(c.completed, false)
		FROM blocks b
		LEFT JOIN cohort_blocks cb ON cb.cohort_id = $2 AND cb.block_id = b.id
		LEFT JOIN block_items i ON i.block_id = b.id
		LEFT JOIN LATERAL (SELECT completed FROM item_completions c WHERE c.enrolment_id = $1 AND c.item_id = i.id
		                   ORDER BY c.id DESC LIMIT 1) c ON true
		WHERE b.course_id = $3 ORDER BY b.position, i.position`, e.ID, e.CohortID, e.CourseID)
	if err != nil {
		return nil, fmt.Errorf("programme: journey %d: %w", e.ID, err)
	}
	return collectBlocks(rows, true)
}

// ItemStatement is a framework statement an item covers.
type ItemStatement struct {
	Key, FrameworkSlug, QualificationCode, Edition, Kind, Label, Text string
	AreaNumber                                                        int
	AreaTitle                                                         string
}

// ItemContent is what an item page shows beyond the journey.
type ItemContent struct {
	Body        string
	CompletedAt *time.Time
	Source      string
	Statements  []ItemStatement
}

// ItemContentFor returns an item's body, the enrolment's completion of it, and the framework
// statements it covers.
func (s Store) ItemContentFor(ctx context.Context, enrolmentID, itemID int64) (ItemContent, error) {
	var c ItemContent
	err := s.DB.QueryRow(ctx, `
		SELECT i.body, CASE WHEN ic.completed THEN ic.completed_at END, CASE WHEN ic.completed THEN ic.source ELSE '' END
		FROM block_items i
		LEFT JOIN LATERAL (SELECT completed, completed_at, source FROM item_completions c WHERE c.item_id = i.id AND c.enrolment_id = $1
		                   ORDER BY c.id DESC LIMIT 1) ic ON true
		WHERE i.id = $2`, enrolmentID, itemID).Scan(&c.Body, &c.CompletedAt, &c.Source)
	if database.IsNoRows(err) {
		return c, database.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("programme: item %d: %w", itemID, err)
	}
	rows, err := s.DB.Query(ctx, `
		SELECT st.key, st.framework_slug, f.qualification_code, f.edition, st.kind, st.label,
		       CASE WHEN st.stem <> '' THEN st.stem || ' ' || st.text ELSE st.text END, st.area_number, a.title
		FROM block_item_statements bis
		JOIN framework_statements st ON st.key = bis.statement_key
		JOIN frameworks f ON f.slug = st.framework_slug
		JOIN framework_areas a ON a.framework_slug = st.framework_slug AND a.number = st.area_number
		WHERE bis.item_id = $1 ORDER BY f.position, st.position`, itemID)
	if err != nil {
		return c, fmt.Errorf("programme: item %d statements: %w", itemID, err)
	}
	c.Statements, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ItemStatement, error) {
		var st ItemStatement
		return st, r.Scan(&st.Key, &st.FrameworkSlug, &st.QualificationCode, &st.Edition, &st.Kind, &st.Label, &st.Text, &st.AreaNumber, &st.AreaTitle)
	})
	return c, err
}

// Completion sources.
const (
	SourceParticipant = "participant"
	SourceAttendance  = "attendance"
	SourceSubmission  = "submission"
	SourceAdmin       = "admin"
)

// CompleteItem records that an enrolment completed an item. Completing it again changes
// nothing (a double click records it once). It reports whether this call recorded it.
func CompleteItem(ctx context.Context, db database.DB, enrolmentID, itemID int64, source string, actorID int64) (bool, error) {
	return recordCompletion(ctx, db, enrolmentID, itemID, true, source, actorID)
}

// UncompleteItem records that an item is no longer complete, for example when a register
// marked attended is corrected to absent. Earlier entries stay as they were.
func UncompleteItem(ctx context.Context, db database.DB, enrolmentID, itemID int64, source string, actorID int64) (bool, error) {
	return recordCompletion(ctx, db, enrolmentID, itemID, false, source, actorID)
}

// recordCompletion appends an entry when it changes the item's state. Entries for the same
// enrolment and item are serialised with an advisory lock, so concurrent clicks append once.
func recordCompletion(ctx context.Context, db database.DB, enrolmentID, itemID int64, completed bool, source string, actorID int64) (bool, error) {
	actor := database.NullID(actorID)
	changed := false
	err := database.InTx(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(concat('completion:', $1::bigint, ':', $2::bigint), 0))`, enrolmentID, itemID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO item_completions (enrolment_id, item_id, source, recorded_by, completed)
			SELECT $1, $2, $3, $4, $5
			WHERE coalesce((SELECT completed FROM item_completions WHERE enrolment_id = $1 AND item_id = $2 ORDER BY id DESC LIMIT 1), false) <> $5`,
			enrolmentID, itemID, source, actor, completed)
		changed = err == nil && tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("programme: record completion of item %d for %d: %w", itemID, enrolmentID, err)
	}
	return changed, nil
}

// Touch records that a participant opened an item: it becomes where they left off, and
// their last activity (written at most once a minute, so reading is cheap).
func (s Store) Touch(ctx context.Context, enrolmentID, itemID int64) error {
	_, err := s.DB.Exec(ctx, `UPDATE enrolments SET last_item_id = $2, last_activity_at = now()
		WHERE id = $1 AND (last_item_id IS DISTINCT FROM $2 OR last_activity_at IS NULL OR last_activity_at < now() - interval '1 minute')`,
		enrolmentID, itemID)
	if err != nil {
		return fmt.Errorf("programme: touch %d: %w", enrolmentID, err)
	}
	return nil
}

// RosterEntry is one participant of a cohort as staff see them.
type RosterEntry struct {
	EnrolmentID    int64
	UserID         int64
	Name, Email    string
	Status         Status
	FundingRoute   FundingRoute
	Progress       Progress
	CurrentBlock   string
	CurrentBlockNo int
	LastActivityAt *time.Time
}

// InactiveDays is how long without activity before staff see a participant highlighted.
const InactiveDays = 14

// Inactive reports whether the participant has done nothing for days (or ever) by now.
func (r RosterEntry) Inactive(now time.Time, days int) bool {
	return r.Status == StatusActive && (r.LastActivityAt == nil || now.Sub(*r.LastActivityAt) > time.Duration(days)*24*time.Hour)
}

// DaysSinceActive is whole days since the last activity, or -1 for never.
func (r RosterEntry) DaysSinceActive(now time.Time) int {
	if r.LastActivityAt == nil {
		return -1
	}
	return int(now.Sub(*r.LastActivityAt).Hours() / 24)
}

// Roster lists a cohort's participants with progress, current block and last activity, in
// two queries whatever the cohort's size; blocks are the cohort's (from CohortBlocks).
func (s Store) Roster(ctx context.Context, cohortID int64, blocks []Block, today time.Time) ([]RosterEntry, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT e.id, e.user_id, u.name, u.email, e.status, e.funding_route, e.last_activity_at
		FROM enrolments e JOIN users u ON u.id = e.user_id WHERE e.cohort_id = $1 ORDER BY u.name, e.id`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("programme: roster %d: %w", cohortID, err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RosterEntry, error) {
		var e RosterEntry
		return e, r.Scan(&e.EnrolmentID, &e.UserID, &e.Name, &e.Email, &e.Status, &e.FundingRoute, &e.LastActivityAt)
	})
	if err != nil {
		return nil, err
	}
	rows, err = s.DB.Query(ctx, `
		SELECT enrolment_id, item_id FROM (
			SELECT DISTINCT ON (c.enrolment_id, c.item_id) c.enrolment_id, c.item_id, c.completed
			FROM item_completions c JOIN enrolments e ON e.id = c.enrolment_id
			WHERE e.cohort_id = $1 ORDER BY c.enrolment_id, c.item_id, c.id DESC
		) latest WHERE completed`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("programme: roster %d completions: %w", cohortID, err)
	}
	done := map[int64]map[int64]bool{}
	for rows.Next() {
		var e, i int64
		if err := rows.Scan(&e, &i); err != nil {
			return nil, err
		}
		if done[e] == nil {
			done[e] = map[int64]bool{}
		}
		done[e][i] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for k := range entries {
		mine := withCompletion(blocks, done[entries[k].EnrolmentID])
		entries[k].Progress = CourseProgress(mine)
		if cur := CurrentBlock(mine, today); cur >= 0 {
			entries[k].CurrentBlock = mine[cur].Title
			entries[k].CurrentBlockNo = mine[cur].Position
		}
	}
	return entries, nil
}

// withCompletion copies blocks with each item's Completed set from done.
func withCompletion(blocks []Block, done map[int64]bool) []Block {
	out := make([]Block, len(blocks))
	for i, b := range blocks {
		b.Items = append([]Item(nil), b.Items...)
		for j := range b.Items {
			b.Items[j].Completed = done[b.Items[j].ID]
		}
		out[i] = b
	}
	return out
}

// NewsPost is a programme news item.
type NewsPost struct {
	ID          int64
	Title, Body string
	Audience    string // "Everyone", a course name or a cohort name
	PublishedAt time.Time
}

// NewsFor returns the latest news for a participant: posts for everyone and for the courses
// and cohorts they are enrolled on.
func (s Store) NewsFor(ctx context.Context, userID int64, limit int) ([]NewsPost, error) {
	return s.news(ctx, `WHERE (n.course_id IS NULL AND n.cohort_id IS NULL)
		OR n.cohort_id IN (SELECT cohort_id FROM enrolments WHERE user_id = $1)
		OR n.course_id IN (SELECT h.course_id FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.user_id = $1)`, userID, limit)
}

// AllNews returns the latest posts for admins.
func (s Store) AllNews(ctx context.Context, limit int) ([]NewsPost, error) {
	return s.news(ctx, `WHERE $1::bigint IS NULL`, nil, limit)
}

func (s Store) news(ctx context.Context, where string, arg any, limit int) ([]NewsPost, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT n.id, n.title, n.body, coalesce(h.name, c.name, 'Everyone'), n.published_at
		FROM news_posts n LEFT JOIN courses c ON c.id = n.course_id LEFT JOIN cohorts h ON h.id = n.cohort_id
		`+where+` ORDER BY n.published_at DESC, n.id DESC LIMIT $2`, arg, limit)
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
// (the active one if there are several), or database.ErrNotFound.
func (s Store) EnrolmentForBlock(ctx context.Context, userID, blockID int64) (Enrolment, error) {
	e, err := scanEnrolment(s.DB.QueryRow(ctx, `SELECT `+enrolmentColumns+` `+enrolmentFrom+`
		JOIN blocks b ON b.course_id = h.course_id
		WHERE e.user_id = $1 AND b.id = $2
		ORDER BY e.status = 'active' DESC, h.starts_on DESC LIMIT 1`, userID, blockID))
	if database.IsNoRows(err) {
		return e, database.ErrNotFound
	}
	return e, err
}
