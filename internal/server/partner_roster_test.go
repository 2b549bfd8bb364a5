package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/programme"
)

// rosterFixture is the programme fixture with a handful more people in the first cohort:
// two called Amara Iqbal at different schools, one active yesterday, one deferred.
type rosterFixture struct {
	*programmeFixture
	amaraOak, amaraElm, recent, deferred int64 // enrolments
}

func (a *testApp) rosterFixture() rosterFixture {
	a.t.Helper()
	f := rosterFixture{programmeFixture: a.programmeFixture()}
	s := programme.Store{DB: a.pool}
	ctx := context.Background()
	enrol := func(email, name, school string) int64 {
		id, err := s.Enrol(ctx, programme.NewEnrolment{Email: email, Name: name, CohortID: f.cohortID, FundingRoute: programme.FundingSelfFunded}, 0, a.ts.URL)
		if err != nil {
			a.t.Fatal(err)
		}
		if _, err := a.pool.Exec(ctx, `UPDATE enrolments SET school = $1 WHERE id = $2`, school, id); err != nil {
			a.t.Fatal(err)
		}
		return id
	}
	f.amaraOak = enrol("amara.iqbal@oak.test", "Amara Iqbal", "Oak Primary School")
	f.amaraElm = enrol("a.iqbal@elm.test", "Amara Iqbal", "Elm Academy")
	f.recent = enrol("rita@school.test", "Rita Recent", "Oak Primary School")
	f.deferred = enrol("dev@school.test", "Dev Deferred", "Birch School")
	if _, err := a.pool.Exec(ctx, `UPDATE enrolments SET last_activity_at = $1 WHERE id = $2`, a.now().Add(-24*time.Hour), f.recent); err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE enrolments SET status = 'deferred' WHERE id = $1`, f.deferred); err != nil {
		a.t.Fatal(err)
	}
	return f
}

// rosterNames are the names and emails on a roster page, in order.
func rosterNames(res *testResponse) []string {
	var out []string
	res.Doc.Find(`[data-testid="roster-row"]`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.Find("td").First().Find(".govuk-body-s").First().Text())
	})
	return out
}

func TestRosterSearchAndFilters(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	base := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"amara.iqbal@oak.test", "a.iqbal@elm.test", "dev@school.test", "rita@school.test", "pam@school.test"}},
		{"?q=amara", []string{"amara.iqbal@oak.test", "a.iqbal@elm.test"}},
		{"?q=ELM.TEST", []string{"a.iqbal@elm.test"}},
		{"?q=oak+primary", []string{"amara.iqbal@oak.test", "rita@school.test"}},
		{"?q=nobody", nil},
		{"?status=deferred", []string{"dev@school.test"}},
		{"?status=active&q=oak", []string{"amara.iqbal@oak.test", "rita@school.test"}},
		{"?engagement=inactive", []string{"amara.iqbal@oak.test", "a.iqbal@elm.test", "pam@school.test"}},
		{"?engagement=inactive&inactive=60", nil},
		{"?sort=activity&dir=desc", []string{"rita@school.test", "amara.iqbal@oak.test", "a.iqbal@elm.test", "dev@school.test", "pam@school.test"}},
	} {
		res := staff.get(base + tt.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tt.query, res.StatusCode)
		}
		if got := rosterNames(res); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
		}
	}
	// Filters live in the address and stay in the form, the sort links and the CSV link.
	res := staff.get(base + "?q=oak&status=active&sort=progress&dir=desc")
	if v, _ := res.Doc.Find(`#q`).Attr("value"); v != "oak" {
		t.Errorf("search kept as %q", v)
	}
	if v := res.Doc.Find(`#status option[selected]`).AttrOr("value", ""); v != "active" {
		t.Errorf("status kept as %q", v)
	}
	if href := res.Doc.Find(`th[aria-sort="none"] a`).First().AttrOr("href", ""); !strings.Contains(href, "q=oak") || !strings.Contains(href, "status=active") {
		t.Errorf("sort link drops the filters: %s", href)
	}
	if href := res.Doc.Find(`[data-testid="roster-csv"]`).AttrOr("href", ""); !strings.Contains(href, "q=oak") {
		t.Errorf("CSV link drops the search: %s", href)
	}
	if got := res.Doc.Find(`[data-testid="clear-filters"]`).AttrOr("href", ""); got != base {
		t.Errorf("clear filters: %q", got)
	}
	// Unknown filter values are refused, not ignored.
	for _, bad := range []string{"?status=lost", "?engagement=asleep"} {
		if res := staff.get(base + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}

func TestRosterShowsTheCurrentSort(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	base := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	res := staff.get(base)
	if got := res.Doc.Find(`th[aria-sort="ascending"]`).Text(); !strings.Contains(got, "Participant") || !strings.Contains(got, "▲") {
		t.Errorf("default sort header: %q", got)
	}
	if got := res.text(`[data-testid="sorted-by"]`); got != "Sorted by name, A to Z." {
		t.Errorf("sorted by: %q", got)
	}
	res = staff.get(base + "?sort=activity&dir=desc")
	if got := res.Doc.Find(`th[aria-sort="descending"]`).Text(); !strings.Contains(got, "Last active") || !strings.Contains(got, "▼") {
		t.Errorf("activity sort header: %q", got)
	}
	if n := res.Doc.Find(`[data-testid="sort-marker"]`).Length(); n != 1 {
		t.Errorf("%d sort markers", n)
	}
	if got := res.text(`[data-testid="sorted-by"]`); got != "Sorted by last active, most recent first." {
		t.Errorf("sorted by: %q", got)
	}
}

func TestRosterNamesOpenTheParticipantRecord(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	res := staff.get(fmt.Sprintf("/partner/cohorts/%d?q=pam", f.cohortID))
	if got := res.Doc.Find(`[data-testid="roster-name"]`).AttrOr("href", ""); got != fmt.Sprintf("/partner/participants/%d", f.participant.ID) {
		t.Errorf("partner link: %q", got)
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res = admin.get(fmt.Sprintf("/admin/cohorts/%d?q=pam", f.cohortID))
	if got := res.Doc.Find(`[data-testid="roster-name"]`).AttrOr("href", ""); got != fmt.Sprintf("/admin/participants/%d", f.participant.ID) {
		t.Errorf("admin link: %q", got)
	}
	if res.Doc.Find(fmt.Sprintf(`a[href="/admin/enrolments/%d"]`, f.enrolment)).Length() != 1 {
		t.Error("admins lose the link to the enrolment")
	}
	// Twins are told apart by their school.
	res = staff.get(fmt.Sprintf("/partner/cohorts/%d?q=amara", f.cohortID))
	if got := res.text(`[data-testid="roster"]`); !strings.Contains(got, "Oak Primary School") || !strings.Contains(got, "Elm Academy") {
		t.Errorf("schools: %q", got)
	}
}

func TestRosterScheduleLabelAndInactivityOnlyOnceStarted(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	base := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	res := staff.get(base)
	if got := res.text("main"); !strings.Contains(got, "NPQ leadership autumn") || strings.Contains(got, "npq-leadership-autumn") {
		t.Errorf("schedule shown as a code: %q", res.text(".govuk-summary-list"))
	}
	if n := res.Doc.Find(`tr.app-highlight-row`).Length(); n != 3 {
		t.Errorf("started cohort: %d highlighted, want 3", n)
	}
	// The same people in a cohort whose first block opens next week: nobody is highlighted.
	ctx := context.Background()
	next := a.today().AddDate(0, 0, 7)
	if _, err := a.pool.Exec(ctx, `UPDATE cohorts SET starts_on = $1 WHERE id = $2`, next, f.cohortID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE cohort_blocks SET opens_on = opens_on + 40 WHERE cohort_id = $1`, f.cohortID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE enrolments SET starts_on = $1 WHERE cohort_id = $2`, next, f.cohortID); err != nil {
		t.Fatal(err)
	}
	res = staff.get(base)
	if n := res.Doc.Find(`tr.app-highlight-row`).Length(); n != 0 {
		t.Errorf("cohort not started: %d highlighted", n)
	}
	if res.Doc.Find(`[data-testid="inactive-count"]`).Length() != 0 {
		t.Errorf("cohort not started: %q", res.text(`[data-testid="roster-summary"]`))
	}
	// A late joiner who started ten days ago is not highlighted either.
	if _, err := a.pool.Exec(ctx, `UPDATE cohorts SET starts_on = $1 WHERE id = $2`, a.today().AddDate(0, -2, 0), f.cohortID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE cohort_blocks SET opens_on = $1 WHERE cohort_id = $2 AND block_id = $3`, a.today().AddDate(0, -2, 0), f.cohortID, f.block1); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE enrolments SET starts_on = $1 WHERE cohort_id = $2`, a.today().AddDate(0, 0, -10), f.cohortID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE enrolments SET starts_on = $1 WHERE id = $2`, a.today().AddDate(0, -2, 0), f.enrolment); err != nil {
		t.Fatal(err)
	}
	res = staff.get(base + "?engagement=inactive")
	if got := rosterNames(res); strings.Join(got, ",") != "pam@school.test" {
		t.Errorf("late joiners counted as inactive: %v", got)
	}
}

func TestRosterBehindAndNotBooked(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	ctx := context.Background()
	// Block 2 has opened, so everyone active with block 1 unfinished is behind.
	if _, err := a.pool.Exec(ctx, `UPDATE cohort_blocks SET opens_on = $1 WHERE cohort_id = $2 AND block_id = $3`, a.today(), f.cohortID, f.block2); err != nil {
		t.Fatal(err)
	}
	// A required webinar's dates are open for booking; Pam books one.
	ev := a.scheduleEvent(f.programmeFixture, f.webinar, 7, new(10))
	if res := a.as(f.participant).post(fmt.Sprintf("/events/%d/book", ev), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("book: %d", res.StatusCode)
	}
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	base := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	if got := rosterNames(staff.get(base + "?engagement=behind")); len(got) != 4 {
		t.Errorf("behind: %v", got)
	}
	got := rosterNames(staff.get(base + "?engagement=not-booked"))
	if strings.Join(got, ",") != "amara.iqbal@oak.test,a.iqbal@elm.test,rita@school.test" {
		t.Errorf("not booked: %v", got)
	}
	res := staff.get(base)
	if got := res.Doc.Find(`#engagement option[value="not-booked"]`).Text(); got != "Not booked a required session (3)" {
		t.Errorf("option: %q", got)
	}
}

func TestRosterScopeAndQueries(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	if res := staff.get(fmt.Sprintf("/partner/cohorts/%d?q=olu", f.cohort2)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another partner's roster: %d", res.StatusCode)
	}
	if res := staff.get(fmt.Sprintf("/partner/cohorts/%d/roster.csv", f.cohort2)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another partner's roster CSV: %d", res.StatusCode)
	}
	n, res := a.queriesFor(staff, fmt.Sprintf("/partner/cohorts/%d?q=amara&engagement=inactive&sort=progress", f.cohortID))
	// The session's read, the user, the session's save, the cohort, its blocks and the roster.
	if res.StatusCode != http.StatusOK || n > 6 {
		t.Errorf("roster: status %d, %d queries", res.StatusCode, n)
	}
}

func TestRosterCSVOpensWellInExcel(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	a.pool.Exec(t.Context(), `UPDATE users SET name = 'Zoë Ångström' WHERE email = 'rita@school.test'`) //nolint:errcheck
	res := staff.get(fmt.Sprintf("/partner/cohorts/%d/roster.csv", f.cohortID))
	want := "roster-npqh-riverside-" + a.today().Format("2006-01-02") + ".csv"
	if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="`+want+`"`) {
		t.Errorf("file name: %q, want %q", got, want)
	}
	rows := readCSV(t, res)
	if got := strings.Join(rows[0][:8], "|"); got != "Name|Email|School|Course|Cohort|Delivery partner|Status|Funding" {
		t.Errorf("header: %q", got)
	}
	byEmail := map[string][]string{}
	for _, r := range rows[1:] {
		byEmail[r[1]] = r
	}
	if r := byEmail["rita@school.test"]; r == nil || r[0] != "Zoë Ångström" || r[2] != "Oak Primary School" || r[4] != "NPQH Riverside" ||
		r[6] != "Active" || r[7] != "Self-funded" {
		t.Errorf("row: %q", r)
	}
	if r := byEmail["dev@school.test"]; r == nil || r[6] != "Deferred" {
		t.Errorf("deferred row: %q", r)
	}
	if r := byEmail["pam@school.test"]; r == nil || r[7] != "Scholarship (DfE funded)" || r[15] != "Never" || r[17] != "Yes" {
		t.Errorf("pam: %q", r)
	}
	// The export follows the page's search and filters.
	rows = readCSV(t, staff.get(fmt.Sprintf("/partner/cohorts/%d/roster.csv?q=amara&sort=name&dir=desc", f.cohortID)))
	if len(rows) != 3 || rows[1][1] != "a.iqbal@elm.test" || rows[2][1] != "amara.iqbal@oak.test" {
		t.Errorf("filtered export: %q", rows)
	}
	if res := staff.get(fmt.Sprintf("/partner/cohorts/%d/roster.csv?status=lost", f.cohortID)); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad filter: %d", res.StatusCode)
	}
}

func TestRosterPages(t *testing.T) {
	a := newTestApp(t)
	f := a.rosterFixture()
	s := programme.Store{DB: a.pool}
	for i := range 22 {
		if _, err := s.Enrol(t.Context(), programme.NewEnrolment{Email: fmt.Sprintf("many%02d@oak.test", i), Name: fmt.Sprintf("Many %02d", i),
			CohortID: f.cohortID, FundingRoute: programme.FundingScholarship}, 0, a.ts.URL); err != nil {
			t.Fatal(err)
		}
	}
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	base := fmt.Sprintf("/partner/cohorts/%d", f.cohortID)
	// 24 match "oak" (22 + two at Oak Primary School): pages of 10, 10 and 4, filters kept.
	var seen []string
	path := base + "?q=oak&size=10&sort=name&dir=desc"
	var pages []string
	for path != "" && len(pages) < 5 {
		pages = append(pages, path)
		res := staff.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		seen = append(seen, rosterNames(res)...)
		path = res.Doc.Find(`.govuk-pagination a[rel="next"]`).AttrOr("href", "")
		if path != "" && (!strings.Contains(path, "q=oak") || !strings.Contains(path, "size=10") || !strings.Contains(path, "dir=desc")) {
			t.Errorf("next page loses the search, size or sort: %s", path)
		}
	}
	if len(pages) != 3 || len(seen) != 24 {
		t.Fatalf("%d pages, %d rows: %v", len(pages), len(seen), seen)
	}
	if seen[0] != "rita@school.test" || seen[23] != "amara.iqbal@oak.test" {
		t.Errorf("order: first %s, last %s", seen[0], seen[23])
	}
	// Back from the last page gives the second page again.
	last := staff.get(pages[2])
	prev := last.Doc.Find(`.govuk-pagination a[rel="prev"]`).AttrOr("href", "")
	if got := strings.Join(rosterNames(staff.get(prev)), ","); got != strings.Join(seen[10:20], ",") {
		t.Errorf("previous page: %s", got)
	}
	if staff.get(pages[0]).Doc.Find(`.govuk-pagination a[rel="prev"]`).Length() != 0 {
		t.Error("the first page offers a previous page")
	}
	// A short roster has no pager.
	if staff.get(base+"?q=amara").Doc.Find(".govuk-pagination").Length() != 0 {
		t.Error("pager on a single page")
	}
	for _, bad := range []string{"?size=3", "?size=abc", "?after=not-a-cursor", "?after=WyJ4Il0", "?sort=activity&after=WyJ4IiwiTmFtZSIsIjEiXQ"} {
		if res := staff.get(base + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
	// The second page costs what the first does.
	first, _ := a.queriesFor(staff, pages[0])
	second, _ := a.queriesFor(staff, pages[1])
	if first != second || second > 6 {
		t.Errorf("queries: first page %d, second %d", first, second)
	}
}

// The enrolment import takes an optional school, which the roster shows and searches.
func TestImportKeepsTheSchool(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	header := "email,full_name,cohort,funding_route,school\n"
	res := admin.upload("/admin/enrolments/import", "long.csv", header+"ann@school.test,Ann One,NPQH Riverside,scholarship,"+strings.Repeat("x", 201)+"\n")
	if res.StatusCode != 422 || !strings.Contains(res.text(`[data-testid="import-problems"]`), "School must be 200 characters or fewer") {
		t.Errorf("long school: %d %q", res.StatusCode, res.text(`[data-testid="import-problems"]`))
	}
	if n := a.count(`SELECT count(*) FROM users WHERE email = 'ann@school.test'`); n != 0 {
		t.Error("a refused file enrolled someone")
	}
	res = admin.upload("/admin/enrolments/import", "good.csv", header+"ann@school.test,Ann One,NPQH Riverside,scholarship,Oak Primary School\n")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d %v", res.StatusCode, res.errorSummary())
	}
	got := admin.get(fmt.Sprintf("/admin/cohorts/%d?q=oak+primary", f.cohortID))
	if names := rosterNames(got); strings.Join(names, ",") != "ann@school.test" || got.text(`[data-testid="roster-school"]`) != "Oak Primary School" {
		t.Errorf("roster: %v %q", names, got.text(`[data-testid="roster-school"]`))
	}
	// Admins choose a cohort's DfE schedule by its name.
	form := admin.get(fmt.Sprintf("/admin/cohorts/new?course=%d", f.courseID))
	if got := form.Doc.Find(`option[value="npq-leadership-autumn"]`).Text(); got != "NPQ leadership autumn" {
		t.Errorf("schedule option: %q", got)
	}
}

// Enrolling one person can give their school; one too long is refused with nothing saved.
func TestEnrolFormKeepsTheSchool(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	path := fmt.Sprintf("/admin/cohorts/%d/enrolments", f.cohortID)
	form := func(school string) url.Values {
		return url.Values{"email": {"nadia@school.test"}, "name": {"Nadia Head"}, "funding": {"school_funded"}, "school": {school}}
	}
	res := admin.post(path, form(strings.Repeat("x", 201)))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), "|"), "School must be 200 characters or fewer") {
		t.Errorf("long school: %d %v", res.StatusCode, res.errorSummary())
	}
	if v := res.Doc.Find("#school").AttrOr("value", ""); len(v) != 201 {
		t.Error("the school typed is not kept")
	}
	if n := a.count(`SELECT count(*) FROM users WHERE email = 'nadia@school.test'`); n != 0 {
		t.Error("a refused form enrolled someone")
	}
	if res := admin.post(path, form("  Elm Academy ")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol: %d %v", res.StatusCode, res.errorSummary())
	}
	if got := admin.get(fmt.Sprintf("/admin/cohorts/%d?q=elm", f.cohortID)).text(`[data-testid="roster-school"]`); got != "Elm Academy" {
		t.Errorf("school on the roster: %q", got)
	}
}
