package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

// formValues is what the browser would submit from the form sel on the page, pressing the
// submit button with the given action ("" for none).
func (r *testResponse) formValues(sel, action string) url.Values {
	v := url.Values{}
	r.Doc.Find(sel + " input, " + sel + " select, " + sel + " textarea").Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok {
			return
		}
		switch {
		case goquery.NodeName(s) == "select":
			v.Add(name, s.Find("option[selected]").AttrOr("value", ""))
		case s.AttrOr("type", "") == "radio" || s.AttrOr("type", "") == "checkbox":
			if _, on := s.Attr("checked"); on {
				v.Add(name, s.AttrOr("value", "on"))
			}
		default:
			v.Add(name, s.AttrOr("value", s.Text()))
		}
	})
	if action != "" {
		v.Set("action", action)
	}
	return v
}

func TestAdminCohortDatesAreProposedFromTheStart(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	details := url.Values{"course": {strconv.FormatInt(f.courseID, 10)}, "partner": {strconv.FormatInt(f.partnerID, 10)},
		"name": {"NPQH Autumn 2026"}, "schedule": {"npq-leadership-autumn"},
		"starts_on-day": {"7"}, "starts_on-month": {"9"}, "starts_on-year": {"2026"}}
	cohorts := a.count(`SELECT count(*) FROM cohorts`)

	// The details give a proposal in plain words; nothing is saved yet.
	res := admin.post("/admin/cohorts", details)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("propose: %d %v", res.StatusCode, res.errorSummary())
	}
	got := res.text(`[data-testid="proposed-dates"]`)
	for _, want := range []string{"Study7 September 2026 to 7 March 2028", "Block 1: Leading improvement7 September 2026 to 6 June 2027",
		"Block 2: Leading culture7 June 2027 to 7 March 2028", "Assessment window7 March 2028 to 7 June 2028"} {
		if !strings.Contains(strings.Join(strings.Fields(got), ""), strings.Join(strings.Fields(want), "")) {
			t.Errorf("proposal %q lacks %q", got, want)
		}
	}
	if res.Doc.Find(`main input[type=text], main input:not([type])`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.HasPrefix(s.AttrOr("name", ""), "block_")
	}).Length() != 0 {
		t.Error("the proposal shows date boxes")
	}
	if a.count(`SELECT count(*) FROM cohorts`) != cohorts {
		t.Fatal("proposing dates added a cohort")
	}

	// "Change dates" shows them as inputs, filled in.
	change := admin.post("/admin/cohorts", res.formValues("main form", "change-dates"))
	if change.StatusCode != http.StatusOK {
		t.Fatalf("change dates: %d", change.StatusCode)
	}
	if v := change.Doc.Find(fmt.Sprintf(`#block_%d-month`, f.block2)).AttrOr("value", ""); v != "6" {
		t.Errorf("block 2 month filled with %q, want 6", v)
	}

	// Changing the start date after the proposal proposes again rather than saving stale dates.
	stale := res.formValues("main form", "create")
	stale.Set("starts_on-month", "10")
	again := admin.post("/admin/cohorts", stale)
	if again.StatusCode != http.StatusOK || !strings.Contains(again.text(`[data-testid="dates-notice"]`), "proposed again") ||
		!strings.Contains(again.text(`[data-testid="proposed-dates"]`), "7 October 2026 to 7 April 2028") {
		t.Fatalf("stale proposal: %d %q", again.StatusCode, again.text("main"))
	}
	if a.count(`SELECT count(*) FROM cohorts`) != cohorts {
		t.Fatal("a stale proposal added a cohort")
	}

	// A problem with the details on the proposal keeps the proposal on screen.
	noName := res.formValues("main form", "create")
	noName.Set("name", "")
	if bad := admin.post("/admin/cohorts", noName); bad.StatusCode != 422 || strings.Join(bad.errorSummary(), "|") != "Enter the cohort name" ||
		!strings.Contains(bad.text(`[data-testid="proposed-dates"]`), "Leading culture") {
		t.Errorf("no name: %d %v", bad.StatusCode, bad.errorSummary())
	}

	// Adding the cohort with the proposal as it stands.
	created := admin.post("/admin/cohorts", res.formValues("main form", "create"))
	if created.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %v", created.StatusCode, created.errorSummary())
	}
	var opens string
	a.pool.QueryRow(t.Context(), `SELECT string_agg(cb.opens_on::text, ',' ORDER BY b.position) FROM cohort_blocks cb JOIN blocks b ON b.id = cb.block_id
		JOIN cohorts c ON c.id = cb.cohort_id WHERE c.name = 'NPQH Autumn 2026'`).Scan(&opens) //nolint:errcheck
	if opens != "2026-09-07,2027-06-07" {
		t.Errorf("blocks open %q", opens)
	}
	var ends string
	a.pool.QueryRow(t.Context(), `SELECT study_ends_on::text || ',' || assessment_opens_on::text || ',' || assessment_closes_on::text FROM cohorts WHERE name = 'NPQH Autumn 2026'`).Scan(&ends) //nolint:errcheck
	if ends != "2028-03-07,2028-03-07,2028-06-07" {
		t.Errorf("study and assessment %q", ends)
	}
}

func TestAdminCohortDetailsBadInput(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	good := url.Values{"course": {strconv.FormatInt(f.courseID, 10)}, "partner": {strconv.FormatInt(f.partnerID, 10)},
		"name": {"NPQH Autumn 2026"}, "schedule": {"npq-leadership-autumn"},
		"starts_on-day": {"7"}, "starts_on-month": {"9"}, "starts_on-year": {"2026"}}
	with := func(k, v string) url.Values {
		out := url.Values{}
		for key, vs := range good {
			out[key] = append([]string(nil), vs...)
		}
		out.Set(k, v)
		return out
	}
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"course": {strconv.FormatInt(f.courseID, 10)}}, "Choose the delivery partner|Enter the cohort name|Choose the DfE schedule|Enter the start date"},
		{with("partner", "999999"), "Choose one of the delivery partners listed"},
		{with("schedule", "npq-made-up"), "Choose one of the schedules listed"},
		{with("starts_on-day", "31"), "Start date must be a real date"},
		{with("starts_on-year", ""), "Start date must include a year"},
		{with("name", strings.Repeat("n", 201)), "Cohort name must be 200 characters or fewer"},
		{with("course", "999999"), "Choose one of the courses listed"},
	} {
		res := admin.post("/admin/cohorts", tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%d %q, want %q", res.StatusCode, res.errorSummary(), tt.want)
		}
		if res.Doc.Find(`[data-testid="proposed-dates"]`).Length() != 0 {
			t.Errorf("dates proposed for a form with problems: %q", tt.want)
		}
	}
	if res := admin.post("/admin/cohorts", with("starts_on-day", "32")); res.Doc.Find(`#name`).AttrOr("value", "") != "NPQH Autumn 2026" {
		t.Error("the name typed was not kept")
	}
}
