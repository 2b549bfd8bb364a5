package lifecycle

import (
	"strings"
	"testing"

	"npq/internal/problem"
	"npq/internal/programme"
)

func summary(ps problem.Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+": "+p.Message)
	}
	return strings.Join(out, "|")
}

func TestRefundApplies(t *testing.T) {
	for _, tt := range []struct {
		kind  Kind
		route programme.FundingRoute
		want  bool
	}{
		{KindWithdrawal, programme.FundingSchoolFunded, true},
		{KindWithdrawal, programme.FundingSelfFunded, true},
		{KindWithdrawal, programme.FundingScholarship, false},
		{KindDeferral, programme.FundingSchoolFunded, false},
	} {
		if got := RefundApplies(tt.kind, tt.route); got != tt.want {
			t.Errorf("RefundApplies(%s, %s) = %v", tt.kind, tt.route, got)
		}
	}
}

func TestDecisionDraftCheck(t *testing.T) {
	deferral := func(effective, back string) DecisionDraft {
		dd := DecisionDraft{Choice: ChoiceApprove, Kind: KindDeferral, FundingRoute: programme.FundingSchoolFunded}
		if effective != "" {
			dd.EffectiveOn = d(effective)
		}
		if back != "" {
			dd.ReturnOn = d(back)
		}
		return dd
	}
	withdrawal := func(route programme.FundingRoute, refund string) DecisionDraft {
		dd := DecisionDraft{Choice: ChoiceApprove, Kind: KindWithdrawal, FundingRoute: route}
		dd.Refund = refund
		return dd
	}
	refusal := func(notes string) DecisionDraft {
		dd := DecisionDraft{Choice: ChoiceRefuse, Kind: KindDeferral}
		dd.Notes = notes
		return dd
	}
	excused := deferral("2026-12-01", "2028-01-10")
	excused.ExceptionReason = "Long illness"
	longNotes := withdrawal(programme.FundingSchoolFunded, "none")
	longNotes.Notes = strings.Repeat("n", 2001)
	for _, tt := range []struct {
		name string
		d    DecisionDraft
		want string
	}{
		{"no choice", DecisionDraft{Kind: KindDeferral}, "decision: Choose approve or refuse"},
		{"a made-up choice", DecisionDraft{Choice: "maybe", Kind: KindWithdrawal}, "decision: Choose approve or refuse"},
		{"a refusal says why", refusal(""), "notes: Say why the request is refused: it goes in the letter"},
		{"a refusal with its reason", refusal("Not enough evidence"), ""},
		{"a long reason", refusal(strings.Repeat("n", 2001)), "notes: Notes must be 2000 characters or fewer"},
		{"a deferral", deferral("2026-12-01", "2027-09-01"), ""},
		{"returning as it starts", deferral("2026-12-01", "2026-12-01"), "return_on-day: Return date must be after the effective date"},
		{"returning before it starts", deferral("2026-12-01", "2026-11-01"), "return_on-day: Return date must be after the effective date"},
		{"twelve months exactly", deferral("2026-12-01", "2027-12-01"), ""},
		{"over twelve months", deferral("2026-12-01", "2027-12-02"),
			"exception: The return is more than 12 months after the deferral starts: record the reason for the exception"},
		{"over twelve months with a reason", excused, ""},
		{"effective date not read", deferral("", "2026-11-01"), ""},
		{"return date not read", deferral("2026-12-01", ""), ""},
		{"a deferral has no refund", deferral("2026-12-01", "2027-09-01"), ""},
		{"a paid place needs a refund decision", withdrawal(programme.FundingSelfFunded, ""), "refund: Record the refund decision"},
		{"a made-up refund", withdrawal(programme.FundingSchoolFunded, "some"), "refund: Record the refund decision"},
		{"no refund", withdrawal(programme.FundingSchoolFunded, "none"), ""},
		{"a partial refund", withdrawal(programme.FundingSchoolFunded, "partial"), ""},
		{"a full refund", withdrawal(programme.FundingSchoolFunded, "full"), ""},
		{"a scholarship place has no refund", withdrawal(programme.FundingScholarship, ""), ""},
		{"long notes on an approval", longNotes, "notes: Notes must be 2000 characters or fewer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(tt.d.Check()); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
