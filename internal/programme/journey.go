package programme

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Journey returns an enrolment's blocks with their open dates, items and which items the
// participant has completed, in one query.
func (s Store) Journey(ctx context.Context, e Enrolment) ([]Block, error) {
	rows, err := s.DB.Query(ctx, journeySQL, e.ID, e.CohortID, e.CourseID)
	if err != nil {
		return nil, fmt.Errorf("programme: journey %d: %w", e.ID, err)
	}
	return collectBlocks(rows, itemsAndCompletion)
}

const journeySQL = `
		SELECT b.id, b.position, b.title, cb.opens_on, i.id, i.position, i.kind, i.title, i.required, i.expected_minutes,
		       coalesce(c.completed, false)
		FROM blocks b
		LEFT JOIN cohort_blocks cb ON cb.cohort_id = $2 AND cb.block_id = b.id
		LEFT JOIN block_items i ON i.block_id = b.id AND i.archived_at IS NULL
		LEFT JOIN LATERAL (SELECT completed FROM item_completions c WHERE c.enrolment_id = $1 AND c.item_id = i.id
		                   ORDER BY c.id DESC LIMIT 1) c ON true
		WHERE b.course_id = $3 AND b.archived_at IS NULL ORDER BY b.position, i.position`

// QueueJourney queues on b the read of Journey, which fills out when the batch is sent, so
// another store can read it in the same round trip as its own.
func QueueJourney(b *pgx.Batch, e Enrolment, out *[]Block) {
	b.Queue(journeySQL, e.ID, e.CohortID, e.CourseID).Query(func(rows pgx.Rows) error {
		blocks, err := collectBlocks(rows, itemsAndCompletion)
		if err != nil {
			return fmt.Errorf("programme: journey %d: %w", e.ID, err)
		}
		*out = blocks
		return nil
	})
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
// statements it covers, in one round trip.
func (s Store) ItemContentFor(ctx context.Context, enrolmentID, itemID int64) (ItemContent, error) {
	return s.itemContent(ctx, enrolmentID, itemID, false)
}

// OpenItem is ItemContentFor that also notes the item as where the participant left off (as
// Touch does), in the same round trip: what an item's page reads.
func (s Store) OpenItem(ctx context.Context, enrolmentID, itemID int64) (ItemContent, error) {
	return s.itemContent(ctx, enrolmentID, itemID, true)
}

func (s Store) itemContent(ctx context.Context, enrolmentID, itemID int64, touch bool) (ItemContent, error) {
	var c ItemContent
	found := false
	b := &pgx.Batch{}
	b.Queue(`
		SELECT i.body, CASE WHEN ic.completed THEN ic.completed_at END, CASE WHEN ic.completed THEN ic.source ELSE '' END
		FROM block_items i
		LEFT JOIN LATERAL (SELECT completed, completed_at, source FROM item_completions c WHERE c.item_id = i.id AND c.enrolment_id = $1
		                   ORDER BY c.id DESC LIMIT 1) ic ON true
		WHERE i.id = $2`, enrolmentID, itemID).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&c.Body, &c.CompletedAt, &c.Source)
		if database.IsNoRows(err) {
			return nil
		}
		found = err == nil
		return err
	})
	b.Queue(`
		SELECT st.key, st.framework_slug, f.qualification_code, f.edition, st.kind, st.label,
		       CASE WHEN st.stem <> '' THEN st.stem || ' ' || st.text ELSE st.text END, st.area_number, a.title
		FROM block_item_statements bis
		JOIN framework_statements st ON st.key = bis.statement_key
		JOIN frameworks f ON f.slug = st.framework_slug
		JOIN framework_areas a ON a.framework_slug = st.framework_slug AND a.number = st.area_number
		WHERE bis.item_id = $1 ORDER BY f.position, st.position`, itemID).Query(func(rows pgx.Rows) error {
		var err error
		c.Statements, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ItemStatement, error) {
			var st ItemStatement
			return st, r.Scan(&st.Key, &st.FrameworkSlug, &st.QualificationCode, &st.Edition, &st.Kind, &st.Label, &st.Text, &st.AreaNumber, &st.AreaTitle)
		})
		return err
	})
	if touch {
		b.Queue(touchSQL, enrolmentID, itemID)
	}
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return c, fmt.Errorf("programme: item %d: %w", itemID, err)
	}
	if !found {
		return c, database.ErrNotFound
	}
	return c, nil
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
	_, err := s.DB.Exec(ctx, touchSQL, enrolmentID, itemID)
	if err != nil {
		return fmt.Errorf("programme: touch %d: %w", enrolmentID, err)
	}
	return nil
}

const touchSQL = `UPDATE enrolments SET last_item_id = $2, last_activity_at = now()
		WHERE id = $1 AND (last_item_id IS DISTINCT FROM $2 OR last_activity_at IS NULL OR last_activity_at < now() - interval '1 minute')`

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
