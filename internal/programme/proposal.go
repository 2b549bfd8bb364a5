package programme

import (
	"math"
	"time"
)

// DatesProposal is the dates a new cohort is offered from its start date and its course's
// schedule: the end of study, the assessment window and the day each block opens.
type DatesProposal struct {
	StartsOn, StudyEndsOn, AssessmentOpensOn, AssessmentClosesOn time.Time
	BlockOpens                                                   []time.Time // in block order
}

// ProposeDates proposes a cohort's dates from its start date and its course's schedule.
// Study lasts the course's study months; the assessment window opens when study ends and
// lasts the course's assessment months (at least one); the blocks share the study period
// evenly, each opening on the same day of the week as the start, to the nearest week. School
// holidays are not modelled: the admin moves a block that opens in one.
func ProposeDates(start time.Time, c Course, blocks int) DatesProposal {
	p := DatesProposal{StartsOn: start, StudyEndsOn: start.AddDate(0, max(c.StudyMonths, 1), 0)}
	p.AssessmentOpensOn = p.StudyEndsOn
	p.AssessmentClosesOn = p.StudyEndsOn.AddDate(0, max(c.AssessmentMonths, 1), 0)
	weeks := p.StudyEndsOn.Sub(start).Hours() / 24 / 7
	for i := range blocks {
		opens := start.AddDate(0, 0, 7*int(math.Round(float64(i)*weeks/float64(blocks))))
		if !opens.Before(p.StudyEndsOn) {
			opens = p.StudyEndsOn.AddDate(0, 0, -1)
		}
		p.BlockOpens = append(p.BlockOpens, opens)
	}
	return p
}

// BlockEndsOn is the last day of block i: the day before the next block opens, or the end of
// study for the last block.
func (p DatesProposal) BlockEndsOn(i int) time.Time {
	if i+1 < len(p.BlockOpens) && p.BlockOpens[i+1].After(p.BlockOpens[i]) {
		return p.BlockOpens[i+1].AddDate(0, 0, -1)
	}
	return p.StudyEndsOn
}
