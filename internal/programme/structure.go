package programme

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/problem"
)

// Usage is what depends on a block or an activity: while anything does, it cannot be removed,
// only archived.
type Usage struct {
	Cohorts     int // cohorts with a date for the block
	Completions int // participants with a completion recorded for it (or for an activity in the block)
	Events      int // events scheduled for it, cancelled ones included
	Bookings    int // bookings on those events
	Returns     int // deferrals planned to return at the block
}

// RemovalRefusal says why what ("block 2", "this activity") cannot be removed, or "" when
// nothing depends on it and it can be.
func (u Usage) RemovalRefusal(what string) string {
	var reasons []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			reasons = append(reasons, one)
		case n > 1:
			reasons = append(reasons, strconv.Itoa(n)+" "+many)
		}
	}
	add(u.Cohorts, "a cohort has a date for it", "cohorts have dates for it")
	add(u.Completions, "a participant has a completion recorded for it", "participants have completions recorded for it")
	add(u.Events, "an event was scheduled for it", "events were scheduled for it")
	add(u.Bookings, "a participant booked a place on one", "bookings were made on them")
	add(u.Returns, "a deferral is planned to return at it", "deferrals are planned to return at it")
	if len(reasons) == 0 {
		return ""
	}
	list := reasons[0]
	if n := len(reasons); n > 1 {
		list = strings.Join(reasons[:n-1], ", ") + " and " + reasons[n-1]
	}
	return "You cannot remove " + what + " because " + list + ". Archive it instead: it is hidden from participants and from new cohorts, and kept for history."
}

// BlockUsage counts what depends on a block of the course.
func (s Store) BlockUsage(ctx context.Context, courseID, blockID int64) (Usage, error) {
	return blockUsage(ctx, s.DB, courseID, blockID)
}

func blockUsage(ctx context.Context, db database.DB, courseID, blockID int64) (Usage, error) {
	var u Usage
	err := db.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM cohort_blocks WHERE block_id = b.id),
		       (SELECT count(DISTINCT c.enrolment_id) FROM item_completions c JOIN block_items i ON i.id = c.item_id WHERE i.block_id = b.id),
		       (SELECT count(*) FROM events e JOIN block_items i ON i.id = e.item_id WHERE i.block_id = b.id),
		       (SELECT count(*) FROM bookings k JOIN block_items i ON i.id = k.item_id WHERE i.block_id = b.id),
		       (SELECT count(*) FROM status_requests r WHERE r.return_block_id = b.id)
		FROM blocks b WHERE b.id = $1 AND b.course_id = $2`, blockID, courseID).Scan(&u.Cohorts, &u.Completions, &u.Events, &u.Bookings, &u.Returns)
	if database.IsNoRows(err) {
		return u, database.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("programme: block %d usage: %w", blockID, err)
	}
	return u, nil
}

// ItemUsage counts what depends on an activity of a block of the course.
func (s Store) ItemUsage(ctx context.Context, courseID, blockID, itemID int64) (Usage, error) {
	return itemUsage(ctx, s.DB, courseID, blockID, itemID)
}

func itemUsage(ctx context.Context, db database.DB, courseID, blockID, itemID int64) (Usage, error) {
	var u Usage
	err := db.QueryRow(ctx, `
		SELECT (SELECT count(DISTINCT enrolment_id) FROM item_completions WHERE item_id = i.id),
		       (SELECT count(*) FROM events WHERE item_id = i.id),
		       (SELECT count(*) FROM bookings WHERE item_id = i.id)
		FROM block_items i JOIN blocks b ON b.id = i.block_id
		WHERE i.id = $1 AND i.block_id = $2 AND b.course_id = $3`, itemID, blockID, courseID).Scan(&u.Completions, &u.Events, &u.Bookings)
	if database.IsNoRows(err) {
		return u, database.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("programme: item %d usage: %w", itemID, err)
	}
	return u, nil
}

// MoveBlock moves a block of the course one place up (earlier) or down from position from,
// swapping it with its neighbour; a block no longer at from has moved already (a repeated
// request), and stays where it is. Opening dates of existing cohorts stay as they were.
func (s Store) MoveBlock(ctx context.Context, courseID, blockID int64, from int, up bool) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockCourse(ctx, tx, courseID); err != nil {
			return err
		}
		return swap(ctx, tx, "blocks", "course_id", courseID, blockID, from, up, "block")
	})
	return wrapStructure("move block", blockID, err)
}

// MoveItem moves an activity one place up (earlier) or down from position from within its
// block, as MoveBlock does.
func (s Store) MoveItem(ctx context.Context, courseID, blockID, itemID int64, from int, up bool) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockBlock(ctx, tx, courseID, blockID); err != nil {
			return err
		}
		return swap(ctx, tx, "block_items", "block_id", blockID, itemID, from, up, "activity")
	})
	return wrapStructure("move item", itemID, err)
}

// swap exchanges the position of row id (of table, within parent) with its neighbour, when
// the row is still at position from. table and parentColumn are constants from this file,
// never input.
func swap(ctx context.Context, tx pgx.Tx, table, parentColumn string, parent, id int64, from int, up bool, what string) error {
	var pos int
	err := tx.QueryRow(ctx, `SELECT position FROM `+table+` WHERE id = $1 AND `+parentColumn+` = $2`, id, parent).Scan(&pos)
	if database.IsNoRows(err) {
		return database.ErrNotFound
	}
	if err != nil {
		return err
	}
	if pos != from {
		return nil
	}
	q := `SELECT id, position FROM ` + table + ` WHERE ` + parentColumn + ` = $1 AND position > $2 ORDER BY position LIMIT 1`
	edge := "This " + what + " is already last"
	if up {
		q = `SELECT id, position FROM ` + table + ` WHERE ` + parentColumn + ` = $1 AND position < $2 ORDER BY position DESC LIMIT 1`
		edge = "This " + what + " is already first"
	}
	var other int64
	var otherPos int
	err = tx.QueryRow(ctx, q, parent, pos).Scan(&other, &otherPos)
	if database.IsNoRows(err) {
		return problem.New(edge)
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL DEFERRED`); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE `+table+` SET position = CASE id WHEN $1 THEN $2::int ELSE $3::int END WHERE id IN ($1, $4)`, id, otherPos, pos, other)
	return err
}

// RemoveBlock removes a block of the course, with its activities, and closes the gap in the
// numbering. It is refused with the reason when anything depends on it.
func (s Store) RemoveBlock(ctx context.Context, courseID, blockID, actorID int64) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockCourse(ctx, tx, courseID); err != nil {
			return err
		}
		// Locking the block and its activities makes anything about to depend on them wait.
		var pos int
		var title string
		err := tx.QueryRow(ctx, `SELECT position, title FROM blocks WHERE id = $1 AND course_id = $2 FOR UPDATE`, blockID, courseID).Scan(&pos, &title)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT id FROM block_items WHERE block_id = $1 FOR UPDATE`, blockID); err != nil {
			return err
		}
		u, err := blockUsage(ctx, tx, courseID, blockID)
		if err != nil {
			return err
		}
		if why := u.RemovalRefusal("block " + strconv.Itoa(pos)); why != "" {
			return problem.New(why)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM blocks WHERE id = $1`, blockID); err != nil {
			return err
		}
		if err := closeGap(ctx, tx, "blocks", "course_id", courseID, pos); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "course.block_removed", courseSubject(courseID), map[string]any{"block": blockID, "title": title, "position": pos})
	})
	return wrapStructure("remove block", blockID, err)
}

// RemoveItem removes an activity and closes the gap in its block's numbering. It is refused
// with the reason when anything depends on it.
func (s Store) RemoveItem(ctx context.Context, courseID, blockID, itemID, actorID int64) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockBlock(ctx, tx, courseID, blockID); err != nil {
			return err
		}
		var pos int
		var title string
		err := tx.QueryRow(ctx, `SELECT position, title FROM block_items WHERE id = $1 AND block_id = $2 FOR UPDATE`, itemID, blockID).Scan(&pos, &title)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		u, err := itemUsage(ctx, tx, courseID, blockID, itemID)
		if err != nil {
			return err
		}
		if why := u.RemovalRefusal("this activity"); why != "" {
			return problem.New(why)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM block_items WHERE id = $1`, itemID); err != nil {
			return err
		}
		if err := closeGap(ctx, tx, "block_items", "block_id", blockID, pos); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "course.item_removed", courseSubject(courseID), map[string]any{"block": blockID, "item": itemID, "title": title})
	})
	return wrapStructure("remove item", itemID, err)
}

// closeGap renumbers the rows after a removed position.
func closeGap(ctx context.Context, tx pgx.Tx, table, parentColumn string, parent int64, pos int) error {
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL DEFERRED`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE `+table+` SET position = position - 1 WHERE `+parentColumn+` = $1 AND position > $2`, parent, pos)
	return err
}

// ArchiveBlock archives a block of the course (archived true) or brings it back (false).
func (s Store) ArchiveBlock(ctx context.Context, courseID, blockID int64, archived bool, actorID int64) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE blocks SET archived_at = CASE WHEN $3 THEN coalesce(archived_at, now()) END
			WHERE id = $1 AND course_id = $2`, blockID, courseID, archived)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return audit.Record(ctx, tx, actorID, archiveAction("course.block", archived), courseSubject(courseID), map[string]any{"block": blockID})
	})
	return wrapStructure("archive block", blockID, err)
}

// ArchiveItem archives an activity (archived true) or brings it back (false).
func (s Store) ArchiveItem(ctx context.Context, courseID, blockID, itemID int64, archived bool, actorID int64) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE block_items i SET archived_at = CASE WHEN $4 THEN coalesce(i.archived_at, now()) END
			FROM blocks b WHERE i.id = $1 AND i.block_id = $2 AND b.id = i.block_id AND b.course_id = $3`, itemID, blockID, courseID, archived)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return audit.Record(ctx, tx, actorID, archiveAction("course.item", archived), courseSubject(courseID), map[string]any{"block": blockID, "item": itemID})
	})
	return wrapStructure("archive item", itemID, err)
}

func archiveAction(what string, archived bool) string {
	if archived {
		return what + "_archived"
	}
	return what + "_restored"
}

func courseSubject(courseID int64) string { return "course:" + strconv.FormatInt(courseID, 10) }

func lockCourse(ctx context.Context, tx pgx.Tx, courseID int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM courses WHERE id = $1 FOR UPDATE`, courseID).Scan(&id)
	if database.IsNoRows(err) {
		return database.ErrNotFound
	}
	return err
}

func lockBlock(ctx context.Context, tx pgx.Tx, courseID, blockID int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM blocks WHERE id = $1 AND course_id = $2 FOR UPDATE`, blockID, courseID).Scan(&id)
	if database.IsNoRows(err) {
		return database.ErrNotFound
	}
	return err
}

// wrapStructure adds context to an error, leaving not found and problems as they are for
// the server to recognise.
func wrapStructure(what string, id int64, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("programme: %s %d: %w", what, id, err)
}

// Part is a block, or an activity of a block, as the question before removing it names it.
type Part struct {
	CourseName    string
	BlockPosition int
	BlockTitle    string
	BlockItems    int // how many activities the block has
	ItemTitle     string
	Archived      bool // the block, or the activity when there is one
}

// PartOf returns a block of the course, or an activity of that block (itemID 0 for the
// block), or database.ErrNotFound.
func (s Store) PartOf(ctx context.Context, courseID, blockID, itemID int64) (Part, error) {
	var p Part
	err := s.DB.QueryRow(ctx, `
		SELECT c.name, b.position, b.title, (SELECT count(*) FROM block_items WHERE block_id = b.id),
		       coalesce(i.title, ''), CASE WHEN $3 = 0 THEN b.archived_at IS NOT NULL ELSE i.archived_at IS NOT NULL END
		FROM courses c JOIN blocks b ON b.course_id = c.id LEFT JOIN block_items i ON i.block_id = b.id AND i.id = $3
		WHERE c.id = $1 AND b.id = $2 AND ($3 = 0 OR i.id IS NOT NULL)`, courseID, blockID, itemID).
		Scan(&p.CourseName, &p.BlockPosition, &p.BlockTitle, &p.BlockItems, &p.ItemTitle, &p.Archived)
	if database.IsNoRows(err) {
		return p, database.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("programme: part %d/%d/%d: %w", courseID, blockID, itemID, err)
	}
	return p, nil
}
