package lifecycle

import (
	"strings"
	"testing"
	"time"

	"npq/internal/programme"
)

func TestStandingOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 3, d, 0, 0, 0, 0, time.UTC) }
	ptr := func(t time.Time) *time.Time { return &t }
	yes, no := Returning, NotReturning
	deferred := CourseFacts{Status: programme.StatusDeferred, StatusOn: day(1), RequestID: 7, RequestKind: KindDeferral, RequestState: StateApproved,
		ReturnOn: ptr(day(20)), ReturnCohort: "NPQH spring", LetterID: 3, LetterSubject: "Your deferral"}
	asked, answered, refused := deferred, deferred, deferred
	asked.ReturnAskedAt = ptr(day(5))
	answered.ReturnAskedAt, answered.ReturnAnswer = ptr(day(5)), &yes
	refused.ReturnAskedAt, refused.ReturnAnswer = ptr(day(5)), &no
	active := CourseFacts{Status: programme.StatusActive, Attempts: 2, WindowOpens: day(25), Deadline: day(28), PartnerName: "Riverside Hub"}
	open, marking, failed, final, due, drafting := active, active, active, active, active, active
	due.WindowOpens = day(1)
	drafting.WindowOpens, drafting.Drafting = day(1), true
	open.RequestState, open.RequestKind = StateOpen, KindWithdrawal
	marking.InMarking = true
	failed.Released, failed.Attempt, failed.ReleasedOn = true, 1, ptr(day(10))
	final.Released, final.Attempt, final.ReleasedOn = true, 2, ptr(day(10))
	completed := CourseFacts{Status: programme.StatusCompleted, Released: true, Passed: true, ReleasedOn: ptr(day(10)), Attempt: 1, Attempts: 2}
	withdrawn := CourseFacts{Status: programme.StatusWithdrawn, StatusOn: day(2), LetterID: 4, LetterSubject: "Your withdrawal", PartnerName: "Riverside Hub"}
	tests := []struct {
		name     string
		f        CourseFacts
		want     Standing
		dates    string // labels of the dates shown
		step     string // where the one action goes
		question bool
		says     string
	}{
		{"active", active, StandingActive, "", "", false, "studying"},
		{"request open", open, StandingRequestOpen, "", "/requests", false, "request to withdraw"},
		{"deferred", deferred, StandingDeferred, "Deferred from,Planned return", "", false, "NPQH spring"},
		{"return asked", asked, StandingReturnAsked, "Deferred from,Planned return", "/requests", true, "may be withdrawn"},
		{"returning", answered, StandingReturning, "Deferred from,Planned return", "", false, "NPQH spring"},
		{"not returning", refused, StandingDeferred, "Deferred from,Planned return", "", false, "confirm your withdrawal"},
		{"withdrawn", withdrawn, StandingWithdrawn, "Withdrawn from", "", false, "Riverside Hub"},
		{"in marking", marking, StandingInMarking, "", "", false, "email you"},
		{"assessment open", due, StandingAssessmentOpen, "Submit by", "/assessment", false, "open"},
		{"assessment drafted", drafting, StandingAssessmentOpen, "Submit by", "/assessment", false, "open"},
		{"completed", completed, StandingCompleted, "Result released", "/assessment", false, "DfE"},
		{"failed, may resubmit", failed, StandingFailedResubmit, "Result released,Resubmit by", "/assessment", true, "resubmission"},
		{"failed, no attempts left", final, StandingFailedFinal, "Result released", "/assessment", false, "Riverside Hub"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := StandingOf(tt.f, day(15))
			var labels []string
			for _, d := range v.Dates {
				labels = append(labels, d.Label)
			}
			step := ""
			if v.Step != nil {
				step = v.Step.Path
			}
			if v.Standing != tt.want || strings.Join(labels, ",") != tt.dates || step != tt.step || v.Question != tt.question ||
				!strings.Contains(v.Headline+" "+v.Detail, tt.says) || v.LetterID != tt.f.LetterID {
				t.Errorf("got %+v", v)
			}
		})
	}
}

func TestAssessmentDue(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 3, d, 0, 0, 0, 0, time.UTC) }
	base := CourseFacts{Status: programme.StatusActive, WindowOpens: day(5), Deadline: day(20), Attempts: 2}
	withStatus := func(s programme.Status) CourseFacts { f := base; f.Status = s; return f }
	marking, passed, failed, final := base, base, base, base
	marking.InMarking = true
	passed.Released, passed.Passed, passed.Attempt = true, true, 1
	failed.Released, failed.Attempt = true, 1
	final.Released, final.Attempt = true, 2
	tests := []struct {
		name  string
		f     CourseFacts
		today int
		want  bool
	}{
		{"before the window", base, 4, false},
		{"first day", base, 5, true},
		{"last day", base, 20, true},
		{"after the deadline", base, 21, false},
		{"deferred", withStatus(programme.StatusDeferred), 10, false},
		{"with the markers", marking, 10, false},
		{"passed", passed, 10, false},
		{"failed with an attempt left", failed, 10, true},
		{"failed with none left", final, 10, false},
	}
	for _, tt := range tests {
		if got := tt.f.AssessmentDue(day(tt.today)); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestAboutAssessment(t *testing.T) {
	for st, want := range map[Standing]bool{StandingActive: false, StandingRequestOpen: false, StandingDeferred: false, StandingReturnAsked: false,
		StandingReturning: false, StandingWithdrawn: false, StandingInMarking: true, StandingAssessmentOpen: true, StandingCompleted: true,
		StandingFailedResubmit: true, StandingFailedFinal: true} {
		if got := (StandingView{Standing: st}).AboutAssessment(); got != want {
			t.Errorf("%s: %v, want %v", st, got, want)
		}
	}
}
