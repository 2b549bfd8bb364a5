package participant

import (
	"strings"
	"time"

	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/web/components"
)

// EnrolmentView is an enrolment as the participant sees it.
type EnrolmentView struct {
	ID          int64
	CourseName  string
	CohortName  string
	PartnerName string
	// The delivery partner's contact, for participants who need to ask them something.
	ContactName, ContactEmail string
	Status                    programme.Status
	StartsOn                  time.Time
	StudyEndsOn               time.Time
}

// ContinueLink points at where the participant left off.
type ContinueLink struct {
	Href       string
	BlockTitle string
	ItemTitle  string
}

// Label is the Continue button's text. Titles often have a colon of their own
// ("Self-study: in practice"), so the label joins with words, never a second colon.
func (c ContinueLink) Label() string {
	if c.ItemTitle == "" {
		return "Continue"
	}
	return "Continue with " + c.ItemTitle
}

// BlockView is a block with the participant's progress through it.
type BlockView struct {
	ID       int64
	Position int
	Title    string
	OpensOn  time.Time
	Open     bool
	Current  bool
	Progress programme.Progress
	Items    []ItemView
}

// ItemView is an item with its state for the participant.
type ItemView struct {
	ID              int64
	Href            string
	Title           string
	Kind            programme.ItemKind
	Required        bool
	ExpectedMinutes int
	Completed       bool
	Next            bool                // where "continue" goes
	Session         events.SessionState // for sessions: whether a date can be booked
	CatchUp         *CatchUpView        // for a session missed or passed: what the partner offers instead
}

// CatchUpView is a recording or task a participant can use for a session date they missed.
type CatchUpView struct {
	EventID      int64
	Date         time.Time
	RecordingURL string
	Task         string
}

// HomeView is what the participant's Home shows.
type HomeView struct {
	Name      string
	Courses   []CourseCard // one per enrolment, the primary one shown in full
	Questions []CourseCard // courses with a question awaiting the participant's answer
	Continue  *ContinueLink
	Current   *BlockView
	Overall   programme.Progress
	News      []NewsView
	Events    []HomeEvent
	ToBook    []string // required sessions with dates open that the participant has not booked
	Due       *DueAssessment
	Calendar  CalendarView
}

// CalendarView is where the participant is against the block calendar.
type CalendarView struct {
	Latest    *BlockView // the latest block to have opened
	Behind    int        // opened blocks before it with required activities left
	NextBlock *BlockView // the next block to open, or nil on the last block
	Stuck     []ItemView // required sessions in open blocks with no date left to book
}

// CourseCard is one of the participant's courses on Home: its status and next step.
type CourseCard struct {
	Enrolment EnrolmentView
	Standing  lifecycle.StandingView
	Primary   bool // shown with where to continue, the current block and events
}

// DueAssessment is an assessment the participant should be working on now.
type DueAssessment struct {
	EnrolmentID int64
	CourseName  string
	Deadline    time.Time
	Started     bool
}

// NewsView is one news post.
type NewsView struct {
	Title       string
	BodyHTML    string
	Audience    string
	PublishedAt time.Time
}

// HomeEvent is an upcoming event on the participant's calendar.
type HomeEvent struct {
	Title    string
	StartsAt time.Time
	Where    string
	Href     string
	Waiting  bool
}

// ProgressView is the Progress page.
type ProgressView struct {
	Enrolment EnrolmentView
	Switcher  CourseSwitcher
	Standing  lifecycle.StandingView
	Overall   programme.Progress
	Blocks    []BlockView
	Continue  *ContinueLink
}

// LearnView is the Learn page: every block and where the participant is in each.
type LearnView struct {
	Enrolment EnrolmentView
	Switcher  CourseSwitcher
	Standing  lifecycle.StandingView
	Blocks    []BlockView
	Continue  *ContinueLink
	Overview  []OverviewLine
}

// OverviewLine is one line of the course's hours overview.
type OverviewLine struct {
	Category string
	Minutes  int
}

// BlockPageView is one block's page.
type BlockPageView struct {
	Enrolment EnrolmentView
	Block     BlockView
}

// StatementView is a framework statement an item covers.
type StatementView struct {
	Href, Framework, Area, Label, Text string
}

// ItemPageView is one item's page.
type ItemPageView struct {
	Enrolment   EnrolmentView
	Block       BlockView
	Item        ItemView
	BodyHTML    string
	CompletedAt *time.Time
	Source      string
	Statements  []StatementView
	Previous    *ItemView
	NextItem    *ItemView
	CompleteURL string
	UndoURL     string // set when the participant may take back their own "Mark as done"
	Reflection  string // the reflection sent, when the catch-up form is shown again
	Errors      components.Errors
}

// UnavailableView explains why content is not shown.
type UnavailableView struct {
	Enrolment EnrolmentView
	Switcher  CourseSwitcher
	Standing  lifecycle.StandingView
}

// primary is the course Home shows in full, or nil.
func (v HomeView) primary() *CourseCard {
	for i := range v.Courses {
		if v.Courses[i].Primary {
			return &v.Courses[i]
		}
	}
	return nil
}

// CohortAndPartner is the cohort and delivery partner for a metadata line, naming the
// partner once: cohort names often end with the partner ("NPQEL Spring 2025 – Camden
// Learning") or a short form of it ("… – Barnsley and Doncaster").
func CohortAndPartner(cohort, partner string) string {
	c, p := strings.ToLower(cohort), strings.ToLower(strings.TrimSpace(partner))
	if p == "" {
		return cohort
	}
	for _, sep := range []string{" – ", " — ", " - "} {
		if i := strings.LastIndex(cohort, sep); i > 0 {
			if tail := strings.TrimSpace(c[i+len(sep):]); tail != "" && strings.HasPrefix(p, tail) {
				return strings.TrimSpace(cohort[:i]) + " · " + partner
			}
		}
	}
	if strings.Contains(c, p) {
		return cohort
	}
	return cohort + " · " + partner
}
