package lifecycle

import (
	"strings"
	"testing"
	"time"

	"npq/internal/programme"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReasonCodesAreDfEs(t *testing.T) {
	if len(DeferralReasons) != 5 || len(WithdrawalReasons) != 21 {
		t.Errorf("%d deferral and %d withdrawal reasons", len(DeferralReasons), len(WithdrawalReasons))
	}
	if !ValidReason(KindWithdrawal, "quality-of-programme-structure-not-suitable.") || ValidReason(KindWithdrawal, "quality-of-programme-structure-not-suitable") {
		t.Error("the trailing full stop is part of the code")
	}
	if ValidReason(KindDeferral, "moved-school") || !ValidReason(KindDeferral, "career-break") || ValidReason(KindDeferral, "") {
		t.Error("deferral codes")
	}
}

func TestDeferralEligibility(t *testing.T) {
	paid := d("2026-08-01")
	tests := []struct {
		name string
		f    Facts
		want string
	}{
		{"started, scholarship", Facts{FundingRoute: programme.FundingScholarship, StartsOn: d("2026-09-01")}, ""},
		{"started, paid", Facts{FundingRoute: programme.FundingSchoolFunded, PaymentReceivedOn: &paid, StartsOn: d("2026-09-01")}, ""},
		{"not started", Facts{FundingRoute: programme.FundingScholarship, StartsOn: d("2027-01-01")}, "has not started"},
		{"not paid", Facts{FundingRoute: programme.FundingSelfFunded, StartsOn: d("2026-09-01")}, "payment"},
		{"neither", Facts{FundingRoute: programme.FundingSchoolFunded, StartsOn: d("2027-01-01")}, "has not started|payment"},
	}
	for _, tt := range tests {
		got := strings.Join(DeferralProblems(tt.f, d("2026-11-23")), "|")
		for w := range strings.SplitSeq(tt.want, "|") {
			if (tt.want == "") != (got == "") || !strings.Contains(got, w) {
				t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			}
		}
	}
}

func TestStateRules(t *testing.T) {
	tests := []struct {
		kind   Kind
		status programme.Status
		ok     bool
	}{
		{KindDeferral, programme.StatusActive, true},
		{KindWithdrawal, programme.StatusActive, true},
		{KindWithdrawal, programme.StatusDeferred, true},
		{KindDeferral, programme.StatusDeferred, false},
		{KindDeferral, programme.StatusWithdrawn, false},
		{KindWithdrawal, programme.StatusWithdrawn, false},
		{KindDeferral, programme.StatusCompleted, false},
	}
	for _, tt := range tests {
		if got := StateProblem(tt.kind, tt.status) == ""; got != tt.ok {
			t.Errorf("%s while %s: allowed %v", tt.kind, tt.status, got)
		}
	}
	if StateProblem(KindDeferral, programme.StatusWithdrawn) != "A withdrawn participant cannot defer" {
		t.Error("withdrawn deferral message")
	}
	if ReturnTooLate(d("2026-12-01"), d("2027-12-01")) || !ReturnTooLate(d("2026-12-01"), d("2027-12-02")) {
		t.Error("12-month limit")
	}
}

func blocks(done ...string) []programme.Block {
	var out []programme.Block
	for i, spec := range done {
		b := programme.Block{ID: int64(i + 1), Position: i + 1, Title: "Block"}
		for j, c := range spec {
			b.Items = append(b.Items, programme.Item{ID: int64(i*10 + j), Required: true, Completed: c == 'D'})
		}
		out = append(out, b)
	}
	return out
}

func schedule(id, partner int64, opens ...string) CohortSchedule {
	c := CohortSchedule{CohortID: id, PartnerID: partner, BlockOpens: map[int]time.Time{}, BlockIDs: map[int]int64{}}
	for i, o := range opens {
		c.BlockOpens[i+1] = d(o)
		c.BlockIDs[i+1] = int64(100*id + int64(i) + 1)
	}
	return c
}

func TestStoppedAt(t *testing.T) {
	if s := StoppedAt(blocks("DD", "DR", "RR")); s.ResumeBlock != 2 {
		t.Errorf("part-way through block 2: %+v", s)
	}
	if s := StoppedAt(blocks("DD", "DD", "RR")); s.ResumeBlock != 3 {
		t.Errorf("finished block 2: %+v", s)
	}
	if s := StoppedAt(blocks("RR", "RR")); s.ResumeBlock != 1 {
		t.Errorf("nothing done: %+v", s)
	}
}

func TestPlanReturn(t *testing.T) {
	own, other := int64(1), int64(2)
	tests := []struct {
		name       string
		stopped    Stopped
		planned    string
		candidates []CohortSchedule
		cohort     int64
		returnOn   string
		ok         bool
	}{
		{"no cohort fits", Stopped{ResumeBlock: 3}, "2027-09-01",
			[]CohortSchedule{schedule(10, own, "2026-01-01", "2026-05-01", "2026-09-01", "2027-01-01")}, 0, "", false},
		{"several fit: the earliest", Stopped{ResumeBlock: 2}, "2027-09-01",
			[]CohortSchedule{schedule(10, own, "2027-09-01", "2028-02-01"), schedule(11, other, "2027-05-01", "2027-10-01")}, 11, "2027-10-01", true},
		{"equal dates: own partner first", Stopped{ResumeBlock: 2}, "2027-09-01",
			[]CohortSchedule{schedule(11, other, "2027-05-01", "2027-10-01"), schedule(10, own, "2027-05-01", "2027-10-01")}, 10, "2027-10-01", true},
		{"planned date mid-block: wait for the block's start", Stopped{ResumeBlock: 2}, "2027-07-15",
			[]CohortSchedule{schedule(10, own, "2027-03-01", "2027-06-01"), schedule(12, own, "2027-09-01", "2028-01-01")}, 12, "2028-01-01", true},
		{"finished a block: resumes at the next", StoppedAt(blocks("DD", "DD", "RR")), "2027-03-01",
			[]CohortSchedule{schedule(10, own, "2026-09-01", "2027-01-01", "2027-05-01")}, 10, "2027-05-01", true},
		{"block starts on the planned date", Stopped{ResumeBlock: 1}, "2027-09-01",
			[]CohortSchedule{schedule(10, own, "2027-09-01")}, 10, "2027-09-01", true},
	}
	for _, tt := range tests {
		p, ok := PlanReturn(tt.stopped, d(tt.planned), own, tt.candidates)
		if ok != tt.ok || (ok && (p.CohortID != tt.cohort || !p.ReturnOn.Equal(d(tt.returnOn)))) {
			t.Errorf("%s: %+v %v", tt.name, p, ok)
		}
	}
	p, _ := PlanReturn(Stopped{ResumeBlock: 2}, d("2027-09-01"), own, []CohortSchedule{schedule(11, other, "2027-05-01", "2027-10-01")})
	if !strings.Contains(p.Note, "30 days after the planned return") || !strings.Contains(p.Note, "another delivery partner") || p.BlockID != 1102 {
		t.Errorf("note %q, block %d", p.Note, p.BlockID)
	}
}

func TestDueForReturnCheck(t *testing.T) {
	today := d("2026-11-23")
	for ret, want := range map[string]bool{"2027-02-23": true, "2027-02-24": false, "2026-11-01": true} {
		if got := DueForReturnCheck(d(ret), today); got != want {
			t.Errorf("%s: %v", ret, got)
		}
	}
}

func TestAskReturnProblem(t *testing.T) {
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	at := func(days int) *time.Time { t := now.AddDate(0, 0, -days); return &t }
	yes, no := Returning, NotReturning
	tests := []struct {
		name   string
		asked  *time.Time
		answer *ReturnAnswer
		want   string
	}{
		{"never asked", nil, nil, ""},
		{"asked a moment ago", at(0), nil, "You can remind them from"},
		{"asked six days ago", at(6), nil, "You can remind them from"},
		{"asked a week ago, no answer", at(7), nil, ""},
		{"answered yes", at(30), &yes, "will return"},
		{"answered no", at(30), &no, "will not return"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AskReturnProblem(tt.asked, tt.answer, now)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
