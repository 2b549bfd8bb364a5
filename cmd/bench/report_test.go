package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"median of four", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p99 of a hundred", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p50 of a hundred", ms(hundred...), 0.5, 50 * time.Millisecond},
		{"p100", ms(1, 2, 3), 1, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := quantile(tt.sorted, tt.q); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestPageMisses(t *testing.T) {
	good := load{Clients: 32, P99Ms: 50}
	tests := []struct {
		name string
		p    pageResult
		want []string
	}{
		{"all met", pageResult{Role: "admin", Page: "/admin", QueriesMax: 5, One: load{P99Ms: 20}, Many: good}, nil},
		{"too many queries", pageResult{Role: "admin", Page: "/admin", QueriesMax: 6, Many: good}, []string{"queries 6>5"}},
		{"slow alone and together", pageResult{Role: "admin", Page: "/admin", One: load{P99Ms: 21}, Many: load{Clients: 32, P99Ms: 101}},
			[]string{"p99@1 21>20ms", "p99@32 101>100ms"}},
		{"home under an eighth of healthz", pageResult{Role: "participant", Page: "/home", Many: good, Share: 9}, []string{"1/9 of /healthz<1/8"}},
		{"home at an eighth", pageResult{Role: "participant", Page: "/home", Many: good, Share: 8}, nil},
		{"errors", pageResult{Role: "admin", Page: "/admin", Many: load{Clients: 32, Errors: 3}}, []string{"3 errors"}},
		{"failed page", pageResult{Role: "admin", Page: "/admin", Error: "status 503"}, []string{"error"}},
	}
	for _, tt := range tests {
		if got := pageMisses(tt.p); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckTargetsNamesWhatIsMissed(t *testing.T) {
	r := report{
		Pages: []pageResult{
			{Role: "public", Page: "/healthz", Many: load{Clients: 32, PerSec: 8000}},
			{Role: "participant", Page: "/home", QueriesMax: 8, One: load{P99Ms: 5}, Many: load{Clients: 32, P99Ms: 60, PerSec: 1000}, Share: 8},
			{Role: "admin", Page: "/admin/returns", QueriesMax: 4, One: load{P99Ms: 900}, Many: load{Clients: 32, P99Ms: 2000}},
			{Role: "admin", Page: "/admin", Error: "status 503"},
		},
		PeakRSSMB: 120,
		SeedMs:    300,
		Bookings:  bookingResult{Attempts: 500, Capacity: 20, Booked: 20, P99Ms: 250},
	}
	checkTargets(&r)
	got := map[string]target{}
	for _, tg := range r.Targets {
		got[strings.SplitN(tg.Name, " ", 3)[0]+" "+strings.SplitN(tg.Name, " ", 3)[1]] = tg
	}
	want := map[string]bool{"every page": false, "p99 ≤": false, "participant /home": true, "peak RSS": true, "500 simultaneous": true,
		"framework seed": true, "no errors": false}
	for k, met := range want {
		if tg, ok := got[k]; !ok || tg.Met != met {
			t.Errorf("%s: %+v, want met=%v", k, tg, met)
		}
	}
	if n := got["every page"].Note; !strings.Contains(n, "participant /home (8)") {
		t.Errorf("the query target should name /home: %q", n)
	}
	if n := got["no errors"].Note; !strings.Contains(n, "admin /admin") {
		t.Errorf("the error target should name /admin: %q", n)
	}
	var out bytes.Buffer
	printReport(&out, r)
	for _, want := range []string{"/admin/returns", "MISSED: p99@1 900>20ms", "ERROR status 503", "met     framework seed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestSelectedPages(t *testing.T) {
	tests := []struct {
		only string
		want int
	}{
		{"", len(pages)},
		{"admin", 9},
		{"/marking", 1},
		{"admin/returns, roster", 2},
		{"nothing-matches", 0},
	}
	for _, tt := range tests {
		if got := selected(pages, tt.only); len(got) != tt.want {
			t.Errorf("%q: %d pages, want %d", tt.only, len(got), tt.want)
		}
	}
}

func TestCheckGrowth(t *testing.T) {
	run := func(p50 map[string]float64) report {
		var r report
		for name, v := range p50 {
			role, page, _ := strings.Cut(name, " ")
			r.Pages = append(r.Pages, pageResult{Role: role, Page: page, One: load{P50Ms: v}})
		}
		return r
	}
	all := func(v float64) map[string]float64 {
		m := map[string]float64{}
		for _, name := range growthPages {
			m[name] = v
		}
		return m
	}
	with := func(m map[string]float64, name string, v float64) map[string]float64 {
		m[name] = v
		return m
	}
	without := func(m map[string]float64, name string) map[string]float64 {
		delete(m, name)
		return m
	}
	tests := []struct {
		name           string
		demo, national map[string]float64
		met            bool
		note           string
	}{
		{"the same", all(4), all(4), true, "every named page"},
		{"just within 2×", all(4), with(all(4), "admin /admin/returns", 8), true, "every named page"},
		{"over 2×", all(4), with(all(4), "admin /admin/returns", 9), false, "admin /admin/returns (9.0 ms, demo 4.0 ms)"},
		{"tiny times differ by under a millisecond", all(0.3), all(1.2), true, "every named page"},
		{"a page missing from one run", without(all(4), "assessor /marking"), all(4), false, "not measured in both runs: assessor /marking"},
	}
	for _, tt := range tests {
		r := run(tt.national)
		checkGrowth(&r, run(tt.demo))
		got := r.Targets[len(r.Targets)-1]
		if got.Met != tt.met || !strings.Contains(got.Note, tt.note) {
			t.Errorf("%s: %v %q", tt.name, got.Met, got.Note)
		}
	}
}
