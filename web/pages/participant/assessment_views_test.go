package participant

import (
	"testing"

	"npq/internal/assessment"
)

func TestFindingHref(t *testing.T) {
	v := AssessmentView{Spec: assessment.Spec{
		Tasks:    []assessment.Task{{Key: "task-1"}, {Key: "task-2"}},
		Criteria: []assessment.Criterion{{Code: "1.1.1", Task: "task-1"}, {Code: "5.2.1", Task: "task-2", Documents: []string{"Business Case", "Budget"}}},
	}}
	for _, tt := range []struct {
		name    string
		finding assessment.Finding
		want    string
	}{
		{"a task's words", assessment.Finding{Hard: true, Task: "task-2"}, "#text-task-2"},
		{"untagged evidence", assessment.Finding{Task: "task-1", Criterion: "task-1/1.1.1"}, "#text-task-1"},
		{"a missing document", assessment.Finding{Hard: true, Criterion: "task-2/5.2.1", Slot: "task-2/5.2.1|Budget"}, "#slot-1"},
		{"a slot no longer in the specification", assessment.Finding{Hard: true, Slot: "gone"}, "#word-counts"},
		{"the total across tasks", assessment.Finding{Hard: true}, "#word-counts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := v.FindingHref(tt.finding); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckSummary(t *testing.T) {
	hard, soft := assessment.Finding{Hard: true}, assessment.Finding{}
	for _, tt := range []struct {
		findings []assessment.Finding
		want     string
	}{
		{nil, "Nothing is left to fix: you can submit."},
		{[]assessment.Finding{soft}, "Nothing stops you submitting. 1 thing to check first."},
		{[]assessment.Finding{hard, hard}, "2 things to fix before you can submit."},
		{[]assessment.Finding{hard, soft, soft}, "1 thing to fix before you can submit, and 2 things to check."},
	} {
		if got := CheckSummary(tt.findings); got != tt.want {
			t.Errorf("%d findings: got %q, want %q", len(tt.findings), got, tt.want)
		}
	}
}

func TestWithQuery(t *testing.T) {
	if got := (AssessmentView{}).WithQuery("/assessment/submitted"); got != "/assessment/submitted" {
		t.Errorf("no query: %q", got)
	}
	if got := (AssessmentView{Query: "course=12"}).WithQuery("/assessment/submitted"); got != "/assessment/submitted?course=12" {
		t.Errorf("with a course: %q", got)
	}
}
