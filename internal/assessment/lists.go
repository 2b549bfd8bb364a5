package assessment

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/programme"
)

// Allocated is a submission on a marker's list: it carries the candidate number, never the name.
type Allocated struct {
	SubmissionID    int64
	CandidateNumber string
	Qualification   string
	CourseName      string
	Attempt         int
	Role            string
	Stage           Stage
	SubmittedAt     time.Time
	AllocatedAt     time.Time
	Completed       bool
}

// ToDo reports whether the marker still has work on it.
func (a Allocated) ToDo() bool { return !a.Completed && a.Stage == StageForRole(a.Role) }

// Listed is a submission on the admins' list.
type Listed struct {
	ID              int64
	EnrolmentID     int64
	CandidateNumber string
	ParticipantName string
	CourseName      string
	PartnerName     string
	Attempt         int
	Stage           Stage
	SubmittedAt     *time.Time
	Deadline        time.Time
	Sampled         bool
	Passed          *bool
	Markers         map[string]string // role -> marker name
	// Filled in by SubmissionsPage: the course's short name, the cohort, and when it was
	// handed in (or started, for a draft).
	Qualification, CohortName string
	Since                     time.Time
}

// AdminList lists submissions past the draft stage (or every one when drafts is set), by stage.
func (st Store) AdminList(ctx context.Context, stage Stage) ([]Listed, error) {
	rows, err := st.DB.Query(ctx, `SELECT s.id, s.enrolment_id, s.candidate_number, u.name, c.name, p.name, s.attempt, s.stage, s.submitted_at,
		coalesce((SELECT x.deadline FROM assessment_extensions x WHERE x.enrolment_id = e.id ORDER BY x.id DESC LIMIT 1), h.assessment_closes_on),
		s.sampled, s.passed,
		coalesce((SELECT jsonb_object_agg(a.role, m.name) FROM allocations a JOIN users m ON m.id = a.marker_id WHERE a.submission_id = s.id), '{}')
		`+submissionFrom+` WHERE ($1 = '' OR s.stage = $1) ORDER BY array_position(ARRAY['submitted','in_marking','marked','moderation','ready','draft','released'], s.stage), s.submitted_at, s.id
		LIMIT 500`, string(stage))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
		var l Listed
		return l, r.Scan(&l.ID, &l.EnrolmentID, &l.CandidateNumber, &l.ParticipantName, &l.CourseName, &l.PartnerName, &l.Attempt, &l.Stage,
			&l.SubmittedAt, &l.Deadline, &l.Sampled, &l.Passed, &l.Markers)
	})
}

// Assessor is someone who can be allocated marking.
type Assessor struct {
	ID       int64
	Name     string
	Open     int     // unfinished sheets
	Partners []int64 // delivery partners they work for
}

// Assessors lists the assessors with their current load.
func (st Store) Assessors(ctx context.Context) ([]Assessor, error) {
	rows, err := st.DB.Query(ctx, `SELECT u.id, u.name,
		(SELECT count(*) FROM mark_sheets ms WHERE ms.marker_id = u.id AND ms.completed_at IS NULL),
		coalesce((SELECT array_agg(m.delivery_partner_id) FROM marker_affiliations m WHERE m.user_id = u.id), '{}')
		FROM users u WHERE u.role = 'assessor' ORDER BY u.name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assessor, error) {
		var a Assessor
		return a, r.Scan(&a.ID, &a.Name, &a.Open, &a.Partners)
	})
}

// Rate is a count of passes (or agreements) out of a total.
type Rate struct {
	Label   string
	Yes, Of int
}

// Percent is the rate as a whole percentage.
func (r Rate) Percent() int {
	if r.Of == 0 {
		return 0
	}
	return (r.Yes*100 + r.Of/2) / r.Of
}

// Report summarises assessment for admins.
type Report struct {
	Stages          map[Stage]int
	ByCriterion     []Rate // criteria met out of judged, over released and ready outcomes
	ByPartner       []Rate // passes out of outcomes
	MarkerAgreement []Rate // criteria on which second marker agreed with first, per first marker
}

// Reports works out stage counts, pass rates and marker agreement.
func (st Store) Reports(ctx context.Context) (Report, error) {
	rep := Report{Stages: map[Stage]int{}}
	rows, err := st.DB.Query(ctx, `SELECT stage, count(*) FROM submissions GROUP BY stage`)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var s Stage
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return rep, err
		}
		rep.Stages[s] = n
	}
	if err := rows.Err(); err != nil {
		return rep, err
	}
	collect := func(sql string) ([]Rate, error) {
		rows, err := st.DB.Query(ctx, sql)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Rate, error) {
			var x Rate
			return x, r.Scan(&x.Label, &x.Yes, &x.Of)
		})
	}
	if rep.ByCriterion, err = collect(`SELECT c.qualification_code || ' ' || split_part(j.criterion_key, '/', 2) ||
		CASE WHEN count(*) OVER (PARTITION BY c.qualification_code, split_part(j.criterion_key, '/', 2)) > 1 THEN ' (' || split_part(j.criterion_key, '/', 1) || ')' ELSE '' END,
		count(*) FILTER (WHERE j.judgement = 'met')::int, count(*)::int
		FROM agreed_judgements j JOIN submissions s ON s.id = j.submission_id JOIN enrolments e ON e.id = s.enrolment_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
		WHERE s.stage IN ('ready', 'released') GROUP BY c.qualification_code, j.criterion_key ORDER BY 1`); err != nil {
		return rep, err
	}
	if rep.ByPartner, err = collect(`SELECT p.name, count(*) FILTER (WHERE s.passed)::int, count(*)::int
		FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id JOIN cohorts h ON h.id = e.cohort_id
		JOIN delivery_partners p ON p.id = h.delivery_partner_id WHERE s.stage IN ('ready', 'released') GROUP BY p.name ORDER BY p.name`); err != nil {
		return rep, err
	}
	if rep.MarkerAgreement, err = collect(`SELECT u.name, count(*) FILTER (WHERE f.judgement = s2.judgement)::int, count(*)::int
		FROM marks f JOIN marks s2 ON s2.submission_id = f.submission_id AND s2.criterion_key = f.criterion_key AND s2.role = 'second'
		JOIN mark_sheets fs ON fs.submission_id = f.submission_id AND fs.role = 'first'
		JOIN mark_sheets ss ON ss.submission_id = f.submission_id AND ss.role = 'second' AND ss.completed_at IS NOT NULL
		JOIN users u ON u.id = fs.marker_id
		WHERE f.role = 'first' GROUP BY u.name ORDER BY u.name`); err != nil {
		return rep, err
	}
	return rep, nil
}

// EnrolmentFor returns the participant's enrolment whose assessment a page is about: the one
// chosen (an enrolment id, which must be theirs) or, when chosen is 0, the one that matters
// now: one with an unreleased submission, then an active one whose window has opened, then
// the newest.
func (st Store) EnrolmentFor(ctx context.Context, userID, chosen int64, today time.Time) (int64, error) {
	var id int64
	err := st.DB.QueryRow(ctx, `SELECT e.id FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.user_id = $1 AND ($3 = 0 OR e.id = $3)
		ORDER BY EXISTS (SELECT 1 FROM submissions s WHERE s.enrolment_id = e.id AND s.stage <> 'released') DESC,
		         (e.status = 'active' AND h.assessment_opens_on <= $2) DESC, (e.status = 'active') DESC, h.assessment_opens_on DESC, e.id DESC
		LIMIT 1`, userID, today, chosen).Scan(&id)
	if database.IsNoRows(err) {
		return 0, database.ErrNotFound
	}
	return id, err
}

// Window is an enrolment's assessment window and attempts.
type Window struct {
	EnrolmentID   int64
	Qualification string
	CourseName    string
	Status        programme.Status
	Opens         time.Time
	Deadline      time.Time
	Extended      bool
	Attempts      int
}

// Open reports whether submissions are accepted on the day of now.
func (w Window) Open(today time.Time) bool { return !today.Before(w.Opens) && !today.After(w.Deadline) }

// WindowFor returns an enrolment's assessment window.
func (st Store) WindowFor(ctx context.Context, enrolmentID int64) (Window, error) {
	w := Window{EnrolmentID: enrolmentID}
	err := scanWindow(st.DB.QueryRow(ctx, windowSQL, enrolmentID), &w)
	if database.IsNoRows(err) {
		return w, database.ErrNotFound
	}
	return w, err
}

const windowSQL = `SELECT c.qualification_code, c.name, e.status, h.assessment_opens_on,
		coalesce((SELECT x.deadline FROM assessment_extensions x WHERE x.enrolment_id = e.id ORDER BY x.id DESC LIMIT 1), h.assessment_closes_on),
		EXISTS (SELECT 1 FROM assessment_extensions x WHERE x.enrolment_id = e.id), c.assessment_attempts
		FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id WHERE e.id = $1`

func scanWindow(row pgx.Row, w *Window) error {
	return row.Scan(&w.Qualification, &w.CourseName, &w.Status, &w.Opens, &w.Deadline, &w.Extended, &w.Attempts)
}

// Settings are a course's assessment rules that the provider sets.
type Settings struct {
	CourseID      int64
	CourseName    string
	Attempts      int  // attempts allowed, 1 to 5
	SamplePercent int  // share of passes second-marked, 0 to 100
	NoOwnPartner  bool // never allocate a marker who works for the participant's partner
}

// SettingsFor returns a course's assessment settings.
func (st Store) SettingsFor(ctx context.Context, courseID int64) (Settings, error) {
	s := Settings{CourseID: courseID}
	err := st.DB.QueryRow(ctx, `SELECT name, assessment_attempts, sample_percent, no_own_partner_markers FROM courses WHERE id = $1`, courseID).
		Scan(&s.CourseName, &s.Attempts, &s.SamplePercent, &s.NoOwnPartner)
	if database.IsNoRows(err) {
		return s, database.ErrNotFound
	}
	return s, err
}

// SaveSettings changes a course's assessment settings; the database keeps them in range.
func (st Store) SaveSettings(ctx context.Context, s Settings, actorID int64) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE courses SET assessment_attempts = $2, sample_percent = $3, no_own_partner_markers = $4 WHERE id = $1`,
			s.CourseID, s.Attempts, s.SamplePercent, s.NoOwnPartner)
		if err == nil && tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "assessment.settings", fmt.Sprintf("course:%d", s.CourseID),
			map[string]any{"attempts": s.Attempts, "sample_percent": s.SamplePercent, "no_own_partner_markers": s.NoOwnPartner})
	})
	return wrap("save settings", err)
}

// SetAffiliations records the delivery partners an assessor works for.
func (st Store) SetAffiliations(ctx context.Context, userID int64, partnerIDs []int64, actorID int64) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'assessor')`, userID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return database.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `DELETE FROM marker_affiliations WHERE user_id = $1`, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO marker_affiliations (user_id, delivery_partner_id) SELECT $1, unnest($2::bigint[])`, userID, partnerIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "assessment.affiliations", fmt.Sprintf("user:%d", userID), map[string]any{"partners": partnerIDs})
	})
	return wrap("set affiliations", err)
}

// Due is an assessment a participant should be working on now.
type Due struct {
	CourseName string
	Deadline   time.Time
	Started    bool
}

// DueFor returns the assessment whose window is open today and that the participant has not
// yet submitted, or nil. It is one query, for the home page.
func (st Store) DueFor(ctx context.Context, userID int64, today time.Time) (*Due, error) {
	var d Due
	err := st.DB.QueryRow(ctx, `SELECT c.name, w.deadline, EXISTS (SELECT 1 FROM submissions s WHERE s.enrolment_id = e.id AND s.stage = 'draft')
		FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
		CROSS JOIN LATERAL (SELECT coalesce((SELECT x.deadline FROM assessment_extensions x WHERE x.enrolment_id = e.id ORDER BY x.id DESC LIMIT 1), h.assessment_closes_on) AS deadline) w
		WHERE e.user_id = $1 AND e.status = 'active' AND h.assessment_opens_on <= $2 AND w.deadline >= $2
		  AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.enrolment_id = e.id AND s.stage NOT IN ('draft', 'released'))
		  AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.enrolment_id = e.id AND s.stage = 'released'
		                  AND (s.passed OR s.attempt >= c.assessment_attempts))
		ORDER BY w.deadline LIMIT 1`, userID, today).Scan(&d.CourseName, &d.Deadline, &d.Started)
	if database.IsNoRows(err) {
		return nil, nil
	}
	return &d, err
}
