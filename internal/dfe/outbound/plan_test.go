package outbound

import (
	"errors"
	"testing"
	"time"

	"npq/internal/dfe"
	"npq/internal/dfe/declarations"
)

func TestScheduleFor(t *testing.T) {
	tests := []struct {
		cohort, identifier string
		ok                 bool
		from               time.Time
		published          bool
	}{
		{"2024", "npq-leadership-autumn", true, declarations.D(2024, 10, 1), true},
		{"2025a", "npq-specialist-spring", true, declarations.D(2025, 2, 1), true},
		{"2026", "npq-leadership-autumn", true, declarations.D(2026, 10, 1), false},
		{"2026b", "npq-specialist-spring", true, declarations.D(2027, 1, 1), false},
		{"2026", "npq-ehco-november", true, declarations.D(2026, 11, 1), false},
		{"2026", "npq-ehco-march", true, declarations.D(2027, 3, 1), false},
		{"2026", "npq-aso-december", true, declarations.D(2026, 12, 1), false},
		{"", "npq-leadership-autumn", false, time.Time{}, false},
		{"20x6", "npq-leadership-autumn", false, time.Time{}, false},
		{"2026", "leadership-autumn", false, time.Time{}, false},
		{"2026", "npq-leadership-summer", false, time.Time{}, false},
	}
	for _, tt := range tests {
		s, ok := ScheduleFor(tt.cohort, tt.identifier)
		if ok != tt.ok {
			t.Errorf("%s %s: ok %v", tt.cohort, tt.identifier, ok)
			continue
		}
		if !ok {
			continue
		}
		if !s.AppliesFrom.Equal(tt.from) || (len(s.Deadlines) > 0) != tt.published {
			t.Errorf("%s %s: from %v, deadlines %v", tt.cohort, tt.identifier, s.AppliesFrom, s.Deadlines)
		}
	}
}

func TestParseState(t *testing.T) {
	for v, want := range map[string]State{"": StateDue, "due": StateDue, "sent": StateSent, "failed": StateFailed, "voided": StateVoided} {
		if got, ok := ParseState(v); !ok || got != want {
			t.Errorf("%q: %v %v", v, got, ok)
		}
	}
	if _, ok := ParseState("lost"); ok {
		t.Error("an unknown state was read")
	}
	if _, ok := ParseType("retained-3"); ok {
		t.Error("an unknown type was read")
	}
}

func TestAnswerOf(t *testing.T) {
	tests := []struct {
		err  error
		want Answer
	}{
		{nil, Accepted},
		{&dfe.APIError{Status: 422}, Refused},
		{&dfe.APIError{Status: 400}, Refused},
		{&dfe.APIError{Status: 410}, Refused},
		{&dfe.APIError{Status: 429}, Later},
		{&dfe.APIError{Status: 502}, Later},
		{&dfe.APIError{Status: 401}, Later},
		{errors.New("connection reset"), Later},
		{errors.Join(&dfe.APIError{Status: 503}, errors.New("look-up failed")), Later},
	}
	for _, tt := range tests {
		if got := AnswerOf(tt.err); got != tt.want {
			t.Errorf("%v: %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestPlan(t *testing.T) {
	s, _ := ScheduleFor("2024", "npq-leadership-autumn")
	today := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	first := time.Date(2024, 10, 14, 9, 0, 0, 0, time.UTC)
	ev := declarations.Evidence{Schedule: s, DeliveryPartnerID: "dp", Engagements: []declarations.Engagement{
		{ID: "attendance:1", At: first},
		{ID: "completion:2", At: time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC)},
	}}
	started := Held{Type: declarations.Started, Date: first, Evidence: []string{"attendance:1"}}
	with := func(st State) []Held { h := started; h.State = st; return []Held{h} }
	types := func(ds []declarations.Due) []declarations.Type {
		var out []declarations.Type
		for _, d := range ds {
			out = append(out, d.Type)
		}
		return out
	}
	tests := []struct {
		name string
		held []Held
		want []declarations.Type
	}{
		{"nothing held: started and retained-1", nil, []declarations.Type{declarations.Started, declarations.Retained1}},
		{"started due: retained-1 follows it", with(StateDue), []declarations.Type{declarations.Retained1}},
		{"started sent", with(StateSent), []declarations.Type{declarations.Retained1}},
		{"started refused by DfE: nothing until it is resolved", with(StateFailed), nil},
		{"started voided: not derived again from the same evidence", with(StateVoided), nil},
	}
	for _, tt := range tests {
		got := types(Plan(ev, tt.held, nil, today).Due)
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || (len(got) > 1 && got[1] != tt.want[1]) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// New evidence earns a voided type again.
	voided := with(StateVoided)
	voided[0].Evidence = []string{"attendance:0"}
	if got := types(Plan(ev, voided, nil, today).Due); len(got) != 2 || got[0] != declarations.Started {
		t.Errorf("after new evidence: %v", got)
	}
}

func TestEvidenceWords(t *testing.T) {
	for id, want := range map[string]string{
		"attendance:12": "Attended a session (booking 12)",
		"completion:4":  "Completed an activity (record 4)",
		"outcome:7":     "Released assessment outcome (submission 7)",
		"import:3":      "import:3",
	} {
		if got := EvidenceWords(id); got != want {
			t.Errorf("%s: %q", id, got)
		}
	}
}

func TestPlanOutcomes(t *testing.T) {
	s, _ := ScheduleFor("2024", "npq-leadership-autumn")
	today := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	failedOn := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	passedOn := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	no, yes := false, true
	ev := declarations.Evidence{Schedule: s, DeliveryPartnerID: "dp", Outcomes: []declarations.Outcome{
		{ID: "outcome:1", Passed: false, ReleasedAt: failedOn}, {ID: "outcome:2", Passed: true, ReleasedAt: passedOn}}}
	var live []Held
	for i, typ := range []declarations.Type{declarations.Started, declarations.Retained1, declarations.Retained2} {
		live = append(live, Held{Type: typ, Date: time.Date(2024, time.October, 10, 9, 0, 0, 0, time.UTC).AddDate(0, 7*i, 0), State: StateSent, DfEState: "eligible"})
	}
	completed := Held{Type: declarations.Completed, Date: failedOn, State: StateSent, DfEState: "eligible", HasPassed: &no}
	with := func(h Held) []Held { return append(append([]Held(nil), live...), h) }
	tests := []struct {
		name     string
		held     []Held
		outcomes []HeldOutcome
		want     []bool // the passed of each outcome due
	}{
		{"no completed declaration: completed as failed, then the pass", live, nil, []bool{true}},
		{"completed as failed, a later pass: passed is due", with(completed), nil, []bool{true}},
		{"the pass already sent: none", with(completed), []HeldOutcome{{Passed: true, CompletionDate: declarations.D(2026, 6, 1), State: StateSent}}, nil},
		{"the pass due: none", with(completed), []HeldOutcome{{Passed: true, CompletionDate: declarations.D(2026, 6, 1), State: StateDue}}, nil},
		{"completed as passed: none", with(Held{Type: declarations.Completed, Date: failedOn, State: StateSent, HasPassed: &yes}), nil, nil},
	}
	for _, tt := range tests {
		var got []bool
		for _, o := range Plan(ev, tt.held, tt.outcomes, today).Outcomes {
			got = append(got, o.Passed)
		}
		if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
