package frameworks

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Statement kinds as stored.
const (
	StatementLearnThat  = "learn_that"
	StatementLearnHowTo = "learn_how_to"
	StatementBullet     = "bullet"
	StatementLearnAbout = "learn_about"
	StatementCriterion  = "criterion"
)

// CriterionKey is the stable key of a 2019 criterion, e.g. "npqml-2019/criterion/1.1.1".
func CriterionKey(slug, code string) string { return slug + "/criterion/" + code }

// table describes one table the importer keeps in step with the files.
type table struct {
	name string
	keys []string
	cols []string // value columns
	rows [][]any  // keys then values, in column order
}

func (t *table) add(vals ...any) { t.rows = append(t.rows, vals) }

// tables flattens the library into rows for each table, parents before children.
func tables(lib Library) []*table {
	quals := &table{name: "qualifications", keys: []string{"code"},
		cols: []string{"name", "course_identifier", "course_group", "status", "who_for", "entry_requirements", "content_note", "sources", "position"}}
	fws := &table{name: "frameworks", keys: []string{"slug"},
		cols: []string{"qualification_code", "title", "edition", "kind", "source", "description", "notes", "position"}}
	areas := &table{name: "framework_areas", keys: []string{"framework_slug", "number"},
		cols: []string{"title", "introduction", "note"}}
	stmts := &table{name: "framework_statements", keys: []string{"key"},
		cols: []string{"framework_slug", "area_number", "kind", "parent_key", "label", "stem", "text", "position"}}
	behaviours := &table{name: "framework_behaviours", keys: []string{"framework_slug", "position"},
		cols: []string{"name", "description"}}
	assessments := &table{name: "framework_assessments", keys: []string{"framework_slug"},
		cols: []string{"summary", "word_limit", "requirements", "provider_requirements", "footnotes"}}
	tasks := &table{name: "framework_tasks", keys: []string{"framework_slug", "key"},
		cols: []string{"position", "name", "summary", "setting", "word_limit", "requirements", "content_areas"}}
	taskCriteria := &table{name: "framework_task_criteria", keys: []string{"framework_slug", "task_key", "criterion_key"},
		cols: []string{"position", "supporting_documents", "task_text"}}

	for i, q := range lib.Catalogue.Qualifications {
		quals.add(q.Code, q.Name, q.CourseIdentifier, q.Group, q.Status, q.WhoFor, nonNil(q.EntryRequirements), q.ContentNote, nonNil(q.Sources), i+1)
	}
	for i, fw := range lib.Frameworks {
		fws.add(fw.Slug, fw.Qualification, fw.Title, fw.Edition, fw.Kind, fw.Source, fw.Description, nonNil(fw.Notes), i+1)
		pos := 0
		stmt := func(key string, area int, kind string, parent *string, label, stem, text string) {
			pos++
			stmts.add(key, fw.Slug, area, kind, parent, label, stem, text, pos)
		}
		for _, a := range fw.Areas {
			areas.add(fw.Slug, a.Number, a.Title, nonNil(a.Introduction), a.Note)
			base := fw.Slug + "/" + strconv.Itoa(a.Number)
			for _, s := range a.LearnThat {
				key := base + "/that/" + strconv.Itoa(s.Number)
				stmt(key, a.Number, StatementLearnThat, nil, strconv.Itoa(s.Number), "", s.Text)
				for b, text := range s.Bullets {
					stmt(key+"/"+strconv.Itoa(b+1), a.Number, StatementBullet, &key, "", "", text)
				}
			}
			for _, h := range a.LearnHowTo {
				key := base + "/how/" + strconv.Itoa(h.Number)
				stmt(key, a.Number, StatementLearnHowTo, nil, "", "", h.Lead)
				for b, text := range h.Bullets {
					stmt(key+"/"+strconv.Itoa(b+1), a.Number, StatementBullet, &key, "", "", text)
				}
			}
			for r, row := range a.Rows {
				key := base + "/how/" + strconv.Itoa(r+1)
				stmt(key, a.Number, StatementLearnHowTo, nil, "", "", row.LearnHowTo)
				for b, text := range row.LearnAbout {
					stmt(key+"/about/"+strconv.Itoa(b+1), a.Number, StatementLearnAbout, &key, "", "", text)
				}
				for _, c := range row.Criteria {
					stmt(CriterionKey(fw.Slug, c.Code), a.Number, StatementCriterion, &key, c.Code, c.Stem, c.Text)
				}
			}
		}
		for j, b := range fw.LeadershipBehaviours {
			behaviours.add(fw.Slug, j+1, b.Name, b.Description)
		}
		if a := fw.Assessment; a != nil {
			assessments.add(fw.Slug, a.Summary, nullInt(a.WordLimit), nonNil(a.Requirements), nonNil(a.ProviderRequirements), nonNil(a.Footnotes))
			inAreas := map[string]bool{}
			for _, ar := range fw.Areas {
				for _, row := range ar.Rows {
					for _, c := range row.Criteria {
						inAreas[c.Code] = true
					}
				}
			}
			for j, t := range a.Tasks {
				tasks.add(fw.Slug, t.Key, j+1, t.Name, t.Summary, t.Setting, nullInt(t.WordLimit), nonNil(t.Requirements), nonNilInts(t.ContentAreas))
				for k, c := range t.Criteria {
					key := CriterionKey(fw.Slug, c.Code)
					if !inAreas[c.Code] {
						// Printed in the task table only: it becomes a criterion of its area, with the task's wording.
						area, _ := strconv.Atoi(strings.SplitN(c.Code, ".", 2)[0])
						inAreas[c.Code] = true
						stmt(key, area, StatementCriterion, nil, c.Code, "", c.Text)
					}
					taskCriteria.add(fw.Slug, t.Key, key, k+1, nonNil(c.SupportingDocuments), c.Text)
				}
			}
		}
	}
	return []*table{quals, fws, areas, stmts, behaviours, assessments, tasks, taskCriteria}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInts(s []int) []int32 {
	out := make([]int32, len(s))
	for i, v := range s {
		out[i] = int32(v)
	}
	return out
}

func nullInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// ImportResult counts what an import changed.
type ImportResult struct {
	Skipped  bool // the same content was imported before
	Inserted int64
	Updated  int64
	Deleted  int64
}

// Changed reports whether the import changed any row.
func (r ImportResult) Changed() bool { return r.Inserted+r.Updated+r.Deleted > 0 }

// ImportMode says whether Import may skip content it has imported before.
type ImportMode int

// Import modes.
const (
	// IfChanged skips the import when the same content was imported last time.
	IfChanged ImportMode = iota
	// Always compares every row with the database, even when the content looks unchanged.
	Always
)

// Import brings the database in step with lib in one transaction: new rows are inserted,
// corrected ones updated in place under the same key, removed ones deleted, and unchanged
// rows are not touched. With IfChanged, content imported before is skipped.
func Import(ctx context.Context, db database.DB, lib Library, mode ImportMode) (ImportResult, error) {
	var res ImportResult
	err := database.InTx(ctx, db, func(tx pgx.Tx) error {
		// One importer at a time when several instances start together.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('npq:frameworks:import'))`); err != nil {
			return err
		}
		if mode == IfChanged {
			var last string
			err := tx.QueryRow(ctx, `SELECT content_hash FROM framework_imports ORDER BY id DESC LIMIT 1`).Scan(&last)
			if err != nil && !database.IsNoRows(err) {
				return err
			}
			if last == lib.Hash {
				res.Skipped = true
				return nil
			}
		}
		ts := tables(lib)
		for _, t := range ts {
			if err := t.upsert(ctx, tx, &res); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		for i := len(ts) - 1; i >= 0; i-- {
			n, err := ts[i].deleteStale(ctx, tx)
			if err != nil {
				return fmt.Errorf("%s: %w", ts[i].name, err)
			}
			res.Deleted += n
		}
		_, err := tx.Exec(ctx, `INSERT INTO framework_imports (content_hash) VALUES ($1)`, lib.Hash)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("frameworks: import: %w", err)
	}
	return res, nil
}

func (t *table) all() []string { return append(append([]string{}, t.keys...), t.cols...) }

func (t *table) staging() string { return "import_" + t.name }

// upsert copies the rows into a staging table, then inserts new rows and updates rows whose
// values differ.
func (t *table) upsert(ctx context.Context, tx pgx.Tx, res *ImportResult) error {
	cols := t.all()
	if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA`,
		t.staging(), strings.Join(cols, ", "), t.name)); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.staging()}, cols, pgx.CopyFromRows(t.rows)); err != nil {
		return err
	}
	var set, old, new []string
	for _, c := range t.cols {
		set = append(set, c+" = EXCLUDED."+c)
		old = append(old, t.name+"."+c)
		new = append(new, "EXCLUDED."+c)
	}
	// xmax = 0 tells an inserted row from an updated one.
	rows, err := tx.Query(ctx, fmt.Sprintf(`
		INSERT INTO %[1]s (%[2]s) SELECT %[2]s FROM %[3]s
		ON CONFLICT (%[4]s) DO UPDATE SET %[5]s
		WHERE (%[6]s) IS DISTINCT FROM (%[7]s)
		RETURNING xmax = 0`,
		t.name, strings.Join(cols, ", "), t.staging(), strings.Join(t.keys, ", "), strings.Join(set, ", "),
		strings.Join(old, ", "), strings.Join(new, ", ")))
	if err != nil {
		return err
	}
	inserted, err := pgx.CollectRows(rows, pgx.RowTo[bool])
	if err != nil {
		return err
	}
	for _, ins := range inserted {
		if ins {
			res.Inserted++
		} else {
			res.Updated++
		}
	}
	return nil
}

// deleteStale removes rows no longer in the files.
func (t *table) deleteStale(ctx context.Context, tx pgx.Tx) (int64, error) {
	var match []string
	for _, k := range t.keys {
		match = append(match, fmt.Sprintf("s.%[1]s = %[2]s.%[1]s", k, t.name))
	}
	tag, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE NOT EXISTS (SELECT 1 FROM %s s WHERE %s)`,
		t.name, t.staging(), strings.Join(match, " AND ")))
	return tag.RowsAffected(), err
}
