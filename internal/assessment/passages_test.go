package assessment_test

import (
	"reflect"
	"testing"

	"npq/internal/assessment"
)

func TestPassagesLinkTagsToCriteria(t *testing.T) {
	spec := assessment.Spec{
		Tasks: []assessment.Task{{Key: "t1"}, {Key: "t2"}},
		Criteria: []assessment.Criterion{
			{Code: "1.1.1", Task: "t1"}, {Code: "1.2.1", Task: "t1"}, {Code: "1.2.1", Task: "t2"}, {Code: "EL1", Task: "t2"},
		},
	}
	text := func(s string) assessment.PassagePart { return assessment.PassagePart{Text: s} }
	tag := func(s, key string) assessment.PassagePart { return assessment.PassagePart{Text: s, Criterion: key} }
	tests := []struct {
		name  string
		texts map[string]string
		want  []assessment.Passage
	}{
		{"nothing written", map[string]string{}, nil},
		{"blank lines split paragraphs; single line breaks stay",
			map[string]string{"t1": "First line\nsecond line\n\n \nNext"},
			[]assessment.Passage{
				{Number: 1, Task: "t1", Parts: []assessment.PassagePart{text("First line\nsecond line")}},
				{Number: 2, Task: "t1", Parts: []assessment.PassagePart{text("Next")}},
			}},
		{"a tag names the criterion of its own task",
			map[string]string{"t1": "Led change [1.2.1].", "t2": "[1.2.1] planned"},
			[]assessment.Passage{
				{Number: 1, Task: "t1", Parts: []assessment.PassagePart{text("Led change "), tag("[1.2.1]", "t1/1.2.1"), text(".")}},
				{Number: 2, Task: "t2", Parts: []assessment.PassagePart{tag("[1.2.1]", "t2/1.2.1"), text(" planned")}},
			}},
		{"a code from another task falls back to that task; an unknown code links nowhere",
			map[string]string{"t2": "[1.1.1][9.9.9] [EL1]"},
			[]assessment.Passage{
				{Number: 1, Task: "t2", Parts: []assessment.PassagePart{tag("[1.1.1]", "t1/1.1.1"), tag("[9.9.9]", ""), text(" "), tag("[EL1]", "t2/EL1")}},
			}},
		{"Windows line endings",
			map[string]string{"t1": "One\r\n\r\nTwo"},
			[]assessment.Passage{
				{Number: 1, Task: "t1", Parts: []assessment.PassagePart{text("One")}},
				{Number: 2, Task: "t1", Parts: []assessment.PassagePart{text("Two")}},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := assessment.Passages(spec, tc.texts); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestTaggedPassages(t *testing.T) {
	spec := assessment.Spec{Tasks: []assessment.Task{{Key: "t"}}, Criteria: []assessment.Criterion{{Code: "1.1.1", Task: "t"}, {Code: "1.1.2", Task: "t"}}}
	ps := assessment.Passages(spec, map[string]string{"t": "[1.1.1] and [1.1.1] again\n\nnone\n\n[1.1.2] [1.1.1]"})
	want := map[string][]int{"t/1.1.1": {1, 3}, "t/1.1.2": {3}}
	if got := assessment.TaggedPassages(ps); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestMissingJudgements(t *testing.T) {
	keys := []string{"a", "b", "c"}
	tests := []struct {
		name  string
		marks map[string]assessment.Mark
		want  []string
	}{
		{"none judged", nil, []string{"a", "b", "c"}},
		{"all judged", map[string]assessment.Mark{"a": {Judgement: assessment.Met}, "b": {Judgement: assessment.NotMet}, "c": {Judgement: assessment.Met}}, nil},
		{"a comment is not a judgement; off the scale is not either",
			map[string]assessment.Mark{"a": {Comment: "good"}, "b": {Judgement: "maybe"}, "c": {Judgement: assessment.Met}}, []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := assessment.MissingJudgements(keys, tc.marks); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
