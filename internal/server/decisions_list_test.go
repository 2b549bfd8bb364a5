package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/programme"
)

// requestNames lists the participants a requests page shows, in order.
func requestNames(t *testing.T, res *testResponse) []string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", res.Request.URL, res.StatusCode, res.text("main"))
	}
	var out []string
	res.Doc.Find(`[data-testid="request-row"] td:first-child`).Each(func(_ int, s *goquery.Selection) {
		name := s.Contents().First().Text()
		if link := s.Find("a"); link.Length() > 0 {
			name = link.Text()
		}
		out = append(out, strings.TrimPrefix(strings.TrimSpace(name), "Participant ")) // "Participant <email>"
	})
	return out
}

// requestsFixture adds deferral and withdrawal requests at both partners, asked days ago.
func (a *testApp) requestsFixture(f *programmeFixture) {
	a.t.Helper()
	ctx := context.Background()
	s := programme.Store{DB: a.pool}
	request := func(email string, cohort int64, kind, state string, daysAgo int) {
		a.t.Helper()
		id, err := s.Enrol(ctx, enrolIn(email, cohort), 0, a.ts.URL)
		if err != nil {
			a.t.Fatal(err)
		}
		reason, planned := "other", any(a.today().AddDate(0, 6, 0))
		if kind == "withdrawal" {
			planned = nil
		}
		if _, err := a.pool.Exec(ctx, `INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, planned_return_on, source, state, created_at)
			VALUES ($1, $2, $3, $4, $5, 'participant', $6, $7)`, id, kind, reason, a.today(), planned, state, a.now().AddDate(0, 0, -daysAgo)); err != nil {
			a.t.Fatal(err)
		}
	}
	for i := range 12 {
		request(fmt.Sprintf("d%02d@school.test", i), f.cohortID, "deferral", "open", 30-i)
	}
	request("refused@school.test", f.cohortID, "deferral", "refused", 40)
	request("leaver@school.test", f.cohortID, "withdrawal", "open", 2)
	request("hill@school.test", f.cohort2, "deferral", "open", 20)
	request("hillgo@school.test", f.cohort2, "withdrawal", "cancelled", 1)
}

// The deferral and withdrawal queues are searched, filtered and paged, oldest open first.
func TestAdminQueuesFilterAndPage(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	a.requestsFixture(f)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for q, want := range map[string]string{
		"deferrals?q=hill":                                           "hill@school.test",
		"deferrals?state=refused":                                    "refused@school.test",
		"deferrals?state=all&q=re":                                   "refused@school.test",
		"deferrals?partner=" + fmt.Sprint(f.partner2):                "hill@school.test",
		"deferrals?cohort=" + fmt.Sprint(f.cohort2):                  "hill@school.test",
		"deferrals?age=28":                                           "d00@school.test d01@school.test",
		"withdrawals":                                                "leaver@school.test",
		"withdrawals?state=cancelled":                                "hillgo@school.test",
		"withdrawals?state=all":                                      "hillgo@school.test leaver@school.test",
		"withdrawals?course=" + fmt.Sprint(f.courseID) + "&q=nobody": "",
	} {
		if got := strings.Join(requestNames(t, admin.get("/admin/"+q)), " "); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	first := admin.get("/admin/deferrals?size=10")
	got := requestNames(t, first)
	if len(got) != 10 || got[0] != "d00@school.test" || got[9] != "d09@school.test" {
		t.Errorf("first page %v", got)
	}
	if row := first.Doc.Find(`[data-testid="request-course"]`).First().Text(); !strings.Contains(row, "NPQH") || !strings.Contains(row, "NPQH Riverside") || !strings.Contains(row, "Riverside Hub") {
		t.Errorf("row does not name course, cohort and partner: %q", row)
	}
	if first.Doc.Find(`th[aria-sort="ascending"]`).Text() != "Asked" || !strings.Contains(first.text(`[data-testid="sorted-by"]`), "oldest first") {
		t.Error("the queue does not say it is sorted oldest first")
	}
	second := admin.get(first.Doc.Find(`a[rel="next"]`).AttrOr("href", ""))
	if got := strings.Join(requestNames(t, second), " "); got != "d10@school.test hill@school.test d11@school.test" {
		t.Errorf("second page %q", got)
	}
	for _, q := range []string{"state=lost", "age=1", "partner=x", "size=9", "after=abc"} {
		if res := admin.get("/admin/deferrals?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: %d", q, res.StatusCode)
		}
	}
	if n, _ := a.queriesFor(admin, "/admin/deferrals?state=all&q=school"); n > 5 {
		t.Errorf("queue ran %d queries", n)
	}
	// The export still lists decided requests.
	if res := admin.get("/admin/deferrals.csv"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Email") {
		t.Errorf("export: %d", res.StatusCode)
	}
}

// Partner staff see their own participants' requests only, whatever they search or filter.
func TestPartnerDecisionsAreScopedAndFiltered(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	a.requestsFixture(f)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	for _, q := range []string{"", "q=hill", "cohort=" + fmt.Sprint(f.cohort2), "partner=" + fmt.Sprint(f.partner2), "kind=withdrawal", "state=cancelled"} {
		res := staff.get("/partner/decisions?" + q)
		for _, name := range requestNames(t, res) {
			if strings.HasPrefix(name, "hill") {
				t.Errorf("%q lists Hillside's %s", q, name)
			}
		}
	}
	for q, want := range map[string]string{
		"kind=withdrawal": "leaver@school.test",
		"state=refused":   "refused@school.test",
		"q=d11":           "d11@school.test",
	} {
		if got := strings.Join(requestNames(t, staff.get("/partner/decisions?"+q)), " "); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	page := staff.get("/partner/decisions?size=10")
	if got := requestNames(t, page); len(got) != 10 || got[0] != "leaver@school.test" {
		t.Errorf("newest first: %v", got)
	}
	if page.Doc.Find(`#partner`).Length() != 0 {
		t.Error("partner staff are offered a partner filter")
	}
	if res := staff.get("/partner/decisions?state=all"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("state=all: %d", res.StatusCode)
	}
	if n, _ := a.queriesFor(staff, "/partner/decisions?kind=deferral"); n > 5 {
		t.Errorf("decisions ran %d queries", n)
	}
}
