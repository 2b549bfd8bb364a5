package milestones

import (
	"testing"
	"time"

	"npq/internal/dfe/declarations"
)

func schedule(t *testing.T, identifier string) declarations.Schedule {
	t.Helper()
	s, ok := declarations.PublishedSchedule(2024, identifier)
	if !ok {
		t.Fatalf("no published schedule %s", identifier)
	}
	return s
}

func on(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func live(t declarations.Type, at time.Time) declarations.Made {
	return declarations.Made{Type: t, Date: at, State: declarations.Eligible}
}

func TestNext(t *testing.T) {
	ld := schedule(t, "npq-leadership-autumn") // started 25 Nov 2024, retained-1 26 May 2025, retained-2 24 Jan 2026, completed 25 Jul 2026
	sp := schedule(t, "npq-specialist-autumn") // started and retained-1 as leadership, completed 21 Feb 2026
	started := live(declarations.Started, on(2024, 10, 14))
	retained := []declarations.Made{started, live(declarations.Retained1, on(2025, 3, 3))}
	tests := []struct {
		name    string
		ev      declarations.Evidence
		status  string
		today   time.Time
		listed  bool
		typ     declarations.Type
		state   State
		missing string
	}{
		{"started not yet evidenced, deadline in 3 weeks: at risk", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, "active", on(2024, 11, 4),
			true, declarations.Started, AtRisk, "No session attended or activity completed yet"},
		{"started on the deadline day: still at risk", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, "active", on(2024, 11, 25),
			true, declarations.Started, AtRisk, "No session attended or activity completed yet"},
		{"started missed the day after its deadline", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, "active", on(2024, 11, 26),
			true, declarations.Started, Missed, "No session attended or activity completed yet"},
		{"retained-1 deadline in 4 months: on track", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []declarations.Made{started}}, "active", on(2025, 1, 26),
			true, declarations.Retained1, OnTrack, "No session attended or activity completed since 26 November 2024"},
		{"retained-1 in 3 weeks, leadership: at risk", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []declarations.Made{started}}, "active", on(2025, 5, 5),
			true, declarations.Retained1, AtRisk, "No session attended or activity completed since 26 November 2024"},
		{"retained-1 in 3 weeks, specialist: at risk", declarations.Evidence{Schedule: sp, DeliveryPartnerID: "dp", Made: []declarations.Made{started}}, "active", on(2025, 5, 5),
			true, declarations.Retained1, AtRisk, "No session attended or activity completed since 26 November 2024"},
		{"after retained-1, leadership: retained-2 in 5 weeks is at risk", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: retained}, "active", on(2025, 12, 20),
			true, declarations.Retained2, AtRisk, "No session attended or activity completed since 27 May 2025"},
		{"after retained-1, specialist: completed in 9 weeks is at risk, as a result takes months", declarations.Evidence{Schedule: sp, DeliveryPartnerID: "dp", Made: retained}, "active", on(2025, 12, 20),
			true, declarations.Completed, AtRisk, "No assessment result released yet"},
		{"after retained-1, specialist: completed in 4 months is on track", declarations.Evidence{Schedule: sp, DeliveryPartnerID: "dp", Made: retained}, "active", on(2025, 10, 20),
			true, declarations.Completed, OnTrack, "No assessment result released yet"},
		{"provider threshold not reached", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: []declarations.Made{started}, RetainedMin: 3,
			Engagements: []declarations.Engagement{{ID: "completion:1", At: on(2025, 2, 3)}}}, "active", on(2025, 5, 5),
			true, declarations.Retained1, AtRisk, "1 of the 3 sessions or activities needed since 26 November 2024"},
		{"engagements before the latest declaration do not count", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp", RetainedMin: 2,
			Made:        []declarations.Made{live(declarations.Started, on(2025, 2, 10))},
			Engagements: []declarations.Engagement{{ID: "completion:1", At: on(2025, 2, 3)}, {ID: "completion:2", At: on(2025, 2, 10)}, {ID: "completion:3", At: on(2025, 3, 3)}}}, "active", on(2025, 5, 5),
			true, declarations.Retained1, AtRisk, "1 of the 2 sessions or activities needed since 26 November 2024"},
		{"evidence DfE would refuse: no delivery partner id", declarations.Evidence{Schedule: ld,
			Engagements: []declarations.Engagement{{ID: "attendance:1", At: on(2024, 10, 20)}}}, "active", on(2024, 11, 4),
			true, declarations.Started, AtRisk, "Attendance recorded, but the partner's DfE delivery partner id is missing (the provider records it)"},
		{"evidence after the deadline", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp",
			Engagements: []declarations.Engagement{{ID: "attendance:1", At: on(2024, 12, 2)}}}, "active", on(2024, 12, 3),
			true, declarations.Started, Missed, "Attendance or activity recorded only after the deadline"},
		{"no published deadline: on track", declarations.Evidence{Schedule: declarations.Schedule{Identifier: "npq-leadership-autumn", CohortStartYear: 2027,
			AppliesFrom: declarations.D(2027, 10, 1)}, DeliveryPartnerID: "dp"}, "active", on(2027, 10, 2),
			true, declarations.Started, OnTrack, "No session attended or activity completed yet"},
		{"started due from evidence today: the next is retained-1", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp",
			Engagements: []declarations.Engagement{{ID: "attendance:1", At: on(2024, 10, 20)}}}, "active", on(2024, 11, 4),
			true, declarations.Retained1, OnTrack, "No session attended or activity completed since 26 November 2024"},
		{"deferred: not listed", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, "deferred", on(2024, 11, 4), false, "", "", ""},
		{"withdrawn: not listed", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp"}, "withdrawn", on(2024, 11, 4), false, "", "", ""},
		{"every milestone declared: nothing to list", declarations.Evidence{Schedule: ld, DeliveryPartnerID: "dp", Made: append(retained,
			live(declarations.Retained2, on(2025, 10, 1)), live(declarations.Completed, on(2026, 6, 1)))}, "active", on(2026, 6, 20), false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := Next(tt.ev, tt.status, tt.today)
			if ok != tt.listed {
				t.Fatalf("listed = %v, want %v (%+v)", ok, tt.listed, l)
			}
			if !ok {
				return
			}
			if l.Type != tt.typ || l.State != tt.state || l.Missing != tt.missing {
				t.Errorf("got %s %s %q, want %s %s %q", l.Type, l.State, l.Missing, tt.typ, tt.state, tt.missing)
			}
			if from, to := tt.ev.Schedule.Window(l.Type); !l.From.Equal(from) || !l.Deadline.Equal(to) || !l.PaymentDate.Equal(tt.ev.Schedule.PaymentDates[l.Type]) {
				t.Errorf("window %v..%v paid %v", l.From, l.Deadline, l.PaymentDate)
			}
		})
	}
}

func TestDue(t *testing.T) {
	today := on(2025, 3, 10)
	for _, tt := range []struct {
		deadline time.Time
		want     string
	}{
		{declarations.D(2025, 3, 22), "in 12 days"}, {declarations.D(2025, 3, 11), "tomorrow"}, {declarations.D(2025, 3, 10), "today"},
		{declarations.D(2025, 3, 9), "yesterday"}, {declarations.D(2025, 3, 7), "3 days ago"}, {time.Time{}, "No deadline published"},
		{declarations.D(2025, 4, 1), "in 22 days"}, // across the clocks going forward
	} {
		if got := Due(tt.deadline, today); got != tt.want {
			t.Errorf("Due(%v) = %q, want %q", tt.deadline, got, tt.want)
		}
	}
}

func TestParseState(t *testing.T) {
	for v, want := range map[string]bool{"": true, "at_risk": true, "missed": true, "on_track": false, "x": false} {
		if _, ok := ParseState(v); ok != want {
			t.Errorf("ParseState(%q) ok = %v", v, ok)
		}
	}
}
