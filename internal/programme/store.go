package programme

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/scope"
)

// Store reads and writes programme data. Methods that take a partner scope return only that
// partner's rows (database.ErrNotFound for another partner's), so handlers cannot forget it.
type Store struct {
	DB database.DB
}

// Partner is a delivery partner.
type Partner struct {
	ID                              int64
	Name, ContactName, ContactEmail string
	Region                          string
	Cohorts, Staff                  int
}

// Partners lists every delivery partner with counts of cohorts and staff.
func (s Store) Partners(ctx context.Context) ([]Partner, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT p.id, p.name, p.contact_name, p.contact_email, p.region,
		       (SELECT count(*) FROM cohorts c WHERE c.delivery_partner_id = p.id),
		       (SELECT count(*) FROM users u WHERE u.delivery_partner_id = p.id)
		FROM delivery_partners p ORDER BY p.name`)
	if err != nil {
		return nil, fmt.Errorf("programme: partners: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Partner, error) {
		var p Partner
		return p, r.Scan(&p.ID, &p.Name, &p.ContactName, &p.ContactEmail, &p.Region, &p.Cohorts, &p.Staff)
	})
}

// PartnerByID returns one partner.
func (s Store) PartnerByID(ctx context.Context, id int64) (Partner, error) {
	var p Partner
	err := s.DB.QueryRow(ctx, `SELECT id, name, contact_name, contact_email, region FROM delivery_partners WHERE id = $1`, id).
		Scan(&p.ID, &p.Name, &p.ContactName, &p.ContactEmail, &p.Region)
	if database.IsNoRows(err) {
		return p, database.ErrNotFound
	}
	return p, err
}

// ErrDuplicateName means another row already has this name.
var ErrDuplicateName = errors.New("name already used")

// SavePartner creates (ID 0) or updates a delivery partner.
func (s Store) SavePartner(ctx context.Context, p Partner) (int64, error) {
	var err error
	if p.ID == 0 {
		err = s.DB.QueryRow(ctx, `INSERT INTO delivery_partners (name, contact_name, contact_email, region)
			VALUES ($1, $2, $3, $4) RETURNING id`, p.Name, p.ContactName, p.ContactEmail, p.Region).Scan(&p.ID)
	} else {
		var tag interface{ RowsAffected() int64 }
		tag, err = s.DB.Exec(ctx, `UPDATE delivery_partners SET name = $2, contact_name = $3, contact_email = $4, region = $5
			WHERE id = $1`, p.ID, p.Name, p.ContactName, p.ContactEmail, p.Region)
		if err == nil && tag.RowsAffected() == 0 {
			return 0, database.ErrNotFound
		}
	}
	if database.IsUniqueViolation(err, "delivery_partners_name_key") {
		return 0, ErrDuplicateName
	}
	if err != nil {
		return 0, fmt.Errorf("programme: save partner: %w", err)
	}
	return p.ID, nil
}

// Course is a qualification as the provider delivers it.
type Course struct {
	ID                            int64
	QualificationCode             string
	QualificationName             string
	Group                         string
	Name, Description             string
	StudyMonths, AssessmentMonths int
	Blocks, Items, Cohorts        int
}

const courseColumns = `c.id, c.qualification_code, q.name, q.course_group, c.name, c.description, c.study_months, c.assessment_months`

// Courses lists every course with counts.
func (s Store) Courses(ctx context.Context) ([]Course, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT `+courseColumns+`,
		       (SELECT count(*) FROM blocks b WHERE b.course_id = c.id AND b.archived_at IS NULL),
		       (SELECT count(*) FROM block_items i JOIN blocks b ON b.id = i.block_id WHERE b.course_id = c.id
		          AND i.archived_at IS NULL AND b.archived_at IS NULL),
		       (SELECT count(*) FROM cohorts h WHERE h.course_id = c.id)
		FROM courses c JOIN qualifications q ON q.code = c.qualification_code ORDER BY q.position, c.name`)
	if err != nil {
		return nil, fmt.Errorf("programme: courses: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Course, error) {
		var c Course
		return c, r.Scan(&c.ID, &c.QualificationCode, &c.QualificationName, &c.Group, &c.Name, &c.Description,
			&c.StudyMonths, &c.AssessmentMonths, &c.Blocks, &c.Items, &c.Cohorts)
	})
}

// CourseByID returns one course.
func (s Store) CourseByID(ctx context.Context, id int64) (Course, error) {
	var c Course
	err := s.DB.QueryRow(ctx, `SELECT `+courseColumns+` FROM courses c JOIN qualifications q ON q.code = c.qualification_code WHERE c.id = $1`, id).
		Scan(&c.ID, &c.QualificationCode, &c.QualificationName, &c.Group, &c.Name, &c.Description, &c.StudyMonths, &c.AssessmentMonths)
	if database.IsNoRows(err) {
		return c, database.ErrNotFound
	}
	return c, err
}

// CreateCourse adds a course.
func (s Store) CreateCourse(ctx context.Context, c Course) (int64, error) {
	err := s.DB.QueryRow(ctx, `INSERT INTO courses (qualification_code, name, description, study_months, assessment_months)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.QualificationCode, c.Name, c.Description, c.StudyMonths, c.AssessmentMonths).Scan(&c.ID)
	if database.IsUniqueViolation(err, "courses_name_key") {
		return 0, ErrDuplicateName
	}
	if err != nil {
		return 0, fmt.Errorf("programme: create course: %w", err)
	}
	return c.ID, nil
}

// Qualification is a qualification a course can deliver.
type Qualification struct {
	Code, Name, Group string
	Frameworks        []string
}

// Qualifications lists the qualifications courses can be made for, with their framework slugs.
func (s Store) Qualifications(ctx context.Context) ([]Qualification, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT q.code, q.name, q.course_group, coalesce(array_agg(f.slug ORDER BY f.position) FILTER (WHERE f.slug IS NOT NULL), '{}')
		FROM qualifications q LEFT JOIN frameworks f ON f.qualification_code = q.code
		GROUP BY q.code ORDER BY q.position`)
	if err != nil {
		return nil, fmt.Errorf("programme: qualifications: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Qualification, error) {
		var q Qualification
		return q, r.Scan(&q.Code, &q.Name, &q.Group, &q.Frameworks)
	})
}

// StructureItem is an item as the course editor and the item page show it.
type StructureItem struct {
	Item
	Body       string
	Statements []string // statement keys
	Archived   bool     // hidden from participants, kept for history
}

// StructureBlock is a block with its items, for the course editor.
type StructureBlock struct {
	ID          int64
	Position    int
	Title       string
	Description string
	Archived    bool // hidden from participants and from new cohorts, kept for history
	Items       []StructureItem
}

// CourseStructure returns a course's blocks and items (with their statement keys) in order.
func (s Store) CourseStructure(ctx context.Context, courseID int64) ([]StructureBlock, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT b.id, b.position, b.title, b.description, b.archived_at IS NOT NULL,
		       i.id, i.position, i.kind, i.title, i.body, i.expected_minutes, i.required, i.archived_at IS NOT NULL,
		       coalesce((SELECT array_agg(statement_key ORDER BY statement_key) FROM block_item_statements s WHERE s.item_id = i.id), '{}')
		FROM blocks b LEFT JOIN block_items i ON i.block_id = b.id
		WHERE b.course_id = $1 ORDER BY b.position, i.position`, courseID)
	if err != nil {
		return nil, fmt.Errorf("programme: course %d structure: %w", courseID, err)
	}
	defer rows.Close()
	var out []StructureBlock
	for rows.Next() {
		var b StructureBlock
		var itemID *int64
		var pos *int
		var kind, title, body *string
		var minutes *int
		var required, archived *bool
		var keys []string
		if err := rows.Scan(&b.ID, &b.Position, &b.Title, &b.Description, &b.Archived, &itemID, &pos, &kind, &title, &body, &minutes, &required, &archived, &keys); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != b.ID {
			out = append(out, b)
		}
		if itemID != nil {
			last := &out[len(out)-1]
			last.Items = append(last.Items, StructureItem{Item: Item{ID: *itemID, BlockID: b.ID, Position: *pos, Kind: ItemKind(*kind),
				Title: *title, ExpectedMinutes: *minutes, Required: *required}, Body: *body, Statements: keys, Archived: *archived})
		}
	}
	return out, rows.Err()
}

// AddBlock appends a block to a course.
func (s Store) AddBlock(ctx context.Context, courseID int64, title, description string) (int64, error) {
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		// Lock the course so two blocks added at once get different positions.
		if err := tx.QueryRow(ctx, `SELECT id FROM courses WHERE id = $1 FOR UPDATE`, courseID).Scan(&id); err != nil {
			if database.IsNoRows(err) {
				return database.ErrNotFound
			}
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO blocks (course_id, position, title, description)
			VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM blocks WHERE course_id = $1), $2, $3) RETURNING id`,
			courseID, title, description).Scan(&id)
	})
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		err = fmt.Errorf("programme: add block: %w", err)
	}
	return id, err
}

// NewItem is what the course editor saves for an item.
type NewItem struct {
	Kind            ItemKind
	Title, Body     string
	ExpectedMinutes int
	Required        bool
	Statements      []string
}

// UnknownStatementsError means some statement keys are not in the framework content.
type UnknownStatementsError []string

func (e UnknownStatementsError) Error() string {
	return fmt.Sprintf("unknown framework statements: %v", []string(e))
}

// SaveItem adds an item to a block (itemID 0) or updates one, with its statements.
func (s Store) SaveItem(ctx context.Context, blockID, itemID int64, it NewItem) (int64, error) {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if len(it.Statements) > 0 {
			rows, err := tx.Query(ctx, `SELECT k FROM unnest($1::text[]) k WHERE NOT EXISTS (SELECT 1 FROM framework_statements s WHERE s.key = k)`, it.Statements)
			if err != nil {
				return err
			}
			unknown, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if len(unknown) > 0 {
				return UnknownStatementsError(unknown)
			}
		}
		if itemID == 0 {
			var id int64
			if err := tx.QueryRow(ctx, `SELECT id FROM blocks WHERE id = $1 FOR UPDATE`, blockID).Scan(&id); err != nil {
				if database.IsNoRows(err) {
					return database.ErrNotFound
				}
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO block_items (block_id, position, kind, title, body, expected_minutes, required)
				VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM block_items WHERE block_id = $1), $2, $3, $4, $5, $6) RETURNING id`,
				blockID, it.Kind, it.Title, it.Body, it.ExpectedMinutes, it.Required).Scan(&itemID); err != nil {
				return err
			}
		} else {
			tag, err := tx.Exec(ctx, `UPDATE block_items SET kind = $3, title = $4, body = $5, expected_minutes = $6, required = $7
				WHERE id = $1 AND block_id = $2`, itemID, blockID, it.Kind, it.Title, it.Body, it.ExpectedMinutes, it.Required)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return database.ErrNotFound
			}
			if _, err := tx.Exec(ctx, `DELETE FROM block_item_statements WHERE item_id = $1`, itemID); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO block_item_statements (item_id, statement_key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
			itemID, it.Statements)
		return err
	})
	var unknown UnknownStatementsError
	if err != nil && !errors.As(err, &unknown) && !errors.Is(err, database.ErrNotFound) {
		err = fmt.Errorf("programme: save item: %w", err)
	}
	return itemID, err
}

// Cohort is a course run by a delivery partner from a start date.
type Cohort struct {
	ID                                                           int64
	CourseID                                                     int64
	CourseName, QualificationCode                                string
	PartnerID                                                    int64
	PartnerName                                                  string
	Name, ScheduleIdentifier                                     string
	StartsOn, StudyEndsOn, AssessmentOpensOn, AssessmentClosesOn time.Time
	Participants, Active                                         int
}

// Stage says where a cohort is on a date.
func (c Cohort) Stage(today time.Time) string {
	switch {
	case today.Before(c.StartsOn):
		return "Not started"
	case today.Before(c.StudyEndsOn):
		return "In study"
	case today.Before(c.AssessmentOpensOn):
		return "Study finished"
	case today.Before(c.AssessmentClosesOn):
		return "Assessment window open"
	}
	return "Finished"
}

// cohortColumns are what scanCohort reads, from cohortFrom. Both counts come from one range
// scan of the cohort's enrolments in the (cohort_id, status) index.
const cohortColumns = `h.id, h.course_id, c.name, c.qualification_code, h.delivery_partner_id, p.name, h.name,
	h.schedule_identifier, h.starts_on, h.study_ends_on, h.assessment_opens_on, h.assessment_closes_on,
	k.participants, k.active`

// cohortFrom joins a cohort (h) to its course, partner and enrolment counts.
const cohortFrom = `FROM cohorts h JOIN courses c ON c.id = h.course_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
	CROSS JOIN LATERAL (SELECT count(*) AS participants, count(*) FILTER (WHERE e.status = 'active') AS active
		FROM enrolments e WHERE e.cohort_id = h.id) k`

func scanCohort(r pgx.Row) (Cohort, error) {
	var c Cohort
	err := r.Scan(&c.ID, &c.CourseID, &c.CourseName, &c.QualificationCode, &c.PartnerID, &c.PartnerName, &c.Name,
		&c.ScheduleIdentifier, &c.StartsOn, &c.StudyEndsOn, &c.AssessmentOpensOn, &c.AssessmentClosesOn, &c.Participants, &c.Active)
	return c, err
}

// addCohortScope adds the condition that cohort h is within sc: every cohort for admins, their
// partner's for partner staff.
func addCohortScope(w *database.Conds, sc scope.Scope) {
	if !sc.All() {
		w.Add("h.delivery_partner_id = $?", sc.PartnerID())
	}
}

// Cohorts lists the cohorts within sc, newest first.
func (s Store) Cohorts(ctx context.Context, sc scope.Scope) ([]Cohort, error) {
	var w database.Conds
	addCohortScope(&w, sc)
	rows, err := s.DB.Query(ctx, `
		SELECT `+cohortColumns+` `+cohortFrom+`
		WHERE `+w.SQL()+`
		ORDER BY h.starts_on DESC, h.name`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("programme: cohorts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Cohort, error) { return scanCohort(r) })
}

// CohortChoices lists the cohorts within sc, newest first, without counting their enrolments:
// for the filters of long lists, which name every cohort.
func (s Store) CohortChoices(ctx context.Context, sc scope.Scope) ([]Cohort, error) {
	var w database.Conds
	addCohortScope(&w, sc)
	rows, err := s.DB.Query(ctx, `
		SELECT h.id, h.course_id, c.name, c.qualification_code, h.delivery_partner_id, p.name, h.name,
			h.schedule_identifier, h.starts_on, h.study_ends_on, h.assessment_opens_on, h.assessment_closes_on, 0, 0
		FROM cohorts h JOIN courses c ON c.id = h.course_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE `+w.SQL()+`
		ORDER BY h.starts_on DESC, h.name`, w.Args...)
	if err != nil {
		return nil, fmt.Errorf("programme: cohort choices: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Cohort, error) { return scanCohort(r) })
}

// CohortKey is a cohort's position in the list of cohorts: its start, and its id.
func CohortKey(c Cohort) listing.Cursor { return listing.TimeKey(c.StartsOn, c.ID) }

// CohortsPage lists a page of the cohorts within sc whose name contains query, latest start
// first, in the query's order for listing.Cut. Only the page's cohorts have their enrolments
// counted.
func (s Store) CohortsPage(ctx context.Context, sc scope.Scope, query string, req listing.Request) ([]Cohort, error) {
	at, id, err := req.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(false, req)
	var w database.Conds
	addCohortScope(&w, sc)
	if query != "" {
		w.Search("h.name ILIKE $?", database.Contains(query))
	}
	if id != 0 {
		w.Where("(h.starts_on, h.id) " + cmp + " (" + w.Arg(at) + "::timestamptz::date, " + w.Arg(id) + ")")
	}
	rows, err := s.DB.Query(ctx, `
		SELECT `+cohortColumns+` `+cohortFrom+`
		WHERE `+w.SQL()+`
		ORDER BY h.starts_on `+dir+`, h.id `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("programme: cohorts page: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Cohort, error) { return scanCohort(r) })
}

// CohortByID returns a cohort within sc.
func (s Store) CohortByID(ctx context.Context, id int64, sc scope.Scope) (Cohort, error) {
	c, err := scanCohort(s.DB.QueryRow(ctx, `
		SELECT `+cohortColumns+` `+cohortFrom+`
		WHERE h.id = $1 AND ($2 OR h.delivery_partner_id = $3)`, id, sc.All(), sc.PartnerID()))
	if database.IsNoRows(err) {
		return c, database.ErrNotFound
	}
	return c, err
}

// NewCohort is what an admin fills in to start a cohort.
type NewCohort struct {
	CourseID, PartnerID                                          int64
	Name, ScheduleIdentifier                                     string
	StartsOn, StudyEndsOn, AssessmentOpensOn, AssessmentClosesOn time.Time
	BlockOpens                                                   map[int64]time.Time // block id -> opens on
}

// CreateCohort adds a cohort with each block's open date.
func (s Store) CreateCohort(ctx context.Context, n NewCohort) (int64, error) {
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO cohorts (course_id, delivery_partner_id, name, schedule_identifier,
				starts_on, study_ends_on, assessment_opens_on, assessment_closes_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, n.CourseID, n.PartnerID, n.Name, n.ScheduleIdentifier,
			n.StartsOn, n.StudyEndsOn, n.AssessmentOpensOn, n.AssessmentClosesOn).Scan(&id); err != nil {
			return err
		}
		for blockID, opens := range n.BlockOpens {
			if _, err := tx.Exec(ctx, `INSERT INTO cohort_blocks (cohort_id, block_id, opens_on)
				SELECT $1, b.id, $3 FROM blocks b WHERE b.id = $2 AND b.course_id = $4`, id, blockID, opens, n.CourseID); err != nil {
				return err
			}
		}
		return nil
	})
	if database.IsUniqueViolation(err, "cohorts_name_key") {
		return 0, ErrDuplicateName
	}
	if err != nil {
		return 0, fmt.Errorf("programme: create cohort: %w", err)
	}
	return id, nil
}

// CohortBlocks returns the blocks of a cohort within sc, each with its open date and items (not
// completion).
func (s Store) CohortBlocks(ctx context.Context, cohortID int64, sc scope.Scope) ([]Block, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT b.id, b.position, b.title, cb.opens_on, i.id, i.position, i.kind, i.title, i.required, i.expected_minutes
		FROM cohorts h JOIN blocks b ON b.course_id = h.course_id
		LEFT JOIN cohort_blocks cb ON cb.cohort_id = h.id AND cb.block_id = b.id
		LEFT JOIN block_items i ON i.block_id = b.id AND i.archived_at IS NULL
		WHERE h.id = $1 AND ($2 OR h.delivery_partner_id = $3) AND b.archived_at IS NULL ORDER BY b.position, i.position`, cohortID, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("programme: cohort %d blocks: %w", cohortID, err)
	}
	return collectBlocks(rows, itemsOnly)
}

// blockRows says what the rows collectBlocks reads carry.
type blockRows int

const (
	itemsOnly          blockRows = iota // block and item columns
	itemsAndCompletion                  // the same, then a completed flag
)

// collectBlocks groups block/item rows.
func collectBlocks(rows pgx.Rows, columns blockRows) ([]Block, error) {
	defer rows.Close()
	var out []Block
	for rows.Next() {
		var b Block
		var opens *time.Time
		var id *int64
		var pos *int
		var kind, title *string
		var required *bool
		var minutes *int
		var done bool
		dest := []any{&b.ID, &b.Position, &b.Title, &opens, &id, &pos, &kind, &title, &required, &minutes}
		if columns == itemsAndCompletion {
			dest = append(dest, &done)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if opens != nil {
			b.OpensOn = *opens
		}
		if n := len(out); n == 0 || out[n-1].ID != b.ID {
			out = append(out, b)
		}
		if id != nil {
			last := &out[len(out)-1]
			last.Items = append(last.Items, Item{ID: *id, BlockID: b.ID, Position: *pos, Kind: ItemKind(*kind), Title: *title,
				Required: *required, ExpectedMinutes: *minutes, Completed: done})
		}
	}
	return out, rows.Err()
}
