package assessment

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/wording"
)

// Marker roles on a submission.
const (
	RoleFirst     = "first"
	RoleSecond    = "second"
	RoleModerator = "moderator"
)

// Mark is one criterion's judgement and comment on a sheet.
type Mark struct {
	Judgement Judgement
	Comment   string
}

// Sheet is one marker's marks on a submission.
type Sheet struct {
	SubmissionID int64
	Role         string
	MarkerID     int64
	Feedback     string
	Version      int
	CompletedAt  *time.Time
	Marks        map[string]Mark // by criterion key
}

// Judgements are the sheet's judgements by criterion key.
func (sh Sheet) Judgements() map[string]Judgement {
	out := map[string]Judgement{}
	for k, m := range sh.Marks {
		if ValidJudgement(m.Judgement) {
			out[k] = m.Judgement
		}
	}
	return out
}

// Agreed is a judgement the outcome is computed from.
type Agreed struct {
	Judgement Judgement
	Source    string
}

// stageFor is the stage a marker role works in.
// StageForRole is the stage in which a marker role works.
func StageForRole(role string) Stage {
	if role == RoleFirst {
		return StageInMarking
	}
	return StageModeration
}

// Allocate gives a submission to a marker in a role. A marker never marks a participant of a
// delivery partner they work for when the course sets that rule, and the second marker and
// moderator are different people from the first marker.
func (st Store) Allocate(ctx context.Context, submissionID int64, role string, markerID, actorID int64) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		return allocate(ctx, tx, submissionID, role, markerID, actorID)
	})
	return wrap("allocate", err)
}

func allocate(ctx context.Context, tx pgx.Tx, submissionID int64, role string, markerID, actorID int64) error {
	if role != RoleFirst && role != RoleSecond && role != RoleModerator {
		return problem.New("Choose first marker, second marker or moderator")
	}
	var stage Stage
	var partnerID int64
	var noOwn bool
	err := tx.QueryRow(ctx, `SELECT s.stage, h.delivery_partner_id, c.no_own_partner_markers FROM submissions s
		JOIN enrolments e ON e.id = s.enrolment_id JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
		WHERE s.id = $1 FOR UPDATE OF s`, submissionID).Scan(&stage, &partnerID, &noOwn)
	if database.IsNoRows(err) {
		return database.ErrNotFound
	}
	if err != nil {
		return err
	}
	switch {
	case role == RoleFirst && stage != StageSubmitted && stage != StageInMarking:
		return problem.New("A first marker can be allocated only before first marking is complete")
	case role != RoleFirst && stage != StageModeration:
		return problem.New("Second markers and moderators are allocated only to sampled submissions in moderation")
	}
	// Assessors mark; a lead-provider admin may also moderate.
	var isAssessor, ownPartner, alreadyMarking bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND (role = 'assessor' OR (role = 'provider_admin' AND $4 = 'moderator'))),
		EXISTS (SELECT 1 FROM marker_affiliations WHERE user_id = $1 AND delivery_partner_id = $2),
		EXISTS (SELECT 1 FROM allocations WHERE submission_id = $3 AND marker_id = $1 AND role <> $4)`,
		markerID, partnerID, submissionID, role).Scan(&isAssessor, &ownPartner, &alreadyMarking); err != nil {
		return err
	}
	switch {
	case !isAssessor:
		return problem.New("Choose an assessor (an admin can only moderate)")
	case noOwn && ownPartner:
		return problem.New("This assessor works for the participant's delivery partner, so cannot mark this submission")
	case alreadyMarking:
		return problem.New("This assessor already marks this submission in another role: choose someone else")
	}
	var completed bool
	err = tx.QueryRow(ctx, `SELECT completed_at IS NOT NULL FROM mark_sheets WHERE submission_id = $1 AND role = $2`, submissionID, role).Scan(&completed)
	if err != nil && !database.IsNoRows(err) {
		return err
	}
	if completed {
		return problem.New("This marking is complete, so it cannot be reallocated")
	}
	if _, err := tx.Exec(ctx, `INSERT INTO allocations (submission_id, role, marker_id, allocated_by) VALUES ($1, $2, $3, $4)
		ON CONFLICT (submission_id, role) DO UPDATE SET marker_id = EXCLUDED.marker_id, allocated_by = EXCLUDED.allocated_by, allocated_at = now()`,
		submissionID, role, markerID, database.NullID(actorID)); err != nil {
		return err
	}
	// The sheet follows the allocation; marks already drafted by a previous marker are kept
	// with it so the new marker can see where marking stands.
	if _, err := tx.Exec(ctx, `INSERT INTO mark_sheets (submission_id, role, marker_id) VALUES ($1, $2, $3)
		ON CONFLICT (submission_id, role) DO UPDATE SET marker_id = EXCLUDED.marker_id, version = mark_sheets.version + 1`, submissionID, role, markerID); err != nil {
		return err
	}
	if stage == StageSubmitted {
		if _, err := tx.Exec(ctx, `UPDATE submissions SET stage = 'in_marking' WHERE id = $1`, submissionID); err != nil {
			return err
		}
	}
	return audit.Record(ctx, tx, actorID, "assessment.allocated", fmt.Sprintf("submission:%d", submissionID), map[string]any{"role": role, "marker": markerID})
}

// AutoAllocate gives every submission waiting for a marker to the eligible assessor with the
// fewest unfinished sheets, and returns how many it allocated and how many it could not.
func (st Store) AutoAllocate(ctx context.Context, actorID int64) (done, left int, err error) {
	err = database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		done, left = 0, 0
		rows, err := tx.Query(ctx, `SELECT s.id, r.role FROM submissions s
			CROSS JOIN LATERAL (SELECT 'first' AS role WHERE s.stage = 'submitted'
			                    UNION ALL SELECT 'second' WHERE s.stage = 'moderation') r
			WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.submission_id = s.id AND a.role = r.role)
			ORDER BY s.submitted_at, s.id`)
		if err != nil {
			return err
		}
		type need struct {
			id   int64
			role string
		}
		needs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (need, error) {
			var n need
			return n, r.Scan(&n.id, &n.role)
		})
		if err != nil {
			return err
		}
		for _, n := range needs {
			var marker int64
			err := tx.QueryRow(ctx, `SELECT u.id FROM users u, submissions s JOIN enrolments e ON e.id = s.enrolment_id
				JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
				WHERE s.id = $1 AND u.role = 'assessor'
				  AND NOT (c.no_own_partner_markers AND EXISTS (SELECT 1 FROM marker_affiliations m WHERE m.user_id = u.id AND m.delivery_partner_id = h.delivery_partner_id))
				  AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.submission_id = s.id AND a.marker_id = u.id)
				ORDER BY (SELECT count(*) FROM mark_sheets ms WHERE ms.marker_id = u.id AND ms.completed_at IS NULL), u.id
				LIMIT 1`, n.id).Scan(&marker)
			if database.IsNoRows(err) {
				left++
				continue
			}
			if err != nil {
				return err
			}
			if err := allocate(ctx, tx, n.id, n.role, marker, actorID); err != nil {
				return err
			}
			done++
		}
		return nil
	})
	return done, left, wrap("auto-allocate", err)
}

// Sheet returns one marker role's sheet on a submission, or database.ErrNotFound.
func (st Store) Sheet(ctx context.Context, submissionID int64, role string) (Sheet, error) {
	sheets, err := st.Sheets(ctx, submissionID)
	if err != nil {
		return Sheet{}, err
	}
	sh, ok := sheets[role]
	if !ok {
		return Sheet{}, database.ErrNotFound
	}
	return sh, nil
}

// Sheets returns every sheet on a submission by role; all marks and comments are kept.
func (st Store) Sheets(ctx context.Context, submissionID int64) (map[string]Sheet, error) {
	return sheets(ctx, st.DB, submissionID)
}

func sheets(ctx context.Context, db database.DB, submissionID int64) (map[string]Sheet, error) {
	rows, err := db.Query(ctx, sheetsSQL, submissionID)
	return readSheets(rows, err, submissionID)
}

const sheetsSQL = `SELECT ms.role, ms.marker_id, ms.feedback, ms.version, ms.completed_at, m.criterion_key, m.judgement, m.comment
		FROM mark_sheets ms LEFT JOIN marks m ON m.submission_id = ms.submission_id AND m.role = ms.role WHERE ms.submission_id = $1`

func readSheets(rows pgx.Rows, err error, submissionID int64) (map[string]Sheet, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Sheet{}
	for rows.Next() {
		var sh Sheet
		var key, judgement, comment *string
		if err := rows.Scan(&sh.Role, &sh.MarkerID, &sh.Feedback, &sh.Version, &sh.CompletedAt, &key, &judgement, &comment); err != nil {
			return nil, err
		}
		if prev, ok := out[sh.Role]; ok {
			sh = prev
		} else {
			sh.SubmissionID, sh.Marks = submissionID, map[string]Mark{}
		}
		if key != nil {
			m := Mark{Comment: *comment}
			if judgement != nil {
				m.Judgement = Judgement(*judgement)
			}
			sh.Marks[*key] = m
		}
		out[sh.Role] = sh
	}
	return out, rows.Err()
}

// AgreedJudgements returns the judgements a submission's outcome was computed from.
func (st Store) AgreedJudgements(ctx context.Context, submissionID int64) (map[string]Agreed, error) {
	rows, err := st.DB.Query(ctx, agreedJudgementsSQL, submissionID)
	return readAgreed(rows, err)
}

func readAgreed(rows pgx.Rows, err error) (map[string]Agreed, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Agreed{}
	for rows.Next() {
		var k string
		var a Agreed
		if err := rows.Scan(&k, &a.Judgement, &a.Source); err != nil {
			return nil, err
		}
		out[k] = a
	}
	return out, rows.Err()
}

// ErrStale means someone saved the sheet after the page was loaded.
var ErrStale = problem.New("These marks were changed by someone else after you opened the page. Your changes were not saved: reload the page to see the latest marks.")

// SheetInput is what a marker sends: marks by criterion key, overall feedback, the version
// of the sheet they loaded, and whether they are finishing.
type SheetInput struct {
	Marks    map[string]Mark
	Feedback string
	Version  int
	Complete bool
}

// CriteriaFor lists the criterion keys a role judges: first and second markers judge every
// criterion; a moderator judges those the markers disagree on, once both have finished.
func CriteriaFor(spec Spec, role string, all map[string]Sheet) []string {
	var keys []string
	if role == RoleModerator {
		if all[RoleFirst].CompletedAt == nil || all[RoleSecond].CompletedAt == nil {
			return nil
		}
		return Disagreements(all[RoleFirst].Judgements(), all[RoleSecond].Judgements())
	}
	for _, c := range spec.Criteria {
		keys = append(keys, c.Key())
	}
	return keys
}

// SaveSheet saves a marker's sheet. Completing it moves the submission on: first marking to
// moderation (if sampled) or ready; second marking to ready (if the markers agree) or to the
// moderator; moderation to ready. The outcome is computed from the agreed judgements.
func (st Store) SaveSheet(ctx context.Context, submissionID int64, role string, markerID int64, in SheetInput, now time.Time) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		s, err := scanSubmission(tx.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionFrom+` WHERE s.id = $1 FOR UPDATE OF s`, submissionID))
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := st.load(ctx, tx, &s); err != nil {
			return err
		}
		if a, ok := s.Allocations[role]; !ok || a.MarkerID != markerID {
			return database.ErrNotFound
		}
		if s.Stage != StageForRole(role) {
			return problem.New("This submission is no longer at this stage of marking, so these marks cannot change")
		}
		spec, err := SpecFor(ctx, tx, st.Provider, s.Qualification)
		if err != nil {
			return err
		}
		all, err := sheets(ctx, tx, submissionID)
		if err != nil {
			return err
		}
		keys := CriteriaFor(spec, role, all)
		if role == RoleModerator && len(keys) == 0 {
			return problem.New("There is nothing to moderate until the second marker has finished and disagrees with the first")
		}
		tag, err := tx.Exec(ctx, `UPDATE mark_sheets SET feedback = $4, version = version + 1, updated_at = now()
			WHERE submission_id = $1 AND role = $2 AND version = $3 AND completed_at IS NULL`, submissionID, role, in.Version, in.Feedback)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrStale
		}
		for _, k := range keys {
			m := in.Marks[k]
			var j *string
			if ValidJudgement(m.Judgement) {
				v := string(m.Judgement)
				j = &v
			}
			if _, err := tx.Exec(ctx, `INSERT INTO marks (submission_id, role, criterion_key, judgement, comment) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (submission_id, role, criterion_key) DO UPDATE SET judgement = EXCLUDED.judgement, comment = EXCLUDED.comment`,
				submissionID, role, k, j, m.Comment); err != nil {
				return err
			}
		}
		if !in.Complete {
			return nil
		}
		if missing := MissingJudgements(keys, in.Marks); len(missing) > 0 {
			return problem.Newf("Record a judgement for every criterion before completing: %d still to do. Your marks were saved as a draft.", len(missing))
		}
		if _, err := tx.Exec(ctx, `UPDATE mark_sheets SET completed_at = $3 WHERE submission_id = $1 AND role = $2`, submissionID, role, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, markerID, "assessment.marked", fmt.Sprintf("submission:%d", submissionID), map[string]any{"role": role}); err != nil {
			return err
		}
		all, err = sheets(ctx, tx, submissionID)
		if err != nil {
			return err
		}
		return advance(ctx, tx, s, spec, all)
	})
	return wrap("save marks", err)
}

// advance moves a submission on after a sheet is completed.
func advance(ctx context.Context, tx pgx.Tx, s Submission, spec Spec, all map[string]Sheet) error {
	first, second, moderator := all[RoleFirst], all[RoleSecond], all[RoleModerator]
	agreed := map[string]Agreed{}
	switch {
	case moderator.CompletedAt != nil:
		for k, j := range first.Judgements() {
			agreed[k] = Agreed{Judgement: j, Source: "agreed"}
		}
		for k, j := range moderator.Judgements() {
			agreed[k] = Agreed{Judgement: j, Source: "moderated"}
		}
	case second.CompletedAt != nil:
		if len(Disagreements(first.Judgements(), second.Judgements())) > 0 {
			return nil // the moderator records the agreed judgements
		}
		for k, j := range first.Judgements() {
			agreed[k] = Agreed{Judgement: j, Source: "agreed"}
		}
	default:
		judgements := first.Judgements()
		r, err := Outcome(spec, s.Draft(), judgements)
		if err != nil {
			return err
		}
		if Sampled(r, s.ID, s.SamplePercent) {
			_, err := tx.Exec(ctx, `UPDATE submissions SET stage = 'moderation', sampled = true WHERE id = $1`, s.ID)
			return err
		}
		for k, j := range judgements {
			agreed[k] = Agreed{Judgement: j, Source: "first"}
		}
	}
	judgements := map[string]Judgement{}
	for k, a := range agreed {
		judgements[k] = a.Judgement
		if _, err := tx.Exec(ctx, `INSERT INTO agreed_judgements (submission_id, criterion_key, judgement, source) VALUES ($1, $2, $3, $4)
			ON CONFLICT (submission_id, criterion_key) DO UPDATE SET judgement = EXCLUDED.judgement, source = EXCLUDED.source`,
			s.ID, k, a.Judgement, a.Source); err != nil {
			return err
		}
	}
	r, err := Outcome(spec, s.Draft(), judgements)
	if err != nil {
		return err
	}
	reasons := r.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	_, err = tx.Exec(ctx, `UPDATE submissions SET stage = 'ready', passed = $2, reasons = $3 WHERE id = $1`, s.ID, r.Passed, reasons)
	return err
}

// Release releases ready outcomes in a batch: participants see their outcome and feedback, a
// pass completes the enrolment, and the DfE outcome is recorded. It returns how many it released.
func (st Store) Release(ctx context.Context, ids []int64, actorID int64, now time.Time) (int, error) {
	// Submissions (and through them enrolments) are locked lowest id first, whatever order the
	// boxes were ticked in, so two admins releasing overlapping batches wait for each other
	// instead of deadlocking; the second then finds them released.
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	n := 0
	err := database.InTxRetry(ctx, st.DB, func(tx pgx.Tx) error {
		n = 0
		if _, err := tx.Exec(ctx, `SELECT 1 FROM submissions WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids); err != nil {
			return err
		}
		for _, id := range ids {
			s, err := scanSubmission(tx.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionFrom+` WHERE s.id = $1 FOR UPDATE OF s`, id))
			if database.IsNoRows(err) {
				return database.ErrNotFound
			}
			if err != nil {
				return err
			}
			if !CanMove(s.Stage, StageReleased) || s.Passed == nil {
				return problem.Newf("Candidate %s is not ready for release. Nothing was released.", s.CandidateNumber)
			}
			outcome := "failed"
			if *s.Passed {
				outcome = "passed"
			}
			if _, err := tx.Exec(ctx, `UPDATE submissions SET stage = 'released', released_at = $2, released_by = $3, dfe_outcome = $4 WHERE id = $1`,
				id, now, database.NullID(actorID), outcome); err != nil {
				return err
			}
			if *s.Passed {
				if err := programme.RecordStatus(ctx, tx, s.EnrolmentID, programme.StatusCompleted, now, "Passed the assessment", actorID); err != nil {
					return err
				}
			}
			var email string
			if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = $1`, s.UserID).Scan(&email); err != nil {
				return err
			}
			text, err := wording.AssessmentReleasedEmail(wording.Submission{Name: s.ParticipantName, CourseName: s.CourseName, BaseURL: st.BaseURL, EnrolmentID: s.EnrolmentID})
			if err != nil {
				return err
			}
			if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: email, ToName: s.ParticipantName, Subject: text.Subject, Body: text.Body}); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, actorID, "assessment.released", fmt.Sprintf("submission:%d", id), map[string]any{"outcome": outcome}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, wrap("release", err)
}
