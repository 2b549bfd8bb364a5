package programme

import (
	"strings"
	"testing"
	"time"

	"npq/internal/problem"
)

func summary(ps problem.Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+": "+p.Message)
	}
	return strings.Join(out, "|")
}

func TestCohortDraftCheck(t *testing.T) {
	good := func() CohortDraft {
		return CohortDraft{NewCohort: NewCohort{CourseID: 1, PartnerID: 2, Name: "NPQH Autumn 2027", ScheduleIdentifier: "npq-leadership-autumn",
			StartsOn: date("2027-10-01"), StudyEndsOn: date("2029-04-01"), AssessmentOpensOn: date("2029-04-01"), AssessmentClosesOn: date("2029-07-01")},
			Blocks: []Block{{ID: 11, Position: 1, OpensOn: date("2027-10-01")}, {ID: 12, Position: 2, OpensOn: date("2028-02-15")}}}
	}
	for _, tt := range []struct {
		name   string
		change func(*CohortDraft)
		want   string
	}{
		{"good", func(*CohortDraft) {}, ""},
		{"no name", func(d *CohortDraft) { d.Name = "" }, "name: Enter the cohort name"},
		{"long name", func(d *CohortDraft) { d.Name = strings.Repeat("n", 201) }, "name: Cohort name must be 200 characters or fewer"},
		{"study ends as it starts", func(d *CohortDraft) { d.StudyEndsOn = d.StartsOn }, "study_ends_on-day: End of study must be after the start date"},
		{"study ends before it starts", func(d *CohortDraft) { d.StudyEndsOn = date("2026-04-01") }, "study_ends_on-day: End of study must be after the start date"},
		{"start not read", func(d *CohortDraft) { d.StartsOn = time.Time{}; d.Blocks[1].OpensOn = date("2030-01-01") }, ""},
		{"a block before the start", func(d *CohortDraft) { d.Blocks[0].OpensOn = date("2027-09-30") }, "block_11-day: Block 1 must open between the start date and the end of study"},
		{"a block as study ends", func(d *CohortDraft) { d.Blocks[1].OpensOn = d.StudyEndsOn }, "block_12-day: Block 2 must open between the start date and the end of study"},
		{"a block after study ends", func(d *CohortDraft) { d.Blocks[1].OpensOn = date("2030-01-01") }, "block_12-day: Block 2 must open between the start date and the end of study"},
		{"a block date not read", func(d *CohortDraft) { d.Blocks[1].OpensOn = time.Time{} }, ""},
		{"blocks and assessment unchecked when study is wrong", func(d *CohortDraft) {
			d.StudyEndsOn = date("2026-04-01")
			d.Blocks[1].OpensOn, d.AssessmentOpensOn = date("2030-01-01"), date("2026-03-01")
		}, "study_ends_on-day: End of study must be after the start date"},
		{"assessment opens before study ends", func(d *CohortDraft) { d.AssessmentOpensOn = date("2029-03-31") },
			"assessment_opens-day: The assessment window must open on or after the end of study"},
		{"assessment closes as it opens", func(d *CohortDraft) { d.AssessmentClosesOn = d.AssessmentOpensOn },
			"assessment_closes-day: The assessment window must close after it opens"},
		{"assessment closes before it opens", func(d *CohortDraft) { d.AssessmentClosesOn = date("2028-07-01") },
			"assessment_closes-day: The assessment window must close after it opens"},
		{"closing unchecked when opening is wrong", func(d *CohortDraft) {
			d.AssessmentOpensOn, d.AssessmentClosesOn = date("2029-01-01"), date("2028-12-01")
		}, "assessment_opens-day: The assessment window must open on or after the end of study"},
		{"assessment dates not read", func(d *CohortDraft) { d.AssessmentOpensOn, d.AssessmentClosesOn = time.Time{}, date("2020-01-01") }, ""},
		{"end of study not read", func(d *CohortDraft) { d.StudyEndsOn = time.Time{}; d.AssessmentOpensOn = date("2020-01-01") }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := good()
			tt.change(&d)
			if got := summary(d.Check()); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCohortDraftCohort(t *testing.T) {
	d := CohortDraft{NewCohort: NewCohort{Name: "A"}, Blocks: []Block{{ID: 11, OpensOn: date("2027-10-01")}, {ID: 12, OpensOn: date("2028-02-15")}}}
	n := d.Cohort()
	if n.Name != "A" || len(n.BlockOpens) != 2 || !n.BlockOpens[12].Equal(date("2028-02-15")) {
		t.Errorf("got %+v", n)
	}
}

func TestNewItemCheck(t *testing.T) {
	many := make([]string, MaxItemStatements+1)
	for _, tt := range []struct {
		name string
		n    NewItem
		want string
	}{
		{"good", NewItem{Kind: KindWebinar, Title: "Webinar", Statements: many[:MaxItemStatements]}, ""},
		{"nothing", NewItem{}, "kind: Choose the kind of activity|title: Enter the title"},
		{"a made-up kind", NewItem{Kind: "lecture", Title: "Webinar"}, "kind: Choose one of the kinds listed"},
		{"long title", NewItem{Kind: KindWebinar, Title: strings.Repeat("t", 201)}, "title: Title must be 200 characters or fewer"},
		{"long content", NewItem{Kind: KindWebinar, Title: "Webinar", Body: strings.Repeat("b", 20001)}, "body: Content must be 20000 characters or fewer"},
		{"too many statements", NewItem{Kind: KindWebinar, Title: "Webinar", Statements: many}, "statements: Choose 500 statements or fewer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(tt.n.Check()); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
