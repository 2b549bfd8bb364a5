package server

import (
	"testing"

	"npq/internal/programme"
)

// An admin chooses among the cohorts of the partner the list is filtered by (and keeps the
// cohort it is filtered by); partner staff among all theirs.
func TestCohortOptions(t *testing.T) {
	cohorts := []programme.Cohort{
		{ID: 1, Name: "NPQH Spring", CourseID: 7, CourseName: "NPQ in Headship", PartnerID: 10, PartnerName: "Barnsley"},
		{ID: 2, Name: "NPQSL Autumn", CourseID: 8, CourseName: "NPQ in Senior Leadership", PartnerID: 10, PartnerName: "Barnsley"},
		{ID: 3, Name: "NPQH Autumn", CourseID: 7, CourseName: "NPQ in Headship", PartnerID: 11, PartnerName: "Camden"},
	}
	values := func(o filterOptions) (cohorts []string) {
		for _, c := range o.cohorts[1:] {
			cohorts = append(cohorts, c.Value)
		}
		return cohorts
	}
	for _, tt := range []struct {
		name            string
		admin           bool
		partner, cohort string
		want            []string
		hint            bool
	}{
		{"partner staff see all theirs", false, "", "", []string{"1", "2", "3"}, false},
		{"an admin with no partner chosen", true, "", "", nil, true},
		{"an admin with a partner chosen", true, "10", "", []string{"1", "2"}, false},
		{"an admin keeps the chosen cohort", true, "", "3", []string{"3"}, true},
		{"an admin with another partner's cohort chosen", true, "10", "3", []string{"1", "2", "3"}, false},
	} {
		o := cohortOptions(cohorts, tt.admin, tt.partner, tt.cohort)
		if got := values(o); len(got) != len(tt.want) || (len(got) > 0 && got[len(got)-1] != tt.want[len(tt.want)-1]) {
			t.Errorf("%s: cohorts %v, want %v", tt.name, got, tt.want)
		}
		if (o.cohortHint != "") != tt.hint {
			t.Errorf("%s: hint %q", tt.name, o.cohortHint)
		}
		if len(o.courses) != 3 || len(o.partners) != 3 || o.courses[1].Label != "NPQ in Headship" || o.partners[2].Label != "Camden" {
			t.Errorf("%s: courses %v, partners %v", tt.name, o.courses, o.partners)
		}
	}
	if o := cohortOptions(cohorts, true, "10", ""); o.cohorts[1].Label != "NPQH Spring (Barnsley)" {
		t.Errorf("an admin's cohort is named with its partner: %q", o.cohorts[1].Label)
	}
}
