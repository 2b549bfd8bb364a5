package assessment

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
)

// Waiting is the stage filter's default: every submission handed in and not yet released.
const Waiting Stage = ""

// AnyStage is the stage filter that lists every submission, drafts and released ones too.
const AnyStage Stage = "all"

// SubmissionFilter narrows the admins' list of submissions; its zero value lists the ones
// handed in and not yet released.
type SubmissionFilter struct {
	Query     string // in the candidate number, or the participant's name or email
	CourseID  int64
	CohortID  int64
	PartnerID int64
	Stage     Stage
	OlderThan int // days since it was handed in (or started, for a draft); 0 for any
}

// ListedKey is a submission's position in the admins' list: when it was handed in (or
// started), and its id.
func ListedKey(l Listed) listing.Cursor { return listing.TimeKey(l.Since, l.ID) }

// addStage adds the condition of a stage filter.
func addStage(w *database.Conds, st Stage) {
	switch st {
	case Waiting:
		w.Where("s.stage NOT IN ('draft', 'released')")
	case AnyStage:
	default:
		w.Where("s.stage = " + database.Literal(string(st)))
	}
}

// SubmissionsPage lists a page of submissions for admins that pass f at now, the longest
// waiting first, in the query's order for listing.Cut.
func (st Store) SubmissionsPage(ctx context.Context, f SubmissionFilter, now time.Time, req listing.Request) ([]Listed, error) {
	at, id, err := req.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(true, req)
	var w database.Conds
	addStage(&w, f.Stage)
	if f.Query != "" {
		w.Search("(s.candidate_number ILIKE $? OR u.name ILIKE $? OR u.email ILIKE $?)", database.Contains(f.Query))
	}
	for _, c := range []struct {
		cond string
		id   int64
	}{{"h.course_id = $?", f.CourseID}, {"h.id = $?", f.CohortID}, {"h.delivery_partner_id = $?", f.PartnerID}} {
		if c.id != 0 {
			w.Add(c.cond, c.id)
		}
	}
	if f.OlderThan != 0 {
		w.Add("coalesce(s.submitted_at, s.created_at) < $?::timestamptz", now.AddDate(0, 0, -f.OlderThan))
	}
	if id != 0 {
		w.Where("(coalesce(s.submitted_at, s.created_at), s.id) " + cmp + " (" + w.Arg(at) + ", " + w.Arg(id) + ")")
	}
	rows, err := st.DB.Query(ctx, `SELECT s.id, s.enrolment_id, s.candidate_number, u.name, c.name, p.name, s.attempt, s.stage, s.submitted_at,
		coalesce((SELECT x.deadline FROM assessment_extensions x WHERE x.enrolment_id = e.id ORDER BY x.id DESC LIMIT 1), h.assessment_closes_on),
		s.sampled, s.passed,
		coalesce((SELECT jsonb_object_agg(a.role, m.name) FROM allocations a JOIN users m ON m.id = a.marker_id WHERE a.submission_id = s.id), '{}'),
		c.qualification_code, h.name, coalesce(s.submitted_at, s.created_at)
		`+submissionFrom+` WHERE `+w.SQL()+`
		ORDER BY coalesce(s.submitted_at, s.created_at) `+dir+`, s.id `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("assessment: submissions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
		var l Listed
		return l, r.Scan(&l.ID, &l.EnrolmentID, &l.CandidateNumber, &l.ParticipantName, &l.CourseName, &l.PartnerName, &l.Attempt, &l.Stage,
			&l.SubmittedAt, &l.Deadline, &l.Sampled, &l.Passed, &l.Markers, &l.Qualification, &l.CohortName, &l.Since)
	})
}
