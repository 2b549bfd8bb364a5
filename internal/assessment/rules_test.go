package assessment_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
	"npq/internal/frameworks"
	"npq/internal/testdb"
)

func words(n int, tags ...string) string {
	return strings.Join(tags, " ") + " " + strings.TrimSpace(strings.Repeat("evidence ", n))
}

func specs(t *testing.T) map[string]assessment.Spec {
	t.Helper()
	ctx := context.Background()
	pool := testdb.New(t)
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := frameworks.Import(ctx, pool, lib, frameworks.Always); err != nil {
		t.Fatal(err)
	}
	provider, err := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]assessment.Spec{}
	for _, q := range []string{"NPQML", "NPQSL", "NPQH", "NPQEL", "NPQLT", "NPQLTD"} {
		s, err := assessment.SpecFor(ctx, pool, provider, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[q] = s
	}
	if _, err := assessment.SpecFor(ctx, pool, provider, "NPQLBC"); err != assessment.ErrNoSpec {
		t.Errorf("NPQLBC: %v", err)
	}
	return out
}

// Every 2019 qualification's word limits and required documents, exactly as seed 002 gives them.
func TestSpecificationsFromTheFrameworks(t *testing.T) {
	all := specs(t)
	tests := []struct {
		q          string
		total      int
		taskLimits string
		criteria   int
		documents  string
	}{
		{"NPQML", 4500, "part-a:0 part-b:0", 16, "1.1.1=Raw Data Analysis 2.1.3=Pupil Performance data 4.1.1=Sponsor comments 5.1.1=Budget 5.1.2=Project Plan 5.1.3=Risk Register"},
		{"NPQSL", 5000, "part-a:0 part-b:0", 14, "1.2.1=Raw Data Analysis 2.2.3=Pupil performance data 3.2.1=Sponsor Comments 3.2.2=Communications Plan 4.2.1=Sponsor Comments 5.2.1=Business Case 5.2.2=Risk Management Plan"},
		{"NPQH", 0, "task-1:4000 task-2:2500", 21, "2.3.2=Pupil Performance Data 3.3.2=Sponsor Comments 3.3.3=Presentation recording and feedback 3.3.4=Comms/Stakeholder engagement strategy 5.3.2=Curriculum-led Budget"},
		{"NPQEL", 0, "case-study:0", 10, ""},
	}
	for _, tt := range tests {
		s := all[tt.q]
		var limits, docs []string
		for _, task := range s.Tasks {
			limits = append(limits, fmt.Sprintf("%s:%d", task.Key, task.WordLimit))
		}
		for _, sl := range s.DocumentSlots() {
			docs = append(docs, sl.Code+"="+sl.Document)
		}
		if s.TotalWordLimit != tt.total || strings.Join(limits, " ") != tt.taskLimits || len(s.Criteria) != tt.criteria || strings.Join(docs, " ") != tt.documents {
			t.Errorf("%s: total %d, tasks %v, %d criteria, documents %v", tt.q, s.TotalWordLimit, limits, len(s.Criteria), docs)
		}
	}
	// The reformed qualifications: a provider-defined case study of at least 2,000 words.
	for _, q := range []string{"NPQEL", "NPQLT", "NPQLTD"} {
		s := all[q]
		if !s.ProviderDefined || s.Tasks[0].MinWords != 2000 {
			t.Errorf("%s: %+v", q, s.Tasks)
		}
	}
	if len(all["NPQLT"].Criteria) != 8 || len(all["NPQLTD"].Criteria) != 3 {
		t.Errorf("one criterion per area with content: NPQLT %d, NPQLTD %d", len(all["NPQLT"].Criteria), len(all["NPQLTD"].Criteria))
	}
}

func TestWordCount(t *testing.T) {
	tests := map[string]int{"": 0, "One two three.": 3, "[1.1.1] [1.1.2] Data drives it": 3, "  multiple   spaces\nand lines ": 4,
		"Well-being isn't hyphen-split": 3, "— – …": 0, "3 terms, 2024/25": 3,
		"[1.1.1]tagged[LM2]words": 2, "[not a tag] (a) - b": 5, "x\u00a0y\tz": 3, "¿qué? ... —dijo": 2, "[1.1.1]": 0,
		"[ABCDEF1] [LM123] [1.1.1.1] [A1]": 4, "[LM12][1.2.30]": 0}
	for text, want := range tests {
		if got := assessment.WordCount(text); got != want {
			t.Errorf("%q: %d, want %d", text, got, want)
		}
	}
}

func TestPreSubmissionCheck(t *testing.T) {
	h := specs(t)["NPQH"]
	all := func(task string) string {
		var tags []string
		for _, c := range h.Criteria {
			if c.Task == task {
				tags = append(tags, "["+c.Code+"]")
			}
		}
		return strings.Join(tags, " ")
	}
	docs := map[string]int{}
	for _, sl := range h.DocumentSlots() {
		docs[sl.Key()] = 1
	}
	good := assessment.Draft{Text: map[string]string{"task-1": words(3900, all("task-1")), "task-2": words(2400, all("task-2"))}, Documents: docs}
	if f := assessment.Check(h, good); len(f) != 0 {
		t.Fatalf("good draft: %+v", f)
	}
	over := assessment.Draft{Text: map[string]string{"task-1": words(4001, all("task-1")), "task-2": words(10)}, Documents: map[string]int{}}
	f := assessment.Check(h, over)
	msgs := []string{}
	for _, x := range f {
		msgs = append(msgs, x.Message)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"Task 1 has 4,001 words: the limit is 4,000", "Criterion 5.3.2 requires a Curriculum-led Budget and none was attached",
		"No evidence is tagged for criterion 5.3.1"} {
		if !strings.Contains(joined, want) {
			t.Errorf("check lacks %q:\n%s", want, joined)
		}
	}
	if assessment.CanSubmit(f) {
		t.Error("a draft over the limit can be submitted")
	}
	// A missing document names its slot, so the page can link to where it is uploaded.
	for _, x := range f {
		if strings.HasPrefix(x.Message, "Criterion 5.3.2 requires") && x.Slot != "task-2/5.3.2|Curriculum-led Budget" {
			t.Errorf("missing document's slot: %q", x.Slot)
		}
	}
	// Untagged evidence alone does not stop submission.
	soft := assessment.Draft{Text: map[string]string{"task-1": words(100), "task-2": words(100)}, Documents: docs}
	if fs := assessment.Check(h, soft); !assessment.CanSubmit(fs) || len(fs) != len(h.Criteria) {
		t.Errorf("untagged only: %d findings, can submit %v", len(fs), assessment.CanSubmit(fs))
	}
	// NPQML's limit is across both parts.
	ml := specs(t)["NPQML"]
	split := assessment.Draft{Text: map[string]string{"part-a": words(3000), "part-b": words(1600)}, Documents: map[string]int{}}
	found := false
	for _, x := range assessment.Check(ml, split) {
		found = found || strings.Contains(x.Message, "4,600 words in all: the limit across all parts is 4,500")
	}
	if !found {
		t.Error("NPQML total limit not applied")
	}
	// The case study needs 2,000 words.
	el := specs(t)["NPQEL"]
	short := assessment.Check(el, assessment.Draft{Text: map[string]string{"case-study": words(1999)}})
	if assessment.CanSubmit(short) || !strings.Contains(short[0].Message, "needs at least 2,000") {
		t.Errorf("short case study: %+v", short[0])
	}
}

func TestOutcomeFollowsFromMarksAndRules(t *testing.T) {
	el := specs(t)["NPQEL"]
	judge := func(j assessment.Judgement, except string) map[string]assessment.Judgement {
		m := map[string]assessment.Judgement{}
		for _, c := range el.Criteria {
			m[c.Key()] = j
			if c.Code == except {
				m[c.Key()] = assessment.NotMet
			}
		}
		return m
	}
	ok := assessment.Draft{Text: map[string]string{"case-study": words(2100)}}
	r, err := assessment.Outcome(el, ok, judge(assessment.Met, ""))
	if err != nil || !r.Passed || len(r.Reasons) != 0 {
		t.Errorf("all met: %+v %v", r, err)
	}
	r, _ = assessment.Outcome(el, ok, judge(assessment.Met, "EL4"))
	if r.Passed || r.Reasons[0] != "criterion EL4 was judged not met" || r.Tasks[0].Passed {
		t.Errorf("one not met: %+v", r)
	}
	// Below the minimum fails even if every criterion is met.
	r, _ = assessment.Outcome(el, assessment.Draft{Text: map[string]string{"case-study": words(1500)}}, judge(assessment.Met, ""))
	if r.Passed || !strings.Contains(strings.Join(r.Reasons, " "), "needs at least 2,000") {
		t.Errorf("too short: %+v", r)
	}
	// A missing judgement is an error, never a guess.
	partial := judge(assessment.Met, "")
	delete(partial, el.Criteria[0].Key())
	if _, err := assessment.Outcome(el, ok, partial); err == nil {
		t.Error("outcome without every judgement")
	}
	// A required document missing makes its criterion not met, with the reason.
	h := specs(t)["NPQH"]
	hj := map[string]assessment.Judgement{}
	for _, c := range h.Criteria {
		hj[c.Key()] = assessment.Met
	}
	r, _ = assessment.Outcome(h, assessment.Draft{Text: map[string]string{"task-1": words(3000), "task-2": words(2000)}, Documents: map[string]int{}}, hj)
	if r.Passed || !strings.Contains(strings.Join(r.Reasons, "|"), "criterion 5.3.2 requires a Curriculum-led Budget and none was attached") {
		t.Errorf("missing document: %v", r.Reasons)
	}
}

func TestWorkflowSamplingAndDisagreements(t *testing.T) {
	tests := []struct {
		from, to assessment.Stage
		ok       bool
	}{
		{assessment.StageDraft, assessment.StageSubmitted, true},
		{assessment.StageSubmitted, assessment.StageInMarking, true},
		{assessment.StageInMarking, assessment.StageMarked, true},
		{assessment.StageMarked, assessment.StageModeration, true},
		{assessment.StageMarked, assessment.StageReady, true},
		{assessment.StageModeration, assessment.StageReady, true},
		{assessment.StageReady, assessment.StageReleased, true},
		{assessment.StageDraft, assessment.StageReleased, false},
		{assessment.StageSubmitted, assessment.StageReady, false},
		{assessment.StageReleased, assessment.StageDraft, false},
		{assessment.StageModeration, assessment.StageReleased, false},
	}
	for _, tt := range tests {
		if assessment.CanMove(tt.from, tt.to) != tt.ok {
			t.Errorf("%s → %s: %v", tt.from, tt.to, !tt.ok)
		}
	}
	fail := assessment.Result{Passed: false}
	pass := assessment.Result{Passed: true}
	if !assessment.Sampled(fail, 1, 0) {
		t.Error("a fail is not sampled")
	}
	sampled := 0
	first := map[int64]bool{}
	for id := int64(1); id <= 1000; id++ {
		first[id] = assessment.Sampled(pass, id, 20)
		if first[id] {
			sampled++
		}
	}
	// A second pass in another order must choose the same submissions.
	for id := int64(1000); id >= 1; id-- {
		if assessment.Sampled(pass, id, 20) != first[id] {
			t.Fatalf("sampling of %d is not stable", id)
		}
	}
	if sampled < 150 || sampled > 250 {
		t.Errorf("%d of 1000 passes sampled at 20%%", sampled)
	}
	d := assessment.Disagreements(map[string]assessment.Judgement{"a": "met", "b": "met"}, map[string]assessment.Judgement{"a": "met", "b": "not_met"})
	if fmt.Sprint(d) != "[b]" {
		t.Errorf("disagreements %v", d)
	}
}

func TestTally(t *testing.T) {
	hard, soft := assessment.Finding{Hard: true}, assessment.Finding{}
	for _, tt := range []struct {
		name       string
		findings   []assessment.Finding
		fix, check int
	}{
		{"none", nil, 0, 0},
		{"only to check", []assessment.Finding{soft, soft}, 0, 2},
		{"only to fix", []assessment.Finding{hard}, 1, 0},
		{"both", []assessment.Finding{hard, soft, hard, soft, soft}, 2, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if fix, check := assessment.Tally(tt.findings); fix != tt.fix || check != tt.check {
				t.Errorf("got %d to fix and %d to check, want %d and %d", fix, check, tt.fix, tt.check)
			}
		})
	}
}
