package programme

import (
	"testing"
	"time"
)

func TestProposeDates(t *testing.T) {
	d := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	day := func(v time.Time) string { return v.Format("2006-01-02") }
	for _, tt := range []struct {
		name                                 string
		start                                string
		course                               Course
		blocks                               int
		studyEnds, assessOpens, assessCloses string
		opens                                []string
	}{
		{"18 months, 6 blocks, from a Monday", "2026-09-07", Course{StudyMonths: 18, AssessmentMonths: 3}, 6,
			"2028-03-07", "2028-03-07", "2028-06-07",
			[]string{"2026-09-07", "2026-12-07", "2027-03-08", "2027-06-07", "2027-09-06", "2027-12-06"}},
		{"12 months, 4 blocks", "2026-10-01", Course{StudyMonths: 12, AssessmentMonths: 2}, 4,
			"2027-10-01", "2027-10-01", "2027-12-01",
			[]string{"2026-10-01", "2026-12-31", "2027-04-01", "2027-07-01"}},
		{"one block opens on the start", "2026-09-07", Course{StudyMonths: 6, AssessmentMonths: 1}, 1,
			"2027-03-07", "2027-03-07", "2027-04-07", []string{"2026-09-07"}},
		{"no blocks", "2026-09-07", Course{StudyMonths: 6, AssessmentMonths: 1}, 0,
			"2027-03-07", "2027-03-07", "2027-04-07", nil},
		{"no assessment months still gives a window", "2026-09-07", Course{StudyMonths: 1, AssessmentMonths: 0}, 2,
			"2026-10-07", "2026-10-07", "2026-11-07", []string{"2026-09-07", "2026-09-21"}},
		{"more blocks than weeks stay inside study", "2026-09-07", Course{StudyMonths: 1, AssessmentMonths: 1}, 10,
			"2026-10-07", "2026-10-07", "2026-11-07",
			[]string{"2026-09-07", "2026-09-07", "2026-09-14", "2026-09-14", "2026-09-21", "2026-09-21", "2026-09-28", "2026-09-28", "2026-09-28", "2026-10-05"}},
		{"leap day start", "2028-02-29", Course{StudyMonths: 12, AssessmentMonths: 3}, 2,
			"2029-03-01", "2029-03-01", "2029-06-01", []string{"2028-02-29", "2028-08-29"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := ProposeDates(d(tt.start), tt.course, tt.blocks)
			if day(p.StudyEndsOn) != tt.studyEnds || day(p.AssessmentOpensOn) != tt.assessOpens || day(p.AssessmentClosesOn) != tt.assessCloses {
				t.Errorf("study ends %s, assessment %s to %s; want %s, %s to %s", day(p.StudyEndsOn), day(p.AssessmentOpensOn),
					day(p.AssessmentClosesOn), tt.studyEnds, tt.assessOpens, tt.assessCloses)
			}
			if len(p.BlockOpens) != len(tt.opens) {
				t.Fatalf("%d blocks, want %d", len(p.BlockOpens), len(tt.opens))
			}
			for i, o := range p.BlockOpens {
				if day(o) != tt.opens[i] {
					t.Errorf("block %d opens %s, want %s", i+1, day(o), tt.opens[i])
				}
				// Every proposal passes the cohort rules.
				if o.Before(p.StartsOn) || !o.Before(p.StudyEndsOn) {
					t.Errorf("block %d opens %s, outside study", i+1, day(o))
				}
			}
		})
	}
}

func TestDatesProposalBlockEndsOn(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	p := DatesProposal{StudyEndsOn: d("2027-03-07"), BlockOpens: []time.Time{d("2026-09-07"), d("2026-11-02"), d("2026-11-02"), d("2027-01-04")}}
	for i, want := range []string{"2026-11-01", "2027-03-07", "2027-01-03", "2027-03-07"} {
		if got := p.BlockEndsOn(i).Format("2006-01-02"); got != want {
			t.Errorf("block %d ends %s, want %s", i+1, got, want)
		}
	}
}
