package assessment

import (
	"regexp"
	"strings"
)

// Passage is one paragraph of a submission's text with its criterion tags picked out, so
// markers can move between a tag and the criterion it evidences.
type Passage struct {
	Number int    // counted across the whole submission, from 1
	Task   string // the task's key
	Parts  []PassagePart
}

// PassagePart is a run of plain text or one criterion tag as written.
type PassagePart struct {
	Text      string // the text, or the tag as written ("[1.2.1]")
	Criterion string // for a tag of a known criterion: its key; "" otherwise
}

var paragraphBreak = regexp.MustCompile(`\n[ \t\r]*\n`)

// Passages splits each task's text, in the specification's task order, into paragraphs
// numbered across the submission. A tag names the criterion with that code in the same
// task, or else the first criterion with that code in any task.
func Passages(s Spec, texts map[string]string) []Passage {
	var out []Passage
	for _, t := range s.Tasks {
		for _, para := range paragraphBreak.Split(strings.ReplaceAll(texts[t.Key], "\r\n", "\n"), -1) {
			para = strings.Trim(para, "\n\r\t ")
			if para == "" {
				continue
			}
			out = append(out, Passage{Number: len(out) + 1, Task: t.Key, Parts: passageParts(s, t.Key, para)})
		}
	}
	return out
}

func passageParts(s Spec, task, text string) []PassagePart {
	var parts []PassagePart
	last := 0
	for _, m := range tagPattern.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > last {
			parts = append(parts, PassagePart{Text: text[last:m[0]]})
		}
		parts = append(parts, PassagePart{Text: text[m[0]:m[1]], Criterion: s.criterionKey(task, text[m[2]:m[3]])})
		last = m[1]
	}
	if last < len(text) {
		parts = append(parts, PassagePart{Text: text[last:]})
	}
	return parts
}

// criterionKey finds the key of the criterion a tag in task names, or "".
func (s Spec) criterionKey(task, code string) string {
	found := ""
	for _, c := range s.Criteria {
		if c.Code != code {
			continue
		}
		if c.Task == task {
			return c.Key()
		}
		if found == "" {
			found = c.Key()
		}
	}
	return found
}

// TaggedPassages lists, for each criterion key, the numbers of the passages that tag it,
// each once and in order.
func TaggedPassages(ps []Passage) map[string][]int {
	out := map[string][]int{}
	for _, p := range ps {
		for _, part := range p.Parts {
			if part.Criterion == "" {
				continue
			}
			if n := out[part.Criterion]; len(n) == 0 || n[len(n)-1] != p.Number {
				out[part.Criterion] = append(n, p.Number)
			}
		}
	}
	return out
}

// MissingJudgements lists the criteria among keys that have no judgement on the scale yet.
func MissingJudgements(keys []string, marks map[string]Mark) []string {
	var out []string
	for _, k := range keys {
		if !ValidJudgement(marks[k].Judgement) {
			out = append(out, k)
		}
	}
	return out
}
