package wording

import "time"

// Submission is what a participant is told about their assessment submission.
type Submission struct {
	Name, CourseName string
	Attempt          int
	SubmittedAt      time.Time
	CandidateNumber  string
	BaseURL          string
	EnrolmentID      int64 // links name the course: /assessment?course=<enrolment id>
}

// AssessmentSubmittedEmail confirms that an assessment was submitted.
func AssessmentSubmittedEmail(d Submission) (Text, error) { return render("assessment-submitted", d) }

// AssessmentReleasedEmail tells a participant their result is ready.
func AssessmentReleasedEmail(d Submission) (Text, error) { return render("assessment-released", d) }
