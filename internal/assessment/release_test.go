package assessment_test

import (
	"strings"
	"testing"

	"npq/internal/assessment"
)

func TestReleaseConsequences(t *testing.T) {
	yes, no := true, false
	pass, fail := assessment.Listed{Passed: &yes}, assessment.Listed{Passed: &no}
	tests := []struct {
		name  string
		batch []assessment.Listed
		want  []string
	}{
		{"one pass", []assessment.Listed{pass}, []string{
			"1 person sees their outcome and feedback, and is emailed that it is ready.",
			"1 person who passed is recorded as having completed the course.",
			"DfE will be told the outcome: 1 passed, 0 failed.",
		}},
		{"one fail", []assessment.Listed{fail}, []string{
			"1 person sees their outcome and feedback, and is emailed that it is ready.",
			"1 person who did not pass keeps their place on the course.",
			"DfE will be told the outcome: 0 passed, 1 failed.",
		}},
		{"a mixed batch", []assessment.Listed{pass, pass, fail}, []string{
			"3 people see their outcome and feedback, and are emailed that it is ready.",
			"2 people who passed are recorded as having completed the course.",
			"1 person who did not pass keeps their place on the course.",
			"DfE will be told each outcome: 2 passed, 1 failed.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := assessment.ReleaseConsequences(tc.batch); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
