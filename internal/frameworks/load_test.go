package frameworks_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	frameworkdata "npq/frameworks"
	"npq/internal/frameworks"
)

func loadAll(t *testing.T) frameworks.Library {
	t.Helper()
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		t.Fatalf("the framework files do not load:\n%v", err)
	}
	return lib
}

func bySlug(t *testing.T, lib frameworks.Library, slug string) frameworks.Framework {
	t.Helper()
	for _, fw := range lib.Frameworks {
		if fw.Slug == slug {
			return fw
		}
	}
	t.Fatalf("no framework %s", slug)
	return frameworks.Framework{}
}

// Counts per area, checked by hand against the source documents: numbered "Learn that"
// lines, "… by:" lead lines and bullet markers in each area of seeds 000, 001 and 003.
func TestReformedCountsPerArea(t *testing.T) {
	lib := loadAll(t)
	tests := []struct {
		slug                    string
		learnThat, how, bullets []int
	}{
		{"npqel-2021", []int{8, 20, 19, 21, 9, 13, 7, 12, 6, 5}, []int{2, 3, 4, 5, 3, 2, 5, 5, 2, 2}, []int{8, 7, 12, 10, 9, 12, 33, 21, 12, 11}},
		{"npqlt-2021", []int{0, 7, 9, 12, 11, 7, 7, 13, 12}, []int{0, 2, 2, 2, 3, 4, 4, 3, 5}, []int{0, 6, 8, 9, 11, 10, 9, 14, 20}},
		{"npqltd-2021", []int{0, 9, 4, 12}, []int{0, 3, 3, 5}, []int{0, 15, 14, 20}},
	}
	for _, tt := range tests {
		fw := bySlug(t, lib, tt.slug)
		var that, how, bullets []int
		for _, a := range fw.Areas {
			that = append(that, len(a.LearnThat))
			how = append(how, len(a.LearnHowTo))
			n := 0
			for _, h := range a.LearnHowTo {
				n += len(h.Bullets)
			}
			bullets = append(bullets, n)
		}
		if fmt.Sprint(that) != fmt.Sprint(tt.learnThat) || fmt.Sprint(how) != fmt.Sprint(tt.how) || fmt.Sprint(bullets) != fmt.Sprint(tt.bullets) {
			t.Errorf("%s: learn-that %v, how %v, bullets %v\nwant %v, %v, %v", tt.slug, that, how, bullets, tt.learnThat, tt.how, tt.bullets)
		}
	}
}

// Rows, learn-about items and criteria per content area of the 2019 frameworks (Annex A of
// seed 002), and each task's word limit and supporting documents (Annex C).
func TestCAF2019CountsPerArea(t *testing.T) {
	lib := loadAll(t)
	tests := []struct {
		slug                  string
		rows, about, criteria []int
		behaviours            int
	}{
		{"npqml-2019", []int{2, 2, 3, 2, 3, 4}, []int{5, 8, 3, 4, 4, 8}, []int{3, 2, 2, 2, 3, 3}, 7},
		{"npqsl-2019", []int{4, 3, 2, 3, 3, 3}, []int{5, 5, 2, 2, 11, 4}, []int{2, 4, 2, 2, 2, 2}, 7},
		{"npqh-2019", []int{3, 3, 3, 2, 2, 3}, []int{5, 11, 5, 3, 7, 9}, []int{4, 4, 4, 3, 3, 3}, 7},
		{"npqel-2019", []int{3, 2, 3, 3, 3, 3}, []int{5, 4, 4, 4, 7, 11}, []int{3, 4, 4, 3, 3, 4}, 7},
	}
	for _, tt := range tests {
		fw := bySlug(t, lib, tt.slug)
		var rows, about, criteria []int
		for _, a := range fw.Areas {
			rows = append(rows, len(a.Rows))
			na, nc := 0, 0
			for _, r := range a.Rows {
				na += len(r.LearnAbout)
				nc += len(r.Criteria)
			}
			about = append(about, na)
			criteria = append(criteria, nc)
		}
		if fmt.Sprint(rows, about, criteria) != fmt.Sprint(tt.rows, tt.about, tt.criteria) || len(fw.LeadershipBehaviours) != tt.behaviours {
			t.Errorf("%s: rows %v about %v criteria %v behaviours %d", tt.slug, rows, about, criteria, len(fw.LeadershipBehaviours))
		}
	}
}

func TestCAF2019AssessmentTasks(t *testing.T) {
	lib := loadAll(t)
	type task struct {
		key       string
		limit     int
		criteria  int
		documents map[string]string
	}
	tests := []struct {
		slug  string
		total int
		tasks []task
	}{
		{"npqml-2019", 4500, []task{
			{"part-a", 0, 10, map[string]string{"1.1.1": "Raw Data Analysis", "2.1.3": "Pupil Performance data", "4.1.1": "Sponsor comments"}},
			{"part-b", 0, 6, map[string]string{"5.1.1": "Budget", "5.1.2": "Project Plan", "5.1.3": "Risk Register"}},
		}},
		{"npqsl-2019", 5000, []task{
			{"part-a", 0, 10, map[string]string{"1.2.1": "Raw Data Analysis", "2.2.3": "Pupil performance data", "3.2.1": "Sponsor Comments", "3.2.2": "Communications Plan", "4.2.1": "Sponsor Comments"}},
			{"part-b", 0, 4, map[string]string{"5.2.1": "Business Case", "5.2.2": "Risk Management Plan"}},
		}},
		{"npqh-2019", 0, []task{
			{"task-1", 4000, 15, map[string]string{"2.3.2": "Pupil Performance Data", "3.3.2": "Sponsor Comments", "3.3.3": "Presentation recording and feedback", "3.3.4": "Comms/Stakeholder engagement strategy"}},
			{"task-2", 2500, 6, map[string]string{"5.3.2": "Curriculum-led Budget"}},
		}},
		{"npqel-2019", 0, []task{
			{"task-1", 4000, 14, map[string]string{"3.4.1": "Presentation recording and feedback", "3.4.2": "Presentation recording and feedback"}},
			{"task-2", 4000, 12, map[string]string{"2.4.4": "Pupil performance data", "3.4.1": "Presentation recording and feedback", "3.4.2": "Presentation recording and feedback", "3.4.4": "Communications/ Stakeholder engagement plan, including Media handling"}},
		}},
	}
	for _, tt := range tests {
		a := bySlug(t, lib, tt.slug).Assessment
		if a.WordLimit != tt.total || len(a.Tasks) != len(tt.tasks) {
			t.Errorf("%s: total limit %d, %d tasks", tt.slug, a.WordLimit, len(a.Tasks))
			continue
		}
		for i, want := range tt.tasks {
			got := a.Tasks[i]
			docs := map[string]string{}
			for _, c := range got.Criteria {
				if len(c.SupportingDocuments) > 0 {
					docs[c.Code] = strings.Join(c.SupportingDocuments, "; ")
				}
			}
			if got.Key != want.key || got.WordLimit != want.limit || len(got.Criteria) != want.criteria || fmt.Sprint(docs) != fmt.Sprint(want.documents) {
				t.Errorf("%s %s: limit %d, %d criteria, documents %v", tt.slug, got.Key, got.WordLimit, len(got.Criteria), docs)
			}
		}
	}
}

// A sample of statements per framework, copied by hand from the source documents.
func TestSampleStatementsWordForWord(t *testing.T) {
	lib := loadAll(t)
	find := func(slug string, pick func(frameworks.Framework) string) string {
		return pick(bySlug(t, lib, slug))
	}
	tests := []struct{ name, got, want string }{
		{"npqel-2021 1/that/1", find("npqel-2021", func(f frameworks.Framework) string { return f.Areas[0].LearnThat[0].Text }),
			"High-quality teaching has a long-term positive effect on pupils’ life chances, particularly for children from disadvantaged backgrounds."},
		{"npqel-2021 1/how/1 lead", find("npqel-2021", func(f frameworks.Framework) string { return f.Areas[0].LearnHowTo[0].Lead }),
			"Establish and sustain the trust’s strategic direction, with those responsible for governance, including by:"},
		{"npqel-2021 1/how/1/1", find("npqel-2021", func(f frameworks.Framework) string { return f.Areas[0].LearnHowTo[0].Bullets[0] }),
			"Using a range of data, the expertise of the trust’s headteachers, other colleagues and experience of the wider community in its creation and ongoing refinement."},
		{"npqel-2021 1/that/8", find("npqel-2021", func(f frameworks.Framework) string { return f.Areas[0].LearnThat[7].Text }),
			"Building alignment of staff around the intended trust culture can create coherence in a trust and give direction and purpose to the staff’s work teaching pupils."},
		{"npqlt-2021 2/how/1 lead", find("npqlt-2021", func(f frameworks.Framework) string { return f.Areas[1].LearnHowTo[0].Lead }),
			"Contribute to the creation of a culture of high expectations across the school by:"},
		{"npqlt-2021 2/how/2/1 (page number removed)", find("npqlt-2021", func(f frameworks.Framework) string { return f.Areas[1].LearnHowTo[1].Bullets[0] }),
			"Involving colleagues in the creation of short-, medium- and long-term priorities that will lead to improved outcomes for pupils and communicate these priorities regularly."},
		{"npqlt-2021 3/that/1", find("npqlt-2021", func(f frameworks.Framework) string { return f.Areas[2].LearnThat[0].Text }),
			"Learning involves a lasting change in pupils’ capabilities or understanding."},
		{"npqltd-2021 2/that/1", find("npqltd-2021", func(f frameworks.Framework) string { return f.Areas[1].LearnThat[0].Text }),
			"Teaching quality is a crucial factor in raising pupil attainment."},
		{"npqltd-2021 2/how/1 lead", find("npqltd-2021", func(f frameworks.Framework) string { return f.Areas[1].LearnHowTo[0].Lead }),
			"Select evidence-based approaches and design effective professional development by:"},
		{"npqltd-2021 2/that/5", find("npqltd-2021", func(f frameworks.Framework) string { return f.Areas[1].LearnThat[4].Text }),
			"Whilst professional development may need to be sustained over time, what the time is used for, is more important than the amount."},
		{"npqml-2019 1.1.1", find("npqml-2019", func(f frameworks.Framework) string { return f.Areas[0].Rows[0].Criteria[0].Text }),
			"Deploys tools and techniques to manage and analyse data on pupil progress and attainment"},
		{"npqml-2019 3 row 1", find("npqml-2019", func(f frameworks.Framework) string { return f.Areas[2].Rows[0].LearnHowTo }),
			"Anticipate other peoples' views or feelings and moderate your approach accordingly"},
		{"npqsl-2019 behaviour", find("npqsl-2019", func(f frameworks.Framework) string { return f.LeadershipBehaviours[4].Description }),
			"The best leaders will know themselves and their teams, continually reflect on their own and others' practices, and understand how best to approach difficult or sensitive issues"},
		{"npqh-2019 task 2 placement", find("npqh-2019", func(f frameworks.Framework) string { return f.Assessment.Tasks[1].Setting }), "placement school"},
		{"npqel-2019 6.4.3 stem", find("npqel-2019", func(f frameworks.Framework) string {
			c := criterion(f, "6.4.3")
			return c.Stem + " " + c.Code + " " + c.Text
		}), "Evaluates the benefits and risks of different strategies in terms of: 6.4.3 the supply and demand of staff, including in key posts"},
		{"npqel-2019 3.4.4", find("npqel-2019", func(f frameworks.Framework) string { return criterion(f, "3.4.4").Text }),
			"Evaluates different strategies to publically promote and/or defend plans, including in the media, and implements recommended approach"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, tt.got, tt.want)
		}
	}
}

func criterion(f frameworks.Framework, code string) frameworks.Criterion {
	for _, a := range f.Areas {
		for _, r := range a.Rows {
			for _, c := range r.Criteria {
				if c.Code == code {
					return c
				}
			}
		}
	}
	return frameworks.Criterion{}
}

var artefacts = []struct {
	name string
	re   *regexp.Regexp
}{
	{"URL", regexp.MustCompile(`https?://|www\.|gov\.uk/`)},
	{"HTML tag", regexp.MustCompile(`</?(p|ul|li|br|strong)\b`)},
	{"Markdown emphasis", regexp.MustCompile(`\*\*`)},
	{"bullet marker", regexp.MustCompile(`^[•●▪-]\s|\s[•●]\s`)},
	{"trailing page number", regexp.MustCompile(`[.;:]\s+\d{1,2}$`)},
	{"bare page number", regexp.MustCompile(`^\d{1,3}$`)},
	{"reviewer annotation", regexp.MustCompile(`(?i)same as H\b|Catherine Stamp`)},
	{"leading statement number", regexp.MustCompile(`^\d+\.\s`)},
	// "peer- and self-assessment" is right; "develop- ment" is a hyphen left from a line end.
	{"line-end hyphen left open", regexp.MustCompile(`[a-z]- (?:[b-mp-z]|a[^n]|o[^r])`)},
}

// allTexts lists every piece of text in a framework with where it is.
func allTexts(fw frameworks.Framework) map[string]string {
	out := map[string]string{}
	for _, a := range fw.Areas {
		p := fmt.Sprintf("area %d", a.Number)
		out[p+" title"] = a.Title
		for i, s := range a.Introduction {
			out[fmt.Sprintf("%s introduction %d", p, i+1)] = s
		}
		for _, s := range a.LearnThat {
			out[fmt.Sprintf("%s that %d", p, s.Number)] = s.Text
			for i, b := range s.Bullets {
				out[fmt.Sprintf("%s that %d bullet %d", p, s.Number, i+1)] = b
			}
		}
		for _, h := range a.LearnHowTo {
			out[fmt.Sprintf("%s how %d", p, h.Number)] = h.Lead
			for i, b := range h.Bullets {
				out[fmt.Sprintf("%s how %d bullet %d", p, h.Number, i+1)] = b
			}
		}
		for r, row := range a.Rows {
			out[fmt.Sprintf("%s row %d", p, r+1)] = row.LearnHowTo
			for i, s := range row.LearnAbout {
				out[fmt.Sprintf("%s row %d about %d", p, r+1, i+1)] = s
			}
			for _, c := range row.Criteria {
				out["criterion "+c.Code] = c.Text
			}
		}
	}
	for i, b := range fw.LeadershipBehaviours {
		out[fmt.Sprintf("behaviour %d", i+1)] = b.Description
	}
	if a := fw.Assessment; a != nil {
		out["assessment summary"] = a.Summary
		for i, s := range append(append(append([]string{}, a.Requirements...), a.ProviderRequirements...), a.Footnotes...) {
			out[fmt.Sprintf("assessment text %d", i+1)] = s
		}
		for _, task := range a.Tasks {
			for i, s := range task.Requirements {
				out[fmt.Sprintf("%s requirement %d", task.Key, i+1)] = s
			}
		}
	}
	return out
}

func TestNoExtractionArtefactsSurvive(t *testing.T) {
	lib := loadAll(t)
	for _, fw := range lib.Frameworks {
		seen := map[string]string{}
		for where, text := range allTexts(fw) {
			for _, a := range artefacts {
				if a.re.MatchString(text) {
					t.Errorf("%s %s: %s in %q", fw.Slug, where, a.name, text)
				}
			}
			// The same statement twice in one area is a duplicated block. (The DfE frameworks do
			// repeat a statement in two different areas, and each task restates its requirements.)
			area, _, _ := strings.Cut(where, " that")
			area, _, _ = strings.Cut(area, " how")
			area, _, _ = strings.Cut(area, " row")
			if !strings.HasPrefix(where, "area ") || strings.Contains(where, "title") {
				continue
			}
			if other, dup := seen[area+"\x00"+text]; dup {
				t.Errorf("%s: %s repeats %s: %q", fw.Slug, where, other, text)
			}
			seen[area+"\x00"+text] = where
		}
	}
	// The "High Expectations (Standard 1)" block repeated in the NPQLT source is not content.
	for _, a := range bySlug(t, lib, "npqlt-2021").Areas {
		if strings.Contains(a.Title, "High Expectations") {
			t.Errorf("NPQLT has the scraped High Expectations block as area %d", a.Number)
		}
	}
}

func TestCatalogue(t *testing.T) {
	lib := loadAll(t)
	want := map[string]string{
		"NPQLTD": "npq-leading-teaching-development", "NPQLBC": "npq-leading-behaviour-culture", "NPQLT": "npq-leading-teaching",
		"NPQSL": "npq-senior-leadership", "NPQH": "npq-headship", "NPQEL": "npq-executive-leadership", "NPQML": "", "ASO": "npq-additional-support-offer",
	}
	if len(lib.Catalogue.Qualifications) != len(want) {
		t.Errorf("%d qualifications", len(lib.Catalogue.Qualifications))
	}
	for _, q := range lib.Catalogue.Qualifications {
		id, ok := want[q.Code]
		if !ok || id != q.CourseIdentifier {
			t.Errorf("%s: course identifier %q", q.Code, q.CourseIdentifier)
		}
		// Where a seed gives no statements, the catalogue says so instead of inventing them.
		if (q.Code == "NPQLBC" || q.Code == "NPQSL" || q.Code == "NPQH") && !strings.Contains(q.ContentNote, "not include") && !strings.Contains(q.ContentNote, "not included") {
			t.Errorf("%s: content note %q does not say the statements are missing", q.Code, q.ContentNote)
		}
	}
}
