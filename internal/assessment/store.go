package assessment

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/timefmt"
	"npq/internal/wording"
)

// Store keeps submissions, files, allocations, marks and outcomes.
type Store struct {
	DB       database.DB
	Provider map[string]Spec // provider-defined specifications by qualification
	BaseURL  string
	Specs    *SpecCache // nil: read the framework's specification each time
}

// Submission is one attempt at the assessment.
type Submission struct {
	ID, EnrolmentID   int64
	Attempt           int
	Stage             Stage
	CandidateNumber   string
	SubmittedAt       *time.Time
	Passed            *bool
	Reasons           []string
	Sampled           bool
	ReleasedAt        *time.Time
	Qualification     string
	CourseName        string
	CohortName        string
	PartnerID         int64
	PartnerName       string
	ParticipantName   string // never shown to markers
	UserID            int64
	Attempts          int
	SamplePercent     int
	NoOwnPartner      bool
	AssessmentOpensOn time.Time
	Deadline          time.Time
	Texts             map[string]string
	Files             []File
	Allocations       map[string]Allocation // by role
}

// File is an uploaded supporting document (without its data).
type File struct {
	ID          int64
	SlotKey     string
	Name        string // as the participant named it: never shown to markers
	MarkerName  string // the name markers see and download it under, from NameForMarkers
	ContentType string
	Size        int
	UploadedAt  time.Time
	// NamesParticipant is set when the participant's name was found in the file.
	NamesParticipant bool
}

// Document is the name of the supporting document a file was attached as.
func (f File) Document() string {
	if i := strings.LastIndex(f.SlotKey, "|"); i >= 0 {
		return f.SlotKey[i+1:]
	}
	return f.SlotKey
}

// Allocation is a marker assigned to a submission in a role.
type Allocation struct {
	Role       string
	MarkerID   int64
	MarkerName string
	Completed  bool
}

// Draft is the submission's text and documents as the rules read them.
func (s Submission) Draft() Draft {
	d := Draft{Text: s.Texts, Documents: map[string]int{}}
	for _, f := range s.Files {
		d.Documents[f.SlotKey]++
	}
	return d
}

const submissionColumns = `s.id, s.enrolment_id, s.attempt, s.stage, s.candidate_number, s.submitted_at, s.passed, s.reasons, s.sampled, s.released_at,
	c.qualification_code, c.name, h.name, h.delivery_partner_id, p.name, u.name, u.id, c.assessment_attempts, c.sample_percent, c.no_own_partner_markers,
	h.assessment_opens_on,
	coalesce((SELECT x.deadline FROM assessment_extensions x WHERE x.enrolment_id = e.id ORDER BY x.id DESC LIMIT 1), h.assessment_closes_on)`

const submissionFrom = `FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id JOIN users u ON u.id = e.user_id
	JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id JOIN delivery_partners p ON p.id = h.delivery_partner_id`

func scanSubmission(r pgx.Row) (Submission, error) {
	var s Submission
	err := r.Scan(&s.ID, &s.EnrolmentID, &s.Attempt, &s.Stage, &s.CandidateNumber, &s.SubmittedAt, &s.Passed, &s.Reasons, &s.Sampled, &s.ReleasedAt,
		&s.Qualification, &s.CourseName, &s.CohortName, &s.PartnerID, &s.PartnerName, &s.ParticipantName, &s.UserID, &s.Attempts, &s.SamplePercent,
		&s.NoOwnPartner, &s.AssessmentOpensOn, &s.Deadline)
	return s, err
}

// load fills a submission's texts, files and allocations.
func (st Store) load(ctx context.Context, db database.DB, s *Submission) error {
	rows, err := db.Query(ctx, submissionTextsSQL, s.ID)
	if err := readTexts(rows, err, s); err != nil {
		return err
	}
	rows, err = db.Query(ctx, submissionFilesSQL, s.ID)
	if err := readFiles(rows, err, s); err != nil {
		return err
	}
	rows, err = db.Query(ctx, submissionAllocationsSQL, s.ID)
	return readAllocations(rows, err, s)
}

const (
	submissionTextsSQL = `SELECT task_key, body FROM submission_texts WHERE submission_id = $1`
	submissionFilesSQL = `SELECT id, slot_key, file_name, content_type, size, uploaded_at, names_participant FROM submission_files
		WHERE submission_id = $1 AND removed_at IS NULL ORDER BY id`
	submissionAllocationsSQL = `SELECT a.role, a.marker_id, u.name, ms.completed_at IS NOT NULL FROM allocations a JOIN users u ON u.id = a.marker_id
		LEFT JOIN mark_sheets ms ON ms.submission_id = a.submission_id AND ms.role = a.role WHERE a.submission_id = $1`
)

func readTexts(rows pgx.Rows, err error, s *Submission) error {
	if err != nil {
		return err
	}
	s.Texts = map[string]string{}
	defer rows.Close()
	for rows.Next() {
		var k, b string
		if err := rows.Scan(&k, &b); err != nil {
			return err
		}
		s.Texts[k] = b
	}
	return rows.Err()
}

func readFiles(rows pgx.Rows, err error, s *Submission) error {
	if err != nil {
		return err
	}
	if s.Files, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (File, error) {
		var f File
		return f, r.Scan(&f.ID, &f.SlotKey, &f.Name, &f.ContentType, &f.Size, &f.UploadedAt, &f.NamesParticipant)
	}); err != nil {
		return err
	}
	NameForMarkers(s.CandidateNumber, s.Files)
	return nil
}

func readAllocations(rows pgx.Rows, err error, s *Submission) error {
	if err != nil {
		return err
	}
	s.Allocations = map[string]Allocation{}
	defer rows.Close()
	for rows.Next() {
		var a Allocation
		if err := rows.Scan(&a.Role, &a.MarkerID, &a.MarkerName, &a.Completed); err != nil {
			return err
		}
		s.Allocations[a.Role] = a
	}
	return rows.Err()
}

// SubmissionWithSheets returns a submission with its texts, files and allocations, and its
// mark sheets by role: what a marking page shows, in one round trip.
func (st Store) SubmissionWithSheets(ctx context.Context, id int64) (Submission, map[string]Sheet, error) {
	m, err := st.submissionBatch(ctx, "$1", id, true)
	return m.Submission, m.Sheets, err
}

// Marked is a submission with its mark sheets by role and the judgements its outcome was
// computed from.
type Marked struct {
	Submission Submission
	Sheets     map[string]Sheet
	Agreed     map[string]Agreed
}

// Ids of an enrolment's latest attempt (and latest submitted attempt), in place of a
// submission id in the queries of submissionBatch.
const (
	latestSubmissionID    = `(SELECT id FROM submissions WHERE enrolment_id = $1 ORDER BY attempt DESC LIMIT 1)`
	latestSubmittedID     = `(SELECT id FROM submissions WHERE enrolment_id = $1 AND stage <> 'draft' ORDER BY attempt DESC LIMIT 1)`
	agreedJudgementsSQL   = `SELECT criterion_key, judgement, source FROM agreed_judgements WHERE submission_id = $1`
	submissionByIDColumns = `SELECT ` + submissionColumns + ` ` + submissionFrom + ` WHERE s.id = $1`
)

// submissionBatch reads the submission whose id idSQL gives from arg (with "$1", arg is the
// id), with its texts, files and allocations and, when marks is set, its mark sheets and
// agreed judgements, in one round trip.
func (st Store) submissionBatch(ctx context.Context, idSQL string, arg int64, marks bool) (Marked, error) {
	b := &pgx.Batch{}
	queueSubmission(b, idSQL, arg, marks)
	res := st.DB.SendBatch(ctx, b)
	defer res.Close()
	m, err := readSubmission(res, marks)
	if err != nil {
		return m, err
	}
	return m, res.Close()
}

// queueSubmission queues the queries of submissionBatch on b.
func queueSubmission(b *pgx.Batch, idSQL string, arg int64, marks bool) {
	queries := []string{submissionByIDColumns, submissionTextsSQL, submissionFilesSQL, submissionAllocationsSQL}
	if marks {
		queries = append(queries, sheetsSQL, agreedJudgementsSQL)
	}
	for _, q := range queries {
		// Each query takes the submission id as its only parameter, $1.
		b.Queue(strings.ReplaceAll(q, "$1", idSQL), arg)
	}
}

// readSubmission reads the answers to what queueSubmission queued.
func readSubmission(res pgx.BatchResults, marks bool) (Marked, error) {
	var m Marked
	s, err := scanSubmission(res.QueryRow())
	if database.IsNoRows(err) {
		return m, database.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("assessment: submission: %w", err)
	}
	for _, read := range []func(pgx.Rows, error, *Submission) error{readTexts, readFiles, readAllocations} {
		rows, err := res.Query()
		if err := read(rows, err, &s); err != nil {
			return m, fmt.Errorf("assessment: submission %d: %w", s.ID, err)
		}
	}
	m.Submission = s
	if marks {
		rows, err := res.Query()
		if m.Sheets, err = readSheets(rows, err, s.ID); err != nil {
			return m, fmt.Errorf("assessment: sheets of %d: %w", s.ID, err)
		}
		rows, err = res.Query()
		if m.Agreed, err = readAgreed(rows, err); err != nil {
			return m, fmt.Errorf("assessment: agreed judgements of %d: %w", s.ID, err)
		}
	}
	return m, nil
}

// SubmissionByID returns a submission with its texts, files and allocations, in one round
// trip.
func (st Store) SubmissionByID(ctx context.Context, id int64) (Submission, error) {
	m, err := st.submissionBatch(ctx, "$1", id, false)
	return m.Submission, err
}

// Latest returns an enrolment's latest attempt with its texts, files and allocations, in one
// round trip, or database.ErrNotFound.
func (st Store) Latest(ctx context.Context, enrolmentID int64) (Submission, error) {
	m, err := st.submissionBatch(ctx, latestSubmissionID, enrolmentID, false)
	return m.Submission, err
}

// AttemptFor returns an enrolment's assessment window with its latest attempt, the attempt's
// mark sheets and agreed judgements, in one round trip: what the participant's assessment
// page shows. The attempt is nil when there is none; an unknown enrolment is
// database.ErrNotFound.
func (st Store) AttemptFor(ctx context.Context, enrolmentID int64) (Window, *Marked, error) {
	w := Window{EnrolmentID: enrolmentID}
	b := &pgx.Batch{}
	b.Queue(windowSQL, enrolmentID)
	queueSubmission(b, latestSubmissionID, enrolmentID, true)
	res := st.DB.SendBatch(ctx, b)
	defer res.Close()
	if err := scanWindow(res.QueryRow(), &w); database.IsNoRows(err) {
		return w, nil, database.ErrNotFound
	} else if err != nil {
		return w, nil, fmt.Errorf("assessment: window of %d: %w", enrolmentID, err)
	}
	m, err := readSubmission(res, true)
	if errors.Is(err, database.ErrNotFound) {
		return w, nil, res.Close()
	}
	if err != nil {
		return w, nil, err
	}
	return w, &m, res.Close()
}

// LatestSubmitted returns an enrolment's latest attempt that was submitted, with its texts,
// files and allocations, in one round trip, or database.ErrNotFound.
func (st Store) LatestSubmitted(ctx context.Context, enrolmentID int64) (Submission, error) {
	m, err := st.submissionBatch(ctx, latestSubmittedID, enrolmentID, false)
	return m.Submission, err
}

func candidateNumber() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(90000000))
	return fmt.Sprintf("C%08d", n.Int64()+10000000)
}

// StartAttempt makes the enrolment's first draft, or the next attempt after a released fail
// when attempts remain. It returns the draft's id.
func (st Store) StartAttempt(ctx context.Context, enrolmentID int64, now time.Time) (int64, error) {
	var id int64
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		var status programme.Status
		var allowed int
		if err := tx.QueryRow(ctx, `SELECT e.status::text, c.assessment_attempts FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id
			JOIN courses c ON c.id = h.course_id WHERE e.id = $1 FOR UPDATE OF e`, enrolmentID).Scan(&status, &allowed); err != nil {
			return fmt.Errorf("enrolment %d: %w", enrolmentID, err)
		}
		if status != programme.StatusActive {
			return problem.New("Only an active enrolment can make an assessment submission")
		}
		var last int
		var stage *string
		var passed *bool
		err := tx.QueryRow(ctx, `SELECT attempt, stage, passed FROM submissions WHERE enrolment_id = $1 ORDER BY attempt DESC LIMIT 1`, enrolmentID).Scan(&last, &stage, &passed)
		if err != nil && !database.IsNoRows(err) {
			return err
		}
		switch {
		case last == 0:
		case *stage != string(StageReleased):
			return tx.QueryRow(ctx, `SELECT id FROM submissions WHERE enrolment_id = $1 AND attempt = $2`, enrolmentID, last).Scan(&id)
		case passed != nil && *passed:
			return problem.New("You have passed: there is nothing more to submit")
		case last >= allowed:
			return problem.Newf("You have used all %d attempts", allowed)
		}
		if err := tx.QueryRow(ctx, `INSERT INTO submissions (enrolment_id, attempt, candidate_number) VALUES ($1, $2, $3) RETURNING id`,
			enrolmentID, last+1, candidateNumber()).Scan(&id); err != nil {
			return err
		}
		if last == 0 {
			return nil
		}
		// A resubmission starts from the previous text.
		_, err = tx.Exec(ctx, `INSERT INTO submission_texts (submission_id, task_key, body)
				SELECT $1, task_key, body FROM submission_texts WHERE submission_id = (SELECT id FROM submissions WHERE enrolment_id = $2 AND attempt = $3)`, id, enrolmentID, last)
		return err
	})
	return id, wrap("start attempt", err)
}

// wrap adds context to an error, keeping it (a problem.Problem, database.ErrNotFound) for
// errors.As and errors.Is.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("assessment: %s: %w", what, err)
}

// lockDraft locks a submission that must still be a draft.
func lockDraft(ctx context.Context, tx pgx.Tx, id int64) error {
	var stage Stage
	err := tx.QueryRow(ctx, `SELECT stage FROM submissions WHERE id = $1 FOR UPDATE`, id).Scan(&stage)
	if database.IsNoRows(err) {
		return database.ErrNotFound
	}
	if err != nil {
		return err
	}
	if stage != StageDraft {
		return problem.New("This submission has been submitted and can no longer change")
	}
	return nil
}

// SaveDraft saves the text of each task of a draft.
func (st Store) SaveDraft(ctx context.Context, id int64, texts map[string]string) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		if err := lockDraft(ctx, tx, id); err != nil {
			return err
		}
		for k, v := range texts {
			if _, err := tx.Exec(ctx, `INSERT INTO submission_texts (submission_id, task_key, body) VALUES ($1, $2, $3)
				ON CONFLICT (submission_id, task_key) DO UPDATE SET body = EXCLUDED.body, updated_at = now()`, id, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("save draft", err)
}

// AddFile stores a supporting document (already passed by CheckUpload) in a slot of a draft,
// under its cleaned name, with the people in an Office document's properties taken out and a
// flag when the participant's name is still in it. The submission row stays locked while the
// slot's count and the quota are checked, so uploads at the same moment cannot together pass
// either limit.
func (st Store) AddFile(ctx context.Context, id int64, slotKey, name, contentType string, data []byte) error {
	name = CleanFileName(name)
	var participant string
	err := st.DB.QueryRow(ctx, `SELECT u.name FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id JOIN users u ON u.id = e.user_id
		WHERE s.id = $1`, id).Scan(&participant)
	if database.IsNoRows(err) {
		err = database.ErrNotFound
	}
	if err != nil {
		return wrap("add file", err)
	}
	if data, err = StripProperties(contentType, data); err != nil {
		return wrap("add file", problem.New("The selected file could not be read: save it again and upload the new copy"))
	}
	named := MentionsName(contentType, data, participant)
	sum := sha256.Sum256(data)
	err = database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		if err := lockDraft(ctx, tx, id); err != nil {
			return err
		}
		var inSlot, used int
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE slot_key = $2), coalesce(sum(size), 0) FROM submission_files
			WHERE submission_id = $1 AND removed_at IS NULL`, id, slotKey).Scan(&inSlot, &used); err != nil {
			return err
		}
		if inSlot >= 5 {
			return problem.New("Each document can have up to 5 files: remove one first")
		}
		if p := QuotaProblem(used, len(data)); p != "" {
			return problem.New(p)
		}
		_, err := tx.Exec(ctx, `INSERT INTO submission_files (submission_id, slot_key, file_name, content_type, size, sha256, data, names_participant)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, slotKey, name, contentType, len(data), hex.EncodeToString(sum[:]), data, named)
		return err
	})
	return wrap("add file", err)
}

// RemoveFile takes a file out of a draft: its bytes are deleted and its row kept as the record
// of what was there.
func (st Store) RemoveFile(ctx context.Context, id, fileID int64) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		if err := lockDraft(ctx, tx, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE submission_files SET removed_at = now(), data = NULL WHERE id = $1 AND submission_id = $2 AND removed_at IS NULL`, fileID, id)
		if err == nil && tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return err
	})
	return wrap("remove file", err)
}

// FileData returns a file's bytes if it is within sc: the participant's own, a submission
// allocated to the marker, or any for an admin. The file carries its name for markers too.
func (st Store) FileData(ctx context.Context, fileID int64, sc scope.Scope) (File, []byte, error) {
	var f File
	var data []byte
	var candidate string
	var earlier []string // slots of the submission's files uploaded before this one
	err := st.DB.QueryRow(ctx, `SELECT f.id, f.slot_key, f.file_name, f.content_type, f.size, f.uploaded_at, f.names_participant, f.data, s.candidate_number,
		       (SELECT array_agg(g.slot_key ORDER BY g.id) FROM submission_files g WHERE g.submission_id = f.submission_id AND g.removed_at IS NULL AND g.id < f.id)
		FROM submission_files f JOIN submissions s ON s.id = f.submission_id JOIN enrolments e ON e.id = s.enrolment_id
		WHERE f.id = $1 AND f.removed_at IS NULL AND ($2 OR e.user_id = $3
		      OR EXISTS (SELECT 1 FROM allocations a WHERE a.submission_id = s.id AND a.marker_id = $4))`, fileID, sc.All(), sc.UserID(), sc.MarkerID()).
		Scan(&f.ID, &f.SlotKey, &f.Name, &f.ContentType, &f.Size, &f.UploadedAt, &f.NamesParticipant, &data, &candidate, &earlier)
	if database.IsNoRows(err) {
		return f, nil, database.ErrNotFound
	}
	if err != nil {
		return f, nil, fmt.Errorf("assessment: file %d: %w", fileID, err)
	}
	files := make([]File, 0, len(earlier)+1)
	for _, slot := range earlier {
		files = append(files, File{SlotKey: slot})
	}
	files = NameForMarkers(candidate, append(files, f))
	return files[len(files)-1], data, nil
}

// Submit makes a draft final: the hard rules must be met and the deadline not passed. It is
// timestamped and confirmed to the participant.
func (st Store) Submit(ctx context.Context, id int64, now time.Time) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		if err := lockDraft(ctx, tx, id); err != nil {
			return err
		}
		s, err := scanSubmission(tx.QueryRow(ctx, `SELECT `+submissionColumns+` `+submissionFrom+` WHERE s.id = $1`, id))
		if err != nil {
			return err
		}
		if err := st.load(ctx, tx, &s); err != nil {
			return err
		}
		today := programme.Today(now)
		if today.Before(s.AssessmentOpensOn) {
			return problem.New("The assessment window opens on " + timefmt.Date(s.AssessmentOpensOn))
		}
		if today.After(s.Deadline) {
			return problem.New("The deadline was " + timefmt.Date(s.Deadline) + ". Ask your lead provider about an extension.")
		}
		spec, err := SpecFor(ctx, tx, st.Provider, s.Qualification)
		if err != nil {
			return err
		}
		if f := Check(spec, s.Draft()); !CanSubmit(f) {
			return problem.New("Your submission does not meet the rules yet: see the check")
		}
		if _, err := tx.Exec(ctx, `UPDATE submissions SET stage = 'submitted', submitted_at = $2 WHERE id = $1`, id, now); err != nil {
			return err
		}
		var email string
		if err := tx.QueryRow(ctx, `SELECT email FROM users WHERE id = $1`, s.UserID).Scan(&email); err != nil {
			return err
		}
		text, err := wording.AssessmentSubmittedEmail(wording.Submission{Name: s.ParticipantName, CourseName: s.CourseName, Attempt: s.Attempt,
			SubmittedAt: now, CandidateNumber: s.CandidateNumber})
		if err != nil {
			return err
		}
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: email, ToName: s.ParticipantName, Subject: text.Subject, Body: text.Body}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.UserID, "assessment.submitted", fmt.Sprintf("submission:%d", id), nil)
	})
	return wrap("submit", err)
}

// Extend grants an enrolment an individual deadline, with a reason.
func (st Store) Extend(ctx context.Context, enrolmentID int64, deadline time.Time, reason string, actorID int64) error {
	err := database.InTx(ctx, st.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO assessment_extensions (enrolment_id, deadline, reason, granted_by) VALUES ($1, $2, $3, $4)`,
			enrolmentID, deadline, reason, database.NullID(actorID)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "assessment.extension", fmt.Sprintf("enrolment:%d", enrolmentID), map[string]any{"deadline": deadline.Format("2006-01-02"), "reason": reason})
	})
	return wrap("extend", err)
}
