// Package assessment holds the summative assessment rules as plain code: given a
// qualification's specification and a submission with its marks, it says whether the hard
// rules are met and works out the result per criterion, per task and overall, with reasons.
// It has no HTTP and no SQL in its core; store.go keeps submissions and marks.
package assessment

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Judgement is a marker's decision on one criterion, on the provider's scale.
type Judgement string

// The provider's scale.
const (
	NotMet Judgement = "not_met"
	Met    Judgement = "met"
)

// Scale lists the judgements markers choose from.
var Scale = []struct {
	Value Judgement
	Label string
}{{NotMet, "Not met"}, {Met, "Met"}}

// ValidJudgement reports whether j is on the scale.
func ValidJudgement(j Judgement) bool { return j == NotMet || j == Met }

// Criterion is one assessment criterion and the supporting documents it needs.
type Criterion struct {
	Code      string
	Text      string
	Task      string   // the task or part that assesses it
	Documents []string // supporting documents required, by name
}

// Task is a task or part of the assessment.
type Task struct {
	Key       string
	Name      string
	Summary   string
	WordLimit int // 0: no limit of its own
	MinWords  int
}

// Spec is a qualification's assessment specification.
type Spec struct {
	Qualification   string
	Source          string // the framework it comes from, or the provider's file
	ProviderDefined bool
	Summary         string
	Tasks           []Task
	TotalWordLimit  int // across all tasks; 0: none
	MinTotalWords   int
	Criteria        []Criterion
}

// Key identifies a criterion within its task: the 2019 NPQEL assesses some criteria in both
// tasks, and each task's evidence is judged on its own.
func (c Criterion) Key() string { return c.Task + "/" + c.Code }

// DocumentSlots lists every document slot: a criterion and a document it requires.
func (s Spec) DocumentSlots() []Slot {
	var out []Slot
	for _, c := range s.Criteria {
		for _, d := range c.Documents {
			out = append(out, Slot{Criterion: c.Key(), Code: c.Code, Document: d})
		}
	}
	return out
}

// Slot is a required supporting document of one criterion.
type Slot struct {
	Criterion string // the criterion's key
	Code      string
	Document  string
}

// Key identifies a slot in forms and storage.
func (s Slot) Key() string { return s.Criterion + "|" + s.Document }

// Draft is a submission as written: text per task, tags found in it, and attached documents.
type Draft struct {
	Text      map[string]string // task key -> text
	Documents map[string]int    // slot key -> number of files attached
}

var tagPattern = regexp.MustCompile(`\[(\d+\.\d+\.\d+|[A-Z]{2,5}\d{1,2})\]`)

// Tags lists the criterion codes tagged in text as [1.1.1].
func Tags(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range tagPattern.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

// WordCount counts the words of an answer. Criterion tags such as [1.1.1] are not words;
// supporting documents and annexes are uploaded separately, so they never count.
//
// A word is a run of text between white space and tags with a letter or digit in it. The
// count is one pass that allocates nothing: an answer page counts each task's few thousand
// words several times, and blanking the tags with tagPattern first took 1 ms a task.
func WordCount(text string) int {
	n, counted := 0, false
	for i := 0; i < len(text); {
		if text[i] == '[' {
			if k := tagAt(text[i:]); k > 0 {
				counted = false
				i += k
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			n++
			counted = true
		}
	}
	return n
}

// tagAt is the length of the criterion tag that s starts with, as tagPattern would match it
// there ([1.1.1] or [LM2]), or 0.
func tagAt(s string) int {
	i := 1 // past the "["
	run := func(in func(byte) bool, most int) int {
		start := i
		for i < len(s) && in(s[i]) && i-start < most {
			i++
		}
		return i - start
	}
	digit := func(b byte) bool { return '0' <= b && b <= '9' }
	upper := func(b byte) bool { return 'A' <= b && b <= 'Z' }
	if run(digit, len(s)) > 0 {
		for range 2 {
			if i >= len(s) || s[i] != '.' {
				return 0
			}
			i++
			if run(digit, len(s)) == 0 {
				return 0
			}
		}
	} else if run(upper, 5) < 2 || run(digit, 2) == 0 {
		return 0
	}
	if i < len(s) && s[i] == ']' {
		return i + 1
	}
	return 0
}

// Finding is one result of the pre-submission check. Hard findings stop submission.
type Finding struct {
	Hard      bool
	Task      string
	Criterion string
	Slot      string // the document slot's key, for a missing document
	Message   string
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Check is the pre-submission check: word counts against limits, required documents, and
// criteria with no tagged evidence.
func Check(s Spec, d Draft) []Finding {
	var out []Finding
	total := 0
	for _, t := range s.Tasks {
		words := WordCount(d.Text[t.Key])
		total += words
		switch {
		case words == 0:
			out = append(out, Finding{Hard: true, Task: t.Key, Message: t.Name + " has no text yet"})
		case t.WordLimit > 0 && words > t.WordLimit:
			out = append(out, Finding{Hard: true, Task: t.Key, Message: fmt.Sprintf("%s has %s words: the limit is %s", t.Name, thousands(words), thousands(t.WordLimit))})
		case t.MinWords > 0 && words < t.MinWords:
			out = append(out, Finding{Hard: true, Task: t.Key, Message: fmt.Sprintf("%s has %s words: it needs at least %s", t.Name, thousands(words), thousands(t.MinWords))})
		}
	}
	if s.TotalWordLimit > 0 && total > s.TotalWordLimit {
		out = append(out, Finding{Hard: true, Message: fmt.Sprintf("Your answer has %s words in all: the limit across all parts is %s, excluding supporting documents or annexes", thousands(total), thousands(s.TotalWordLimit))})
	}
	if s.MinTotalWords > 0 && total < s.MinTotalWords {
		out = append(out, Finding{Hard: true, Message: fmt.Sprintf("Your answer has %s words in all: it needs at least %s", thousands(total), thousands(s.MinTotalWords))})
	}
	for _, slot := range s.DocumentSlots() {
		if d.Documents[slot.Key()] == 0 {
			out = append(out, Finding{Hard: true, Criterion: slot.Criterion, Slot: slot.Key(), Message: fmt.Sprintf("Criterion %s requires %s and none was attached", slot.Code, article(slot.Document))})
		}
	}
	for _, c := range s.Criteria {
		if !Tags(d.Text[c.Task])[c.Code] {
			out = append(out, Finding{Task: c.Task, Criterion: c.Key(), Message: fmt.Sprintf("No evidence is tagged for criterion %s: add [%s] where your text addresses it", c.Code, c.Code)})
		}
	}
	return out
}

func article(doc string) string {
	if doc == "" {
		return doc
	}
	if strings.ContainsRune("AEIOUaeiou", rune(doc[0])) {
		return "an " + doc
	}
	return "a " + doc
}

// CanSubmit reports whether no finding is hard.
func CanSubmit(findings []Finding) bool {
	for _, f := range findings {
		if f.Hard {
			return false
		}
	}
	return true
}

// Tally counts the findings that must be fixed before submitting and those only to check.
func Tally(findings []Finding) (fix, check int) {
	for _, f := range findings {
		if f.Hard {
			fix++
		} else {
			check++
		}
	}
	return fix, check
}

// CriterionResult is the result on one criterion.
type CriterionResult struct {
	Code      string
	Task      string
	Judgement Judgement
	Met       bool
	Reason    string
}

// TaskResult is the result on one task or part.
type TaskResult struct {
	Key, Name string
	Passed    bool
}

// Result is the outcome of a submission.
type Result struct {
	Criteria []CriterionResult
	Tasks    []TaskResult
	Passed   bool
	Reasons  []string
}

// IncompleteError means some criterion has no judgement yet.
type IncompleteError []string

func (e IncompleteError) Error() string { return "no judgement for criteria " + strings.Join(e, ", ") }

// Outcome works out the result from the judgements (keyed by Criterion.Key) and the hard rules: a criterion is met
// only if judged met and its required documents were attached; a task passes when all its
// criteria are met; the assessment passes when every task passes and the word limits hold.
// The outcome is never typed in: it always follows from the marks and the specification.
func Outcome(s Spec, d Draft, judgements map[string]Judgement) (Result, error) {
	var missing []string
	for _, c := range s.Criteria {
		if !ValidJudgement(judgements[c.Key()]) {
			missing = append(missing, c.Code)
		}
	}
	if len(missing) > 0 {
		return Result{}, IncompleteError(missing)
	}
	var r Result
	failedTask := map[string]bool{}
	for _, c := range s.Criteria {
		cr := CriterionResult{Code: c.Code, Task: c.Task, Judgement: judgements[c.Key()], Met: judgements[c.Key()] == Met}
		for _, doc := range c.Documents {
			if d.Documents[Slot{Criterion: c.Key(), Code: c.Code, Document: doc}.Key()] == 0 {
				cr.Met, cr.Reason = false, fmt.Sprintf("criterion %s requires %s and none was attached", c.Code, article(doc))
			}
		}
		if cr.Reason == "" && !cr.Met {
			cr.Reason = fmt.Sprintf("criterion %s was judged not met", c.Code)
		}
		if !cr.Met {
			failedTask[c.Task] = true
			r.Reasons = append(r.Reasons, cr.Reason)
		}
		r.Criteria = append(r.Criteria, cr)
	}
	for _, f := range Check(s, d) {
		if f.Hard && f.Criterion == "" {
			r.Reasons = append(r.Reasons, f.Message)
			if f.Task != "" {
				failedTask[f.Task] = true
			} else {
				failedTask[""] = true
			}
		}
	}
	r.Passed = len(failedTask) == 0
	for _, t := range s.Tasks {
		r.Tasks = append(r.Tasks, TaskResult{Key: t.Key, Name: t.Name, Passed: !failedTask[t.Key] && !failedTask[""]})
	}
	return r, nil
}

// Sampled reports whether a marked submission goes to second marking and moderation: every
// fail, every borderline result (a pass with at most one criterion to spare is not possible on
// a met/not-met scale, so borderline is a fail on a single criterion, already a fail), and a
// set percentage of passes chosen by a stable hash of the submission, so the choice can be
// checked and does not change.
func Sampled(r Result, submissionID int64, percentOfPasses int) bool {
	if !r.Passed {
		return true
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "sample:%d", submissionID)
	return int(h.Sum32()%100) < percentOfPasses
}

// Disagreements lists the criteria on which two markers' judgements differ.
func Disagreements(first, second map[string]Judgement) []string {
	var out []string
	for code, j := range first {
		if second[code] != j {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}

// Stage is where a submission is in its workflow.
type Stage string

// The workflow stages.
const (
	StageDraft      Stage = "draft"
	StageSubmitted  Stage = "submitted"  // not marked
	StageInMarking  Stage = "in_marking" // allocated, first marking under way
	StageMarked     Stage = "marked"     // first marks complete
	StageModeration Stage = "moderation" // sampled: second marking and moderation
	StageReady      Stage = "ready"      // ready for release
	StageReleased   Stage = "released"
)

var transitions = map[Stage][]Stage{
	StageDraft:      {StageSubmitted},
	StageSubmitted:  {StageInMarking},
	StageInMarking:  {StageMarked},
	StageMarked:     {StageModeration, StageReady},
	StageModeration: {StageReady},
	StageReady:      {StageReleased},
	StageReleased:   {},
}

// CanMove reports whether the workflow allows moving from one stage to another.
func CanMove(from, to Stage) bool {
	return slices.Contains(transitions[from], to)
}

// Label is a stage as people say it.
func (s Stage) Label() string {
	return map[Stage]string{StageDraft: "Draft", StageSubmitted: "Not marked", StageInMarking: "In marking", StageMarked: "Marked",
		StageModeration: "Second marking and moderation", StageReady: "Ready for release", StageReleased: "Released"}[s]
}
