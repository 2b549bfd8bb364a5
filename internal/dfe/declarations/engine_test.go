package declarations

import (
	"reflect"
	"testing"
	"time"
)

func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }

func sched(t *testing.T, cohort int, id string) Schedule {
	t.Helper()
	s, ok := PublishedSchedule(cohort, id)
	if !ok {
		t.Fatalf("no published schedule %d %s", cohort, id)
	}
	return s
}

func eng(id string, t time.Time) Engagement { return Engagement{ID: id, At: t} }

func types(ds []Due) []Type {
	var out []Type
	for _, d := range ds {
		out = append(out, d.Type)
	}
	return out
}

func codes(rs []Refusal) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func TestPublishedSchedule(t *testing.T) {
	tests := []struct {
		cohort int
		id     string
		ok     bool
		types  []Type
	}{
		{2024, "npq-leadership-autumn", true, []Type{Started, Retained1, Retained2, Completed}},
		{2024, "npq-specialist-autumn", true, []Type{Started, Retained1, Completed}},
		{2025, "npq-leadership-spring", true, []Type{Started, Retained1, Retained2, Completed}},
		{2023, "npq-specialist-spring", true, []Type{Started, Retained1, Completed}},
		{2023, "npq-leadership-autumn", true, []Type{Started, Retained1, Retained2, Completed}},
		{2025, "npq-leadership-autumn", false, nil}, // not published: comes from DfE's statements
		{2024, "npq-ehco-june", false, nil},
		{2019, "npq-leadership-autumn", false, nil},
	}
	for _, tt := range tests {
		s, ok := PublishedSchedule(tt.cohort, tt.id)
		if ok != tt.ok {
			t.Errorf("%d %s: ok = %v, want %v", tt.cohort, tt.id, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := s.Allowed(); !reflect.DeepEqual(got, tt.types) {
			t.Errorf("%d %s: allowed = %v, want %v", tt.cohort, tt.id, got, tt.types)
		}
		for _, ty := range tt.types {
			if s.Deadlines[ty].IsZero() {
				t.Errorf("%d %s: no deadline for %s", tt.cohort, tt.id, ty)
			}
		}
	}
	s := sched(t, 2024, "npq-specialist-autumn")
	if got, want := s.PaymentDates[Completed], D(2026, 3, 26); !got.Equal(want) {
		t.Errorf("specialist completed payment date = %v, want %v", got, want)
	}
	if _, ok := sched(t, 2023, "npq-leadership-autumn").PaymentDates[Started]; ok {
		t.Errorf("2023 payment dates are not published and must be absent")
	}
}

func TestFamily(t *testing.T) {
	tests := []struct {
		id       string
		family   Family
		outcomes bool
		retain2  bool
	}{
		{"npq-leadership-autumn", Leadership, true, true},
		{"npq-specialist-spring", Specialist, true, false},
		{"npq-ehco-june", EHCO, false, true},
		{"npq-aso-march", ASO, false, true},
		{"", Leadership, true, true},
	}
	for _, tt := range tests {
		s := Schedule{Identifier: tt.id}
		if s.Family() != tt.family || s.HasOutcomes() != tt.outcomes || s.Allows(Retained2) != tt.retain2 {
			t.Errorf("%q: family %s outcomes %v retained-2 %v", tt.id, s.Family(), s.HasOutcomes(), s.Allows(Retained2))
		}
	}
}

func TestWindow(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	sp := sched(t, 2024, "npq-specialist-autumn")
	open := Schedule{Identifier: "npq-leadership-autumn", AppliesFrom: D(2025, 10, 1), Deadlines: map[Type]Date{Started: D(2025, 11, 25)}}
	tests := []struct {
		name     string
		s        Schedule
		t        Type
		from, to Date
	}{
		{"leadership started", ld, Started, D(2024, 10, 1), D(2024, 11, 25)},
		{"leadership retained-1", ld, Retained1, D(2024, 11, 26), D(2025, 5, 26)},
		{"leadership retained-2", ld, Retained2, D(2025, 5, 27), D(2026, 1, 24)},
		{"leadership completed", ld, Completed, D(2026, 1, 25), D(2026, 7, 25)},
		{"specialist completed follows retained-1", sp, Completed, D(2025, 5, 27), D(2026, 2, 21)},
		{"unpublished deadline is open", open, Retained1, D(2025, 11, 26), Date{}},
		{"falls back to the last known deadline", open, Completed, D(2025, 11, 26), Date{}},
	}
	for _, tt := range tests {
		from, to := tt.s.Window(tt.t)
		if !from.Equal(tt.from) || !to.Equal(tt.to) {
			t.Errorf("%s: window %v..%v, want %v..%v", tt.name, from, to, tt.from, tt.to)
		}
	}
}

func live(ty Type, d time.Time) Made {
	return Made{ID: "dfe-" + string(ty), Type: ty, Date: d, State: Eligible}
}

func TestDerive(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	sp := sched(t, 2024, "npq-specialist-autumn")
	ehco := Schedule{Identifier: "npq-ehco-june", CohortStartYear: 2023, AppliesFrom: D(2023, 6, 1)}
	today := at(2026, 8, 1)
	allLeadership := []Engagement{
		eng("att:1", at(2024, 9, 20)), // before the schedule start: ignored
		eng("att:2", at(2024, 10, 14)),
		eng("done:3", at(2024, 10, 20)),
		eng("att:4", at(2025, 1, 15)),
		eng("att:5", at(2025, 9, 10)),
	}
	pass := []Outcome{{ID: "outcome:9", Passed: true, ReleasedAt: at(2026, 3, 2)}}
	tests := []struct {
		name     string
		ev       Evidence
		today    time.Time
		due      []Type
		dates    []time.Time
		refusals []string
	}{
		{
			name:  "leadership: every type earned",
			ev:    Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership, Outcomes: pass},
			today: today,
			due:   []Type{Started, Retained1, Retained2, Completed},
			dates: []time.Time{at(2024, 10, 14), at(2025, 1, 15), at(2025, 9, 10), at(2026, 3, 2)},
		},
		{
			name:  "specialist: no retained-2",
			ev:    Evidence{Schedule: sp, DeliveryPartnerID: "dp", Engagements: allLeadership, Outcomes: []Outcome{{ID: "o", Passed: true, ReleasedAt: at(2025, 12, 1)}}},
			today: today,
			due:   []Type{Started, Retained1, Completed},
			dates: []time.Time{at(2024, 10, 14), at(2025, 1, 15), at(2025, 12, 1)},
		},
		{
			name: "retention threshold: dated at the row that reaches it",
			ev: Evidence{Schedule: ld, DeliveryPartnerID: "dp", RetainedMin: 2, Made: []Made{live(Started, at(2024, 10, 14))},
				Engagements: []Engagement{eng("a", at(2024, 12, 1)), eng("b", at(2025, 1, 15)), eng("c", at(2025, 2, 1))}},
			today: today,
			due:   []Type{Retained1},
			dates: []time.Time{at(2025, 1, 15)},
		},
		{
			name: "retention threshold not reached inside the window",
			ev: Evidence{Schedule: ld, DeliveryPartnerID: "dp", RetainedMin: 3, Made: []Made{live(Started, at(2024, 10, 14))},
				Engagements: []Engagement{eng("a", at(2024, 12, 1)), eng("b", at(2025, 2, 1)), eng("c", at(2025, 6, 1))}},
			today:    today,
			refusals: []string{RefuseOutsideWindow},
		},
		{
			name:  "nothing yet",
			ev:    Evidence{Schedule: ld, DeliveryPartnerID: "dp"},
			today: today,
		},
		{
			name:  "already declared types are not due again; voided ones are",
			ev:    Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership, Made: []Made{live(Started, at(2024, 10, 14)), {Type: Retained1, Date: at(2025, 1, 15), State: Voided}}},
			today: today,
			due:   []Type{Retained1, Retained2},
			dates: []time.Time{at(2025, 1, 15), at(2025, 9, 10)},
		},
		{
			name:  "clawed back started is earned again",
			ev:    Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership[:2], Made: []Made{{Type: Started, Date: at(2024, 10, 14), State: ClawedBack}}},
			today: today,
			due:   []Type{Started},
			dates: []time.Time{at(2024, 10, 14)},
		},
		{
			name:  "evidence in the future is not declared yet",
			ev:    Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership},
			today: at(2025, 1, 14),
			due:   []Type{Started},
			dates: []time.Time{at(2024, 10, 14)},
			// retained-1 evidence on 15 Jan is after today
			refusals: []string{RefuseFuture},
		},
		{
			name:     "first engagement after the started deadline",
			ev:       Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: []Engagement{eng("att:1", at(2024, 12, 2))}},
			today:    today,
			refusals: []string{RefuseOutsideWindow},
		},
		{
			name:     "retained-1 evidence only after its deadline",
			ev:       Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: []Engagement{eng("att:1", at(2024, 10, 14)), eng("att:2", at(2025, 7, 1))}},
			today:    today,
			due:      []Type{Started},
			dates:    []time.Time{at(2024, 10, 14)},
			refusals: []string{RefuseOutsideWindow},
		},
		{
			name:     "completed without retained-2 is out of order",
			ev:       Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership[:4], Outcomes: pass},
			today:    today,
			due:      []Type{Started, Retained1},
			dates:    []time.Time{at(2024, 10, 14), at(2025, 1, 15)},
			refusals: []string{RefuseOutOfOrder},
		},
		{
			name:     "cohort 2024 without a delivery partner",
			ev:       Evidence{Schedule: ld, Engagements: allLeadership},
			today:    today,
			refusals: []string{RefuseNoDeliveryPartner},
		},
		{
			name:  "cohort 2023 needs no delivery partner",
			ev:    Evidence{Schedule: sched(t, 2023, "npq-leadership-autumn"), Engagements: []Engagement{eng("att:1", at(2023, 10, 5))}},
			today: today,
			due:   []Type{Started},
			dates: []time.Time{at(2023, 10, 5)},
		},
		{
			name: "withdrawal: evidence after it is refused",
			ev: Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership,
				StatusChanges: []StatusChange{{ID: "w", Kind: Withdrawn, At: at(2025, 1, 1), Reason: "personal-reason-other"}}},
			today:    today,
			due:      []Type{Started},
			dates:    []time.Time{at(2024, 10, 14)},
			refusals: []string{RefuseAfterWithdrawal},
		},
		{
			name: "a resumption lifts the withdrawal",
			ev: Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: allLeadership[:4],
				StatusChanges: []StatusChange{{Kind: Resumed, At: at(2025, 1, 2)}, {Kind: Withdrawn, At: at(2025, 1, 1)}}},
			today: today,
			due:   []Type{Started, Retained1},
			dates: []time.Time{at(2024, 10, 14), at(2025, 1, 15)},
		},
		{
			name:  "EHCO completed carries no outcome",
			ev:    Evidence{Schedule: ehco, Engagements: []Engagement{eng("a", at(2023, 7, 1)), eng("b", at(2023, 9, 1)), eng("c", at(2023, 12, 1))}, Outcomes: []Outcome{{ID: "o", ReleasedAt: at(2024, 2, 1)}}},
			today: today,
			due:   []Type{Started, Retained1, Retained2, Completed},
			dates: []time.Time{at(2023, 7, 1), at(2023, 9, 1), at(2023, 12, 1), at(2024, 2, 1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Derive(tt.ev, tt.today)
			if got := types(r.Due); !reflect.DeepEqual(got, tt.due) {
				t.Fatalf("due = %v, want %v (refusals %+v)", got, tt.due, r.Refusals)
			}
			for i, d := range r.Due {
				if !d.DeclarationDate.Equal(tt.dates[i]) {
					t.Errorf("%s date = %v, want %v", d.Type, d.DeclarationDate, tt.dates[i])
				}
				if d.RuleVersion != RuleVersion || len(d.EvidenceIDs) == 0 || d.Why == "" {
					t.Errorf("%s: version %q evidence %v why %q", d.Type, d.RuleVersion, d.EvidenceIDs, d.Why)
				}
			}
			if got := codes(r.Refusals); !reflect.DeepEqual(got, tt.refusals) {
				t.Errorf("refusals = %v, want %v (%+v)", got, tt.refusals, r.Refusals)
			}
			for _, ref := range r.Refusals {
				if ref.Detail == "" || ref.Title == "" || len(ref.EvidenceIDs) == 0 {
					t.Errorf("refusal without detail, title or evidence: %+v", ref)
				}
			}
		})
	}
}

func TestDeriveHasPassed(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	ev := Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []Made{live(Started, at(2024, 10, 14)), live(Retained1, at(2025, 1, 15)), live(Retained2, at(2025, 9, 10))},
		Outcomes: []Outcome{{ID: "o1", Passed: false, ReleasedAt: at(2026, 2, 1)}}}
	r := Derive(ev, at(2026, 8, 1))
	if len(r.Due) != 1 || r.Due[0].HasPassed == nil || *r.Due[0].HasPassed {
		t.Fatalf("want completed with has_passed false, got %+v", r.Due)
	}
	if len(r.Outcomes) != 0 {
		t.Errorf("the completed declaration carries the outcome; no separate outcome due, got %+v", r.Outcomes)
	}
}

func TestCheck(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	sp := sched(t, 2024, "npq-specialist-autumn")
	started := live(Started, at(2024, 10, 14))
	today := at(2025, 3, 1)
	base := Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []Made{started}}
	with := func(f func(*Evidence)) Evidence { ev := base; f(&ev); return ev }
	tests := []struct {
		name  string
		ev    Evidence
		p     Proposed
		code  string
		title string
	}{
		{"valid retained-1", base, Proposed{Retained1, at(2025, 1, 15)}, "", ""},
		{"future date", base, Proposed{Retained1, at(2025, 3, 2)}, RefuseFuture, "declaration_date"},
		{"a minute in the future", base, Proposed{Retained1, today.Add(time.Minute)}, RefuseFuture, "declaration_date"},
		{"before schedule start", with(func(e *Evidence) { e.Made = nil }), Proposed{Started, at(2024, 9, 30)}, RefuseBeforeStart, "declaration_date"},
		{"type not allowed: specialist retained-2", with(func(e *Evidence) { e.Schedule = sp }), Proposed{Retained2, at(2025, 6, 1)}, RefuseTypeNotAllowed, "declaration_type"},
		{"unknown type", base, Proposed{"retained-3", at(2025, 1, 15)}, RefuseTypeNotAllowed, "declaration_type"},
		{"second live started", base, Proposed{Started, at(2024, 10, 20)}, RefuseDuplicate, "base"},
		{"paid started also blocks", with(func(e *Evidence) { e.Made = []Made{{Type: Started, Date: at(2024, 10, 14), State: Paid}} }), Proposed{Started, at(2024, 10, 20)}, RefuseDuplicate, "base"},
		{"voided started does not block", with(func(e *Evidence) { e.Made = []Made{{Type: Started, Date: at(2024, 10, 14), State: Voided}} }), Proposed{Started, at(2024, 10, 20)}, "", ""},
		{"awaiting clawback does not block", with(func(e *Evidence) { e.Made = []Made{{Type: Started, Date: at(2024, 10, 14), State: AwaitingClawback}} }), Proposed{Started, at(2024, 10, 20)}, "", ""},
		{"on the withdrawal date", with(func(e *Evidence) {
			e.StatusChanges = []StatusChange{{Kind: Withdrawn, At: at(2025, 1, 15)}}
		}), Proposed{Retained1, at(2025, 1, 15)}, RefuseAfterWithdrawal, "participant_id"},
		{"just before the withdrawal", with(func(e *Evidence) {
			e.StatusChanges = []StatusChange{{Kind: Withdrawn, At: at(2025, 1, 15)}}
		}), Proposed{Retained1, at(2025, 1, 15).Add(-time.Second)}, "", ""},
		{"deferral does not refuse", with(func(e *Evidence) {
			e.StatusChanges = []StatusChange{{Kind: Deferred, At: at(2025, 1, 1), Reason: "parental-leave"}}
		}), Proposed{Retained1, at(2025, 1, 15)}, "", ""},
		{"retained-2 without retained-1", base, Proposed{Retained2, at(2025, 2, 1)}, RefuseOutOfOrder, "declaration_type"},
		{"started after a live retained-1", with(func(e *Evidence) { e.Made = []Made{live(Retained1, at(2025, 1, 15))} }), Proposed{Started, at(2024, 10, 20)}, RefuseOutOfOrder, "declaration_type"},
		{"retained-1 dated before started", with(func(e *Evidence) { e.Made = []Made{live(Started, at(2024, 11, 28))} }), Proposed{Retained1, at(2024, 11, 27)}, RefuseOutOfOrder, "declaration_date"},
		{"retained-1 in the started window", base, Proposed{Retained1, at(2024, 11, 1)}, RefuseOutsideWindow, "declaration_date"},
		{"started after its deadline", with(func(e *Evidence) { e.Made = nil }), Proposed{Started, at(2024, 11, 26)}, RefuseOutsideWindow, "declaration_date"},
		{"no delivery partner for 2024", with(func(e *Evidence) { e.DeliveryPartnerID = "" }), Proposed{Retained1, at(2025, 1, 15)}, RefuseNoDeliveryPartner, "delivery_partner_id"},
		{"2023 without a delivery partner", Evidence{Schedule: sched(t, 2023, "npq-leadership-autumn")}, Proposed{Started, at(2023, 10, 2)}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := Check(tt.ev, tt.p, today)
			if tt.code == "" {
				if ref != nil {
					t.Fatalf("refused: %+v", ref)
				}
				return
			}
			if ref == nil {
				t.Fatalf("not refused, want %s", tt.code)
			}
			if ref.Code != tt.code || ref.Title != tt.title || ref.Detail == "" || ref.Type != tt.p.Type {
				t.Errorf("got %+v, want code %s title %s", ref, tt.code, tt.title)
			}
		})
	}
}

// TestMilestoneBoundaries checks the day before, on and after each window edge
// of both families, in London time.
func TestMilestoneBoundaries(t *testing.T) {
	today := at(2027, 1, 1)
	for _, id := range []string{"npq-leadership-autumn", "npq-specialist-autumn"} {
		s := sched(t, 2024, id)
		for i, ty := range s.Allowed() {
			from, to := s.Window(ty)
			var made []Made
			for _, prev := range s.Allowed()[:i] {
				made = append(made, live(prev, from.AddDate(0, 0, -30)))
			}
			ev := Evidence{Schedule: s, DeliveryPartnerID: "dp", Made: made}
			cases := []struct {
				edge string
				d    time.Time
				ok   bool
				code string
			}{
				{"day before start", from.AddDate(0, 0, -1).Add(12 * time.Hour), false, RefuseOutsideWindow},
				{"start", from.Add(12 * time.Hour), true, ""},
				{"deadline", to.Add(12 * time.Hour), true, ""},
				{"day after deadline", to.AddDate(0, 0, 1).Add(12 * time.Hour), false, RefuseOutsideWindow},
			}
			if i == 0 {
				cases[0].code = RefuseBeforeStart
			}
			for _, c := range cases {
				ref := Check(ev, Proposed{ty, c.d}, today)
				if c.ok != (ref == nil) || (ref != nil && ref.Code != c.code) {
					t.Errorf("%s %s %s (%s): got %+v", id, ty, c.edge, c.d.Format("2006-01-02"), ref)
				}
			}
		}
	}
}

func TestLondonDay(t *testing.T) {
	s := sched(t, 2024, "npq-leadership-autumn")
	ev := Evidence{Schedule: s, DeliveryPartnerID: "dp", Made: []Made{live(Started, at(2024, 10, 14))}}
	// 26 May 2025 23:30 UTC is 27 May 00:30 in London (BST): after the retained-1 deadline.
	late := time.Date(2025, 5, 26, 23, 30, 0, 0, time.UTC)
	if ref := Check(ev, Proposed{Retained1, late}, at(2026, 1, 1)); ref == nil || ref.Code != RefuseOutsideWindow {
		t.Errorf("want outside window in London time, got %+v", ref)
	}
	if ref := Check(ev, Proposed{Retained1, late.Add(-time.Hour)}, at(2026, 1, 1)); ref != nil {
		t.Errorf("22:30 UTC is still 26 May in London: %+v", ref)
	}
}

func TestSendBefore(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	sp := sched(t, 2024, "npq-specialist-autumn")
	evidence := []Engagement{eng("att:1", at(2024, 10, 14)), eng("att:2", at(2025, 1, 15)), eng("att:3", at(2025, 9, 10))}
	tests := []struct {
		name   string
		ev     Evidence
		change StatusChange
		want   []Type
	}{
		{"withdrawal after retained-1: started and retained-1 first", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: evidence},
			StatusChange{Kind: Withdrawn, At: at(2025, 2, 1), Reason: "change-in-career"}, []Type{Started, Retained1}},
		{"deferral after retained-2: all three first", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: evidence},
			StatusChange{Kind: Deferred, At: at(2025, 10, 1), Reason: "parental-leave"}, []Type{Started, Retained1, Retained2}},
		{"specialist deferral: no retained-2", Evidence{Schedule: sp, DeliveryPartnerID: "dp", Engagements: evidence},
			StatusChange{Kind: Deferred, At: at(2025, 10, 1), Reason: "career-break"}, []Type{Started, Retained1}},
		{"already sent: nothing first", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: evidence[:1], Made: []Made{live(Started, at(2024, 10, 14))}},
			StatusChange{Kind: Withdrawn, At: at(2025, 2, 1)}, nil},
		{"withdrawal on the evidence day: it is not before", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: evidence},
			StatusChange{Kind: Withdrawn, At: at(2025, 1, 15)}, []Type{Started}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := types(SendBefore(tt.ev, tt.change, at(2026, 1, 1)))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("send first = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOutcomes(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	sp := sched(t, 2024, "npq-specialist-autumn")
	no, yes := false, true
	done := []Made{live(Started, at(2024, 10, 14)), live(Retained1, at(2025, 1, 15)), live(Retained2, at(2025, 9, 10))}
	failed := Made{Type: Completed, Date: at(2026, 2, 1), State: Eligible, HasPassed: &no}
	fail := Outcome{ID: "o1", Passed: false, ReleasedAt: at(2026, 2, 1)}
	pass := Outcome{ID: "o2", Passed: true, ReleasedAt: at(2026, 5, 4)}
	tests := []struct {
		name string
		ev   Evidence
		want []OutcomeDue
	}{
		{"resubmission after a fail: passed goes as an outcome update",
			Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: append(done, failed), Outcomes: []Outcome{pass, fail}},
			[]OutcomeDue{{Passed: true, CompletionDate: D(2026, 5, 4), EvidenceIDs: []string{"o2"}}}},
		{"fail and pass both released before declaring: completed fails, then the pass",
			Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: done, Outcomes: []Outcome{fail, pass}},
			[]OutcomeDue{{Passed: true, CompletionDate: D(2026, 5, 4), EvidenceIDs: []string{"o2"}}}},
		{"the pass already sent: never twice",
			Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: append(done, failed), Outcomes: []Outcome{fail, pass}, SentOutcomes: []SentOutcome{{Passed: true, CompletionDate: D(2026, 5, 4)}}},
			nil},
		{"an older sent outcome does not override the completed declaration",
			Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: append(done, Made{Type: Completed, Date: at(2026, 2, 1), State: Paid, HasPassed: &yes}), Outcomes: []Outcome{pass}, SentOutcomes: []SentOutcome{{Passed: false, CompletionDate: D(2026, 1, 1)}}},
			nil},
		{"voided completed: declared again with the fail, then the pass",
			Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: append(done, Made{Type: Completed, Date: at(2026, 2, 1), State: Voided, HasPassed: &no}), Outcomes: []Outcome{fail, pass},
				Engagements: nil},
			[]OutcomeDue{{Passed: true, CompletionDate: D(2026, 5, 4), EvidenceIDs: []string{"o2"}}}},
		{"specialist resubmission", Evidence{Schedule: sp, DeliveryPartnerID: "dp", Made: []Made{done[0], done[1], failed}, Outcomes: []Outcome{fail, pass}},
			[]OutcomeDue{{Passed: true, CompletionDate: D(2026, 5, 4), EvidenceIDs: []string{"o2"}}}},
		{"no completed declaration possible: no outcome", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Outcomes: []Outcome{fail, pass}}, nil},
		{"EHCO has no outcomes", Evidence{Schedule: Schedule{Identifier: "npq-ehco-june", CohortStartYear: 2023, AppliesFrom: D(2023, 6, 1)}, Made: []Made{live(Started, at(2023, 7, 1)), live(Retained1, at(2023, 8, 1)), live(Retained2, at(2023, 9, 1)), {Type: Completed, Date: at(2024, 1, 1), State: Paid}},
			Outcomes: []Outcome{fail, pass}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Derive(tt.ev, at(2026, 8, 1)).Outcomes
			for i := range got {
				if got[i].Why == "" {
					t.Errorf("outcome without why: %+v", got[i])
				}
				got[i].Why = ""
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("outcomes = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckUnpublishedDeadline(t *testing.T) {
	s := Schedule{Identifier: "npq-leadership-autumn", CohortStartYear: 2025, AppliesFrom: D(2025, 10, 1)}
	ev := Evidence{Schedule: s, DeliveryPartnerID: "dp"}
	if ref := Check(ev, Proposed{Started, at(2026, 6, 1)}, at(2026, 7, 1)); ref != nil {
		t.Errorf("a schedule without published deadlines has open windows: %+v", ref)
	}
	if ref := Check(ev, Proposed{Started, at(2025, 9, 30)}, at(2026, 7, 1)); ref == nil || ref.Code != RefuseBeforeStart {
		t.Errorf("still refused before the schedule start: %+v", ref)
	}
}

func TestRetainedEvidenceIDs(t *testing.T) {
	ev := Evidence{Schedule: sched(t, 2024, "npq-leadership-autumn"), DeliveryPartnerID: "dp", RetainedMin: 2,
		Made:        []Made{live(Started, at(2024, 10, 14))},
		Engagements: []Engagement{eng("c", at(2025, 2, 1)), eng("a", at(2024, 12, 1)), eng("b", at(2025, 1, 15))}}
	r := Derive(ev, at(2026, 1, 1))
	if len(r.Due) != 1 || !reflect.DeepEqual(r.Due[0].EvidenceIDs, []string{"a", "b"}) {
		t.Errorf("want retained-1 justified by a and b, got %+v", r.Due)
	}
}

func TestCheckStatusChange(t *testing.T) {
	ld := sched(t, 2024, "npq-leadership-autumn")
	started := []Engagement{eng("att:1", at(2024, 10, 14))}
	tests := []struct {
		name   string
		ev     Evidence
		change StatusChange
		code   string
	}{
		{"defer with nothing declared or earned", Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, StatusChange{Kind: Deferred, At: at(2025, 1, 1)}, RefuseDeferUndeclared},
		{"defer once started is sent first", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: started}, StatusChange{Kind: Deferred, At: at(2025, 1, 1)}, ""},
		{"defer with only a voided declaration", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []Made{{Type: Started, Date: at(2024, 10, 14), State: Voided}}},
			StatusChange{Kind: Deferred, At: at(2024, 10, 10)}, RefuseDeferUndeclared},
		{"withdraw before any evidence", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: started}, StatusChange{Kind: Withdrawn, At: at(2024, 10, 1)}, RefuseWithdrawUnstarted},
		{"withdraw with a live started", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []Made{live(Started, at(2024, 10, 14))}}, StatusChange{Kind: Withdrawn, At: at(2025, 1, 1)}, ""},
		{"withdraw once started is sent first", Evidence{Schedule: ld, DeliveryPartnerID: "dp", Engagements: started}, StatusChange{Kind: Withdrawn, At: at(2025, 1, 1)}, ""},
		{"resume needs nothing", Evidence{Schedule: ld}, StatusChange{Kind: Resumed, At: at(2025, 1, 1)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := CheckStatusChange(tt.ev, tt.change, at(2026, 1, 1))
			if tt.code == "" && ref != nil || tt.code != "" && (ref == nil || ref.Code != tt.code || ref.Detail == "") {
				t.Errorf("got %+v, want %q", ref, tt.code)
			}
		})
	}
}
