package partner

import (
	"testing"

	"npq/internal/programme"
)

func TestRosterViewWords(t *testing.T) {
	cohort := programme.Cohort{Participants: 40}
	for _, tt := range []struct {
		name                string
		v                   RosterView
		matching, csv, sort string
	}{
		{"everyone", RosterView{Cohort: cohort, Matching: 40, Sort: "name", Dir: "asc"}, "40 participants", "Download the roster (CSV)", "name, A to Z"},
		{"one match", RosterView{Cohort: cohort, Matching: 1, Filter: programme.RosterFilter{Query: "amara"}, Sort: "activity", Dir: "desc"},
			"Showing 1 of 40 participants", "Download this participant (CSV)", "last active, most recent first"},
		{"some", RosterView{Cohort: cohort, Matching: 3, Filter: programme.RosterFilter{Status: programme.StatusDeferred}, Sort: "progress", Dir: "asc"},
			"Showing 3 of 40 participants", "Download these 3 participants (CSV)", "progress, least first"},
		{"one person", RosterView{Cohort: programme.Cohort{Participants: 1}, Matching: 1, Sort: "block", Dir: "desc"}, "1 participant", "Download the roster (CSV)", "current block, latest first"},
	} {
		if got := tt.v.MatchingLabel(); got != tt.matching {
			t.Errorf("%s: matching %q", tt.name, got)
		}
		if got := tt.v.CSVLabel(); got != tt.csv {
			t.Errorf("%s: csv %q", tt.name, got)
		}
		if got := tt.v.SortedBy(); got != tt.sort {
			t.Errorf("%s: sorted by %q", tt.name, got)
		}
	}
	v := RosterView{BasePath: "/partner/cohorts/7", Sort: "name", Dir: "asc", InactiveDays: 14, Filter: programme.RosterFilter{Query: "oak"}}
	if got := v.SortHref("name"); got != "/partner/cohorts/7?dir=desc&q=oak&sort=name" {
		t.Errorf("sort href %q", got)
	}
	if got := v.SortMarker("name") + v.SortMarker("progress"); got != "▲" {
		t.Errorf("markers %q", got)
	}
	if got := v.CSVHref(); got != "/partner/cohorts/7/roster.csv?dir=asc&q=oak&sort=name" {
		t.Errorf("csv href %q", got)
	}
	if got := (RosterView{BasePath: "/admin/cohorts/7", InactiveDays: 21}).EngagementHref(programme.EngagementInactive); got != "/admin/cohorts/7?engagement=inactive&inactive=21" {
		t.Errorf("engagement href %q", got)
	}
}
