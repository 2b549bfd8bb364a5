package lifecycle

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/programme"
)

// Standing is where a participant stands on one course, as Home, Learn, Events and Requests
// all say it.
type Standing string

// The standings a participant can be in.
const (
	StandingActive         Standing = "active"
	StandingRequestOpen    Standing = "request-open"
	StandingDeferred       Standing = "deferred"
	StandingReturnAsked    Standing = "return-asked"
	StandingReturning      Standing = "returning"
	StandingWithdrawn      Standing = "withdrawn"
	StandingInMarking      Standing = "in-marking"
	StandingAssessmentOpen Standing = "assessment-open"
	StandingCompleted      Standing = "completed"
	StandingFailedResubmit Standing = "failed-resubmit"
	StandingFailedFinal    Standing = "failed-final"
)

// CourseFacts are the facts about one enrolment that its standing depends on.
type CourseFacts struct {
	EnrolmentID int64
	Status      programme.Status
	StatusOn    time.Time // when the current status took effect
	// The enrolment's latest deferral or withdrawal request, if any.
	RequestID     int64
	RequestKind   Kind
	RequestState  State
	RequestStarts *time.Time
	ReturnOn      *time.Time
	ReturnCohort  string
	ReturnAskedAt *time.Time
	ReturnAnswer  *ReturnAnswer
	ReturnedAt    *time.Time
	// The latest letter sent about the enrolment.
	LetterID      int64
	LetterSubject string
	// The assessment.
	Released    bool // a result has been released
	Passed      bool // the latest released result is a pass
	ReleasedOn  *time.Time
	Attempt     int // the latest released attempt
	Attempts    int // attempts the course allows
	InMarking   bool
	Deadline    time.Time // the assessment deadline (with any extension)
	WindowOpens time.Time
	Drafting    bool // a draft is started
	PartnerName string
}

// AssessmentDue reports whether the participant should be working on the course's assessment
// today: active, the window open, nothing with the markers, and no pass or final fail.
func (f CourseFacts) AssessmentDue(today time.Time) bool {
	if f.Status != programme.StatusActive || today.Before(f.WindowOpens) || today.After(f.Deadline) || f.InMarking {
		return false
	}
	return !f.Released || (!f.Passed && f.Attempt < f.Attempts)
}

// Dated is a date that matters to a participant, with what it is.
type Dated struct {
	Label string
	On    time.Time
}

// Step is the one thing a participant should do, as a link.
type Step struct {
	Label string
	Path  string // a participant page; the page adds the course
}

// StandingView is what the participant's pages say about a course: a headline, the dates
// that matter, the letter, and the one action needed (if any).
type StandingView struct {
	Standing  Standing
	Headline  string
	Detail    string
	Dates     []Dated
	LetterID  int64
	Letter    string
	Step      *Step
	Question  bool  // something awaits the participant's answer: a banner on Home until answered
	RequestID int64 // the request a return question is about
	ReturnOn  *time.Time
}

// AboutAssessment reports whether the standing is the assessment's own news (open, being
// marked, a result), which the assessment page shows in full rather than in a panel.
func (v StandingView) AboutAssessment() bool {
	switch v.Standing {
	case StandingInMarking, StandingAssessmentOpen, StandingCompleted, StandingFailedResubmit, StandingFailedFinal:
		return true
	}
	return false
}

// StandingOf works out where a participant stands on a course from its facts on a day.
func StandingOf(f CourseFacts, today time.Time) StandingView {
	v := StandingView{LetterID: f.LetterID, Letter: f.LetterSubject}
	switch f.Status {
	case programme.StatusDeferred:
		deferredStanding(f, &v)
	case programme.StatusWithdrawn:
		v.Standing, v.Headline = StandingWithdrawn, "You have withdrawn from this course"
		v.Detail = "Its content is no longer available, and your records are kept. If you think this is wrong, contact your delivery partner, " + f.PartnerName + "."
		v.Dates = append(v.Dates, Dated{"Withdrawn from", f.StatusOn})
	case programme.StatusCompleted:
		v.Standing, v.Headline = StandingCompleted, "You have passed this course"
		v.Detail = "The Department for Education (DfE) records your outcome and issues your certificate. You do not need to do anything."
		if f.ReleasedOn != nil {
			v.Dates = append(v.Dates, Dated{"Result released", *f.ReleasedOn})
		}
		v.Step = &Step{"Read your result and feedback", "/assessment"}
	default:
		activeStanding(f, today, &v)
	}
	return v
}

func deferredStanding(f CourseFacts, v *StandingView) {
	v.Dates = append(v.Dates, Dated{"Deferred from", f.StatusOn})
	if f.ReturnOn != nil {
		v.Dates = append(v.Dates, Dated{"Planned return", *f.ReturnOn})
	}
	v.ReturnOn = f.ReturnOn
	switch {
	case f.ReturnAnswer != nil && *f.ReturnAnswer == Returning:
		v.Standing, v.Headline = StandingReturning, "You are returning to this course"
		v.Detail = "Thank you for confirming. Your course reopens on your return date"
		if f.ReturnCohort != "" {
			v.Detail += ", in " + f.ReturnCohort
		}
		v.Detail += ". Nothing else is needed from you."
	case f.ReturnAnswer != nil:
		v.Standing, v.Headline = StandingDeferred, "You told us you will not return"
		v.Detail = "The programme team will confirm your withdrawal in writing."
	case f.ReturnAskedAt != nil && f.ReturnOn != nil:
		v.Standing, v.Headline = StandingReturnAsked, "Please confirm you will return"
		v.Detail = "Tell us whether you will return on your planned date. If we do not hear from you, your place may be withdrawn."
		v.Question, v.RequestID = true, f.RequestID
		v.Step = &Step{"Answer on Requests", "/requests"}
	default:
		v.Standing, v.Headline = StandingDeferred, "Your place is deferred"
		v.Detail = "The course content is closed for now and your progress is kept. About a month before your return we will ask you to confirm it."
		if f.ReturnCohort != "" {
			v.Detail = "You will return in " + f.ReturnCohort + ". " + v.Detail
		}
	}
}

func activeStanding(f CourseFacts, today time.Time, v *StandingView) {
	switch {
	case f.Released && !f.Passed && f.Attempt < f.Attempts:
		v.Standing, v.Headline = StandingFailedResubmit, "Your assessment did not pass: you can resubmit"
		v.Detail = "Read the feedback on each criterion, then start your resubmission."
		if f.ReleasedOn != nil {
			v.Dates = append(v.Dates, Dated{"Result released", *f.ReleasedOn})
		}
		v.Dates = append(v.Dates, Dated{"Resubmit by", f.Deadline})
		v.Step, v.Question = &Step{"Read your feedback and resubmit", "/assessment"}, true
	case f.Released && !f.Passed:
		v.Standing, v.Headline = StandingFailedFinal, "Your assessment did not pass and no attempts are left"
		v.Detail = "The Department for Education (DfE) records the outcome. To talk about what you can do next, contact your delivery partner, " + f.PartnerName + "."
		if f.ReleasedOn != nil {
			v.Dates = append(v.Dates, Dated{"Result released", *f.ReleasedOn})
		}
		v.Step = &Step{"Read your result and feedback", "/assessment"}
	case f.InMarking:
		v.Standing, v.Headline = StandingInMarking, "Your assessment is being marked"
		v.Detail = "We will email you when your result is ready."
	case f.AssessmentDue(today):
		v.Standing, v.Headline = StandingAssessmentOpen, "Your assessment is open"
		v.Dates = append(v.Dates, Dated{"Submit by", f.Deadline})
		v.Step = &Step{"Start your assessment", "/assessment"}
		if f.Drafting {
			v.Step.Label = "Carry on with your assessment"
		}
	case f.RequestState == StateOpen:
		v.Standing, v.Headline = StandingRequestOpen, "Your request to "+verbFor(f.RequestKind)+" is with the programme team"
		v.Detail = "You can carry on with your course while it is decided. We will write to you with the decision."
		v.Step = &Step{"See your request", "/requests"}
	default:
		v.Standing, v.Headline = StandingActive, "You are studying this course"
	}
}

func verbFor(k Kind) string {
	if k == KindWithdrawal {
		return "withdraw"
	}
	return "defer"
}

// CourseFactsFor reads the facts behind the standing of each of a participant's enrolments,
// in one query.
func (s Store) CourseFactsFor(ctx context.Context, userID int64) (map[int64]CourseFacts, error) {
	rows, err := s.DB.Query(ctx, courseFactsSQL, userID)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: course facts for %d: %w", userID, err)
	}
	out, err := collectCourseFacts(rows)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: course facts for %d: %w", userID, err)
	}
	return out, nil
}

// EnrolmentsWithFacts reads a participant's enrolments (as programme.Store.EnrolmentsForUser
// orders them) and the facts behind the standing of each, in one round trip.
func (s Store) EnrolmentsWithFacts(ctx context.Context, userID int64) ([]programme.Enrolment, map[int64]CourseFacts, error) {
	var enrolments []programme.Enrolment
	var facts map[int64]CourseFacts
	b := &pgx.Batch{}
	programme.QueueEnrolmentsForUser(b, userID, &enrolments)
	b.Queue(courseFactsSQL, userID).Query(func(rows pgx.Rows) error {
		var err error
		facts, err = collectCourseFacts(rows)
		return err
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("lifecycle: enrolments with facts for %d: %w", userID, err)
	}
	return enrolments, facts, nil
}

const courseFactsSQL = `SELECT e.id, e.status,
		coalesce((SELECT hs.effective_on FROM enrolment_status_history hs WHERE hs.enrolment_id = e.id ORDER BY hs.id DESC LIMIT 1), e.starts_on),
		coalesce(r.id, 0), coalesce(r.kind, ''), coalesce(r.state, ''), r.starts_on, r.return_on, coalesce(rc.name, ''), r.return_asked_at, r.return_answer, r.returned_at,
		coalesce(l.id, 0), coalesce(l.subject, ''),
		s.released_at IS NOT NULL, coalesce(s.passed, false), s.released_at, coalesce(s.attempt, 0), c.assessment_attempts,
		EXISTS (SELECT 1 FROM submissions x WHERE x.enrolment_id = e.id AND x.stage NOT IN ('draft', 'released')),
		coalesce((SELECT x.deadline FROM assessment_extensions x WHERE x.enrolment_id = e.id ORDER BY x.id DESC LIMIT 1), h.assessment_closes_on),
		h.assessment_opens_on,
		EXISTS (SELECT 1 FROM submissions x WHERE x.enrolment_id = e.id AND x.stage = 'draft'),
		p.name
		FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
		JOIN delivery_partners p ON p.id = h.delivery_partner_id
		LEFT JOIN LATERAL (SELECT * FROM status_requests r WHERE r.enrolment_id = e.id AND r.state NOT IN ('cancelled', 'refused')
		                   ORDER BY r.id DESC LIMIT 1) r ON true
		LEFT JOIN cohorts rc ON rc.id = r.return_cohort_id
		LEFT JOIN LATERAL (SELECT l.id, l.subject FROM letters l WHERE l.enrolment_id = e.id ORDER BY l.created_at DESC, l.id DESC LIMIT 1) l ON true
		LEFT JOIN LATERAL (SELECT s.passed, s.released_at, s.attempt FROM submissions s WHERE s.enrolment_id = e.id AND s.stage = 'released'
		                   ORDER BY s.attempt DESC LIMIT 1) s ON true
		WHERE e.user_id = $1`

func collectCourseFacts(rows pgx.Rows) (map[int64]CourseFacts, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CourseFacts, error) {
		var f CourseFacts
		var kind, state string
		err := r.Scan(&f.EnrolmentID, &f.Status, &f.StatusOn, &f.RequestID, &kind, &state, &f.RequestStarts, &f.ReturnOn, &f.ReturnCohort,
			&f.ReturnAskedAt, &f.ReturnAnswer, &f.ReturnedAt, &f.LetterID, &f.LetterSubject, &f.Released, &f.Passed, &f.ReleasedOn,
			&f.Attempt, &f.Attempts, &f.InMarking, &f.Deadline, &f.WindowOpens, &f.Drafting, &f.PartnerName)
		f.RequestKind, f.RequestState = Kind(kind), State(state)
		return f, err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]CourseFacts, len(list))
	for _, f := range list {
		out[f.EnrolmentID] = f
	}
	return out, nil
}
