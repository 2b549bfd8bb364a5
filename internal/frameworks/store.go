package frameworks

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Store answers the framework browser's and search's queries.
type Store struct {
	DB database.DB
}

// QualificationEntry is a catalogue row with the frameworks available for it.
type QualificationEntry struct {
	Code, Name, CourseIdentifier, Group, Status, WhoFor, ContentNote string
	EntryRequirements                                                []string
	Frameworks                                                       []FrameworkRef
}

// FrameworkRef names a framework.
type FrameworkRef struct {
	Slug, Title, Edition, Kind string
}

// Catalogue lists every qualification in catalogue order, with its frameworks.
func (s Store) Catalogue(ctx context.Context) ([]QualificationEntry, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT q.code, q.name, q.course_identifier, q.course_group, q.status, q.who_for, q.content_note,
		       q.entry_requirements,
		       coalesce(array_agg(f.slug ORDER BY f.position) FILTER (WHERE f.slug IS NOT NULL), '{}'),
		       coalesce(array_agg(f.title ORDER BY f.position) FILTER (WHERE f.slug IS NOT NULL), '{}'),
		       coalesce(array_agg(f.edition ORDER BY f.position) FILTER (WHERE f.slug IS NOT NULL), '{}'),
		       coalesce(array_agg(f.kind ORDER BY f.position) FILTER (WHERE f.slug IS NOT NULL), '{}')
		FROM qualifications q LEFT JOIN frameworks f ON f.qualification_code = q.code
		GROUP BY q.code ORDER BY q.position`)
	if err != nil {
		return nil, fmt.Errorf("frameworks: catalogue: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (QualificationEntry, error) {
		var q QualificationEntry
		var slugs, titles, editions, kinds []string
		err := r.Scan(&q.Code, &q.Name, &q.CourseIdentifier, &q.Group, &q.Status, &q.WhoFor, &q.ContentNote,
			&q.EntryRequirements, &slugs, &titles, &editions, &kinds)
		for i := range slugs {
			q.Frameworks = append(q.Frameworks, FrameworkRef{Slug: slugs[i], Title: titles[i], Edition: editions[i], Kind: kinds[i]})
		}
		return q, err
	})
}

// FrameworkRefs lists every framework, for filters.
func (s Store) FrameworkRefs(ctx context.Context) ([]FrameworkRef, error) {
	rows, err := s.DB.Query(ctx, `SELECT slug, title, edition, kind FROM frameworks ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("frameworks: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FrameworkRef, error) {
		var f FrameworkRef
		return f, r.Scan(&f.Slug, &f.Title, &f.Edition, &f.Kind)
	})
}

// StoredStatement is one row of framework_statements.
type StoredStatement struct {
	Key, Kind, Label, Stem, Text string
	AreaNumber                   int
	ParentKey                    *string
}

// FrameworkDetail is a whole framework, ready to show on one page.
type FrameworkDetail struct {
	FrameworkRef
	QualificationCode, QualificationName, Source, Description string
	Notes                                                     []string
	Areas                                                     []AreaDetail
	Statements                                                []StoredStatement // in printed order
	Behaviours                                                []Behaviour
	Assessment                                                *AssessmentDetail
}

// AreaDetail is an area's heading and introduction.
type AreaDetail struct {
	Number       int
	Title        string
	Introduction []string
	Note         string
}

// AssessmentDetail is a 2019 framework's assessment with its tasks.
type AssessmentDetail struct {
	Summary                                       string
	WordLimit                                     *int
	Requirements, ProviderRequirements, Footnotes []string
	Tasks                                         []TaskDetail
}

// TaskDetail is one task or part with its criteria rows.
type TaskDetail struct {
	Key, Name, Summary, Setting string
	WordLimit                   *int
	Requirements                []string
	ContentAreas                []int32
	Criteria                    []TaskCriterionDetail
}

// TaskCriterionDetail is a criterion as a task assesses it.
type TaskCriterionDetail struct {
	CriterionKey, Code, Text string
	SupportingDocuments      []string
}

// FrameworkBySlug returns a whole framework in one round trip, or database.ErrNotFound.
func (s Store) FrameworkBySlug(ctx context.Context, slug string) (FrameworkDetail, error) {
	var d FrameworkDetail
	found := false
	var behaviours []Behaviour
	var assessment *AssessmentDetail
	b := &pgx.Batch{}
	b.Queue(`
		SELECT f.slug, f.title, f.edition, f.kind, f.source, f.description, f.notes, q.code, q.name
		FROM frameworks f JOIN qualifications q ON q.code = f.qualification_code WHERE f.slug = $1`, slug).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&d.Slug, &d.Title, &d.Edition, &d.Kind, &d.Source, &d.Description, &d.Notes, &d.QualificationCode, &d.QualificationName)
		if database.IsNoRows(err) {
			return nil
		}
		found = err == nil
		return err
	})
	b.Queue(`SELECT number, title, introduction, note FROM framework_areas WHERE framework_slug = $1 ORDER BY number`, slug).Query(func(rows pgx.Rows) error {
		var err error
		d.Areas, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AreaDetail, error) {
			var a AreaDetail
			return a, r.Scan(&a.Number, &a.Title, &a.Introduction, &a.Note)
		})
		return err
	})
	b.Queue(`
		SELECT key, kind, label, stem, text, area_number, parent_key
		FROM framework_statements WHERE framework_slug = $1 ORDER BY position`, slug).Query(func(rows pgx.Rows) error {
		var err error
		d.Statements, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (StoredStatement, error) {
			var st StoredStatement
			return st, r.Scan(&st.Key, &st.Kind, &st.Label, &st.Stem, &st.Text, &st.AreaNumber, &st.ParentKey)
		})
		return err
	})
	b.Queue(`SELECT name, description FROM framework_behaviours WHERE framework_slug = $1 ORDER BY position`, slug).Query(func(rows pgx.Rows) error {
		var err error
		behaviours, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Behaviour, error) {
			var b Behaviour
			return b, r.Scan(&b.Name, &b.Description)
		})
		return err
	})
	b.Queue(assessmentSQL, slug).Query(func(rows pgx.Rows) error {
		var err error
		assessment, err = readAssessment(rows)
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return d, fmt.Errorf("frameworks: %s: %w", slug, err)
	}
	if !found {
		return FrameworkDetail{}, database.ErrNotFound
	}
	// Only the 2019 Content and Assessment Frameworks have behaviours and an assessment.
	if d.Kind == KindCAF2019 {
		d.Behaviours, d.Assessment = behaviours, assessment
	}
	return d, nil
}

// assessmentSQL reads a framework's assessment, its tasks and their criteria.
const assessmentSQL = `
		SELECT a.summary, a.word_limit, a.requirements, a.provider_requirements, a.footnotes,
		       t.key, t.name, t.summary, t.setting, t.word_limit, t.requirements, t.content_areas,
		       c.criterion_key, st.label, CASE WHEN c.task_text <> '' THEN c.task_text ELSE st.text END, c.supporting_documents
		FROM framework_assessments a
		JOIN framework_tasks t ON t.framework_slug = a.framework_slug
		JOIN framework_task_criteria c ON c.framework_slug = t.framework_slug AND c.task_key = t.key
		JOIN framework_statements st ON st.key = c.criterion_key
		WHERE a.framework_slug = $1
		ORDER BY t.position, c.position`

// readAssessment reads the rows of assessmentSQL; nil when there are none.
func readAssessment(rows pgx.Rows) (*AssessmentDetail, error) {
	defer rows.Close()
	var out *AssessmentDetail
	for rows.Next() {
		var a AssessmentDetail
		var t TaskDetail
		var c TaskCriterionDetail
		if err := rows.Scan(&a.Summary, &a.WordLimit, &a.Requirements, &a.ProviderRequirements, &a.Footnotes,
			&t.Key, &t.Name, &t.Summary, &t.Setting, &t.WordLimit, &t.Requirements, &t.ContentAreas,
			&c.CriterionKey, &c.Code, &c.Text, &c.SupportingDocuments); err != nil {
			return nil, err
		}
		if out == nil {
			out = &a
		}
		tasks := &out.Tasks
		if n := len(*tasks); n == 0 || (*tasks)[n-1].Key != t.Key {
			*tasks = append(*tasks, t)
		}
		last := &(*tasks)[len(*tasks)-1]
		last.Criteria = append(last.Criteria, c)
	}
	return out, rows.Err()
}

// SearchLimit is the most results one search shows.
const SearchLimit = 50

// MaxQueryLength is the longest search query accepted.
const MaxQueryLength = 200

// SearchResult is one matching statement.
type SearchResult struct {
	Key, FrameworkSlug, FrameworkTitle, FrameworkEdition, QualificationCode, Kind, Label string
	AreaNumber                                                                           int
	AreaTitle                                                                            string
	Highlighted                                                                          []Fragment
}

// Fragment is a piece of a highlighted result: Match marks the words that matched.
type Fragment struct {
	Text  string
	Match bool
}

// Search runs a full-text search over every statement and criterion, best matches first.
// An empty framework searches them all. It returns the results shown and the total number
// of matches; a query with no searchable words matches nothing.
func (s Store) Search(ctx context.Context, q, framework string) ([]SearchResult, int, error) {
	rows, err := s.DB.Query(ctx, `
		WITH query AS (SELECT websearch_to_tsquery('english', $1) AS tsq),
		matches AS (
			SELECT st.*, ts_rank_cd(st.search, query.tsq) AS rank, query.tsq, count(*) OVER () AS total
			FROM framework_statements st, query
			WHERE st.search @@ query.tsq AND ($2 = '' OR st.framework_slug = $2)
			ORDER BY rank DESC, st.framework_slug, st.position
			LIMIT $3
		)
		SELECT m.key, m.framework_slug, f.title, f.edition, f.qualification_code, m.kind, m.label, m.area_number, a.title,
		       ts_headline('english', CASE WHEN m.stem <> '' THEN m.stem || ' ' ELSE '' END || m.text, m.tsq,
		                   'HighlightAll=true, StartSel=' || chr(2) || ', StopSel=' || chr(3)),
		       m.total
		FROM matches m
		JOIN frameworks f ON f.slug = m.framework_slug
		JOIN framework_areas a ON a.framework_slug = m.framework_slug AND a.number = m.area_number
		ORDER BY m.rank DESC, m.framework_slug, m.position`, q, framework, SearchLimit)
	if err != nil {
		return nil, 0, fmt.Errorf("frameworks: search: %w", err)
	}
	defer rows.Close()
	var out []SearchResult
	total := 0
	for rows.Next() {
		var r SearchResult
		var headline string
		if err := rows.Scan(&r.Key, &r.FrameworkSlug, &r.FrameworkTitle, &r.FrameworkEdition, &r.QualificationCode, &r.Kind, &r.Label,
			&r.AreaNumber, &r.AreaTitle, &headline, &total); err != nil {
			return nil, 0, err
		}
		r.Highlighted = splitHighlights(headline)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// HasSearchableWords reports whether q contains any word full-text search can use (not only
// stop words such as "the" or punctuation).
func (s Store) HasSearchableWords(ctx context.Context, q string) (bool, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT numnode(websearch_to_tsquery('english', $1))`, q).Scan(&n)
	return n > 0, err
}

// splitHighlights turns ts_headline's output (matches between \x02 and \x03) into fragments.
func splitHighlights(h string) []Fragment {
	var out []Fragment
	for h != "" {
		i := strings.IndexByte(h, 2)
		if i < 0 {
			out = append(out, Fragment{Text: h})
			break
		}
		if i > 0 {
			out = append(out, Fragment{Text: h[:i]})
		}
		h = h[i+1:]
		j := strings.IndexByte(h, 3)
		if j < 0 {
			j = len(h)
		}
		out = append(out, Fragment{Text: h[:j], Match: true})
		if j < len(h) {
			h = h[j+1:]
		} else {
			h = ""
		}
	}
	return out
}

// Anchor is the id of a statement on its framework page, such as "s-1-that-8".
func Anchor(key string) string {
	_, rest, _ := strings.Cut(key, "/")
	return "s-" + strings.NewReplacer("/", "-", ".", "-").Replace(rest)
}
