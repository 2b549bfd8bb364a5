package reconcile

import (
	"slices"
	"testing"
	"time"
)

func kinds(ms []Mismatch) []Kind {
	var out []Kind
	for _, m := range ms {
		out = append(out, m.Kind)
	}
	return out
}

func TestCompare(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 10, d, 12, 0, 0, 0, time.UTC) }
	ours := func(change func(*Ours)) *Ours {
		o := &Ours{EnrolmentID: 7, ParticipantID: "p1", Course: "npq-headship", Status: "active", Schedule: "npq-leadership-autumn",
			Cohort: "2026", Declarations: []OurDeclaration{{ID: 9, DfEID: "d1", Type: "started", Date: day(3)}}}
		if change != nil {
			change(o)
		}
		return o
	}
	theirs := func(change func(*Theirs)) *Theirs {
		t := &Theirs{ParticipantID: "p1", Course: "npq-headship", Name: "Amara Okafor", TrainingStatus: "active",
			Schedule: "npq-leadership-autumn", Cohort: "2026", Declarations: []TheirDeclaration{{DfEID: "d1", Type: "started", Date: day(3), State: "eligible"}}}
		if change != nil {
			change(t)
		}
		return t
	}
	tests := []struct {
		name   string
		ours   *Ours
		theirs *Theirs
		want   []Kind
	}{
		{"the same", ours(nil), theirs(nil), nil},
		{"neither", nil, nil, nil},
		{"a completed participant is active at DfE", ours(func(o *Ours) { o.Status = "completed" }), theirs(nil), nil},
		{"we hold no schedule or cohort", ours(func(o *Ours) { o.Schedule, o.Cohort = "", "" }), theirs(nil), nil},
		{"DfE does not list our enrolment", ours(nil), nil, []Kind{NotAtDfE}},
		{"no enrolment carries DfE's participant", nil, theirs(nil), []Kind{NotOurs}},
		{"deferred here, active at DfE", ours(func(o *Ours) { o.Status = "deferred" }), theirs(nil), []Kind{TrainingStatus}},
		{"withdrawn at DfE", ours(nil), theirs(func(t *Theirs) { t.TrainingStatus = "withdrawn" }), []Kind{TrainingStatus}},
		{"another schedule", ours(nil), theirs(func(t *Theirs) { t.Schedule = "npq-leadership-spring" }), []Kind{Schedule}},
		{"another cohort", ours(nil), theirs(func(t *Theirs) { t.Cohort = "2025" }), []Kind{Cohort}},
		{"our declaration is not listed", ours(nil), theirs(func(t *Theirs) { t.Declarations = nil }), []Kind{DeclNotAtDfE}},
		{"DfE voided ours", ours(nil), theirs(func(t *Theirs) { t.Declarations[0].State = "voided" }), []Kind{DeclVoidedAtDfE}},
		{"DfE is clawing ours back", ours(nil), theirs(func(t *Theirs) { t.Declarations[0].State = "awaiting_clawback" }), []Kind{DeclVoidedAtDfE}},
		{"DfE holds another date", ours(nil), theirs(func(t *Theirs) { t.Declarations[0].Date = day(4) }), []Kind{DeclarationDate}},
		{"the same London day", ours(nil), theirs(func(t *Theirs) { t.Declarations[0].Date = day(3).Add(9 * time.Hour) }), nil},
		{"a live declaration made elsewhere", ours(nil), theirs(func(t *Theirs) {
			t.Declarations = append(t.Declarations, TheirDeclaration{DfEID: "d2", Type: "retained-1", Date: day(20), State: "submitted"})
		}), []Kind{DeclNotOurs}},
		{"a live declaration DfE holds that we are sending", ours(func(o *Ours) { o.Due = []string{"retained-1"} }), theirs(func(t *Theirs) {
			t.Declarations = append(t.Declarations, TheirDeclaration{DfEID: "d2", Type: "retained-1", Date: day(20), State: "submitted"})
		}), nil},
		{"a voided declaration made elsewhere is no mismatch", ours(nil), theirs(func(t *Theirs) {
			t.Declarations = append(t.Declarations, TheirDeclaration{DfEID: "d2", Type: "started", Date: day(2), State: "voided"})
		}), nil},
		{"the same result", ours(func(o *Ours) { o.Outcome = &Outcome{Passed: true, CompletionDate: day(20), Explicit: true} }),
			theirs(func(t *Theirs) { t.Outcome = &Outcome{Passed: true, CompletionDate: day(20)} }), nil},
		{"DfE holds a fail where we sent a pass", ours(func(o *Ours) { o.Outcome = &Outcome{Passed: true, CompletionDate: day(20), Explicit: true} }),
			theirs(func(t *Theirs) { t.Outcome = &Outcome{Passed: false, CompletionDate: day(20)} }), []Kind{OutcomeKind}},
		{"DfE holds another completion date", ours(func(o *Ours) { o.Outcome = &Outcome{Passed: true, CompletionDate: day(20)} }),
			theirs(func(t *Theirs) { t.Outcome = &Outcome{Passed: true, CompletionDate: day(21)} }), []Kind{OutcomeKind}},
		{"an outcome update DfE does not hold", ours(func(o *Ours) { o.Outcome = &Outcome{Passed: true, CompletionDate: day(20), Explicit: true} }),
			theirs(nil), []Kind{OutcomeKind}},
		{"a result sent only with the completed declaration, no outcome at DfE", ours(func(o *Ours) { o.Outcome = &Outcome{Passed: true, CompletionDate: day(20)} }),
			theirs(nil), nil},
		{"a result at DfE we never sent", ours(nil), theirs(func(t *Theirs) { t.Outcome = &Outcome{Passed: false, CompletionDate: day(20)} }), []Kind{OutcomeKind}},
		{"several at once", ours(func(o *Ours) { o.Status = "withdrawn" }), theirs(func(t *Theirs) { t.Schedule = "x"; t.Declarations = nil }),
			[]Kind{TrainingStatus, Schedule, DeclNotAtDfE}},
	}
	for _, tt := range tests {
		got := Compare(tt.ours, tt.theirs)
		if g, w := kinds(got), tt.want; !slices.Equal(g, w) {
			t.Errorf("%s: kinds = %v, want %v", tt.name, g, w)
		}
		for _, m := range got {
			if m.Action == "" || m.Kind.Label() == "" {
				t.Errorf("%s: %s has no action or label", tt.name, m.Kind)
			}
			ofOurs := m.Kind == DeclNotAtDfE || m.Kind == DeclVoidedAtDfE || m.Kind == DeclarationDate
			if (m.DeclarationID == 9) != ofOurs {
				t.Errorf("%s: %s names our declaration %d", tt.name, m.Kind, m.DeclarationID)
			}
			if tt.ours != nil && m.EnrolmentID != tt.ours.EnrolmentID {
				t.Errorf("%s: %s names enrolment %d", tt.name, m.Kind, m.EnrolmentID)
			}
		}
	}
}

func TestTrainingStatusOf(t *testing.T) {
	for status, want := range map[string]string{"active": "active", "completed": "active", "deferred": "deferred", "withdrawn": "withdrawn"} {
		if got := TrainingStatusOf(status); got != want {
			t.Errorf("TrainingStatusOf(%s) = %s, want %s", status, got, want)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		if got, ok := ParseKind(string(k)); !ok || got != k {
			t.Errorf("ParseKind(%s) = %s, %v", k, got, ok)
		}
	}
	if _, ok := ParseKind(""); !ok {
		t.Error("every kind refused")
	}
	if _, ok := ParseKind("x\x00"); ok {
		t.Error("an unknown kind accepted")
	}
}
