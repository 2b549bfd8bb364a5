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

// participantNames lists the names a participants page shows, in order.
func participantNames(t *testing.T, res *testResponse) []string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", res.Request.URL, res.StatusCode, res.text("main"))
	}
	var out []string
	res.Doc.Find(`[data-testid="participant-row"] [data-testid="record-link"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
	return out
}

// The participants list is searched, filtered by course, cohort, partner and status, sorted
// by name and paged; each row names its course, cohort and partner.
func TestAdminParticipantsListFiltersAndPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := context.Background()
	s := programme.Store{DB: a.pool}
	for i := range 13 {
		if _, err := s.Enrol(ctx, programme.NewEnrolment{Email: fmt.Sprintf("m%02d@school.test", i), Name: fmt.Sprintf("Amara %02d", i),
			CohortID: f.cohortID, FundingRoute: programme.FundingScholarship}, 0, a.ts.URL); err != nil {
			t.Fatal(err)
		}
	}
	// Pam moves on to a second enrolment at Hillside: she has a row for each.
	second, err := s.Enrol(ctx, programme.NewEnrolment{Email: f.participant.Email, Name: f.participant.Name, CohortID: f.cohort2, FundingRoute: programme.FundingScholarship}, 0, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	a.pool.Exec(ctx, `UPDATE enrolments SET status = 'deferred' WHERE id = $1`, second) //nolint:errcheck
	a.user("nobody@school.test", auth.RoleParticipant, nil)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for q, want := range map[string]string{
		"q=amara+07":                                     "Amara 07",
		"q=M12%40school":                                 "Amara 12",
		"status=deferred":                                f.participant.Name,
		"partner=" + fmt.Sprint(f.partner2):              f.participant.Name + "|" + f.other.Name,
		"cohort=" + fmt.Sprint(f.cohort2) + "&q=olu":     f.other.Name,
		"q=nobody":                                       "Test participant",
		"course=" + fmt.Sprint(f.courseID) + "&q=nobody": "",
	} {
		if got := strings.Join(participantNames(t, admin.get("/admin/participants?"+q)), "|"); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	pam := admin.get("/admin/participants?q=pam")
	if n := pam.Doc.Find(`[data-testid="participant-row"]`).Length(); n != 2 || !strings.Contains(pam.text(`[data-testid="matches"]`), "Hillside Trust") ||
		!strings.Contains(pam.text(`[data-testid="matches"]`), "Riverside Hub") || !strings.Contains(pam.text(`[data-testid="matches"]`), "NPQH") {
		t.Errorf("Pam's rows: %q", pam.text(`[data-testid="matches"]`))
	}
	if pam.Doc.Find(`[data-testid="record-link"]`).AttrOr("href", "") != fmt.Sprintf("/admin/participants/%d", f.participant.ID) {
		t.Error("the name does not open the participant's record")
	}
	// 13 Amaras over two pages of 10, by name, keeping the search.
	first := admin.get("/admin/participants?q=amara&size=10")
	next := first.Doc.Find(`a[rel="next"]`).AttrOr("href", "")
	got := append(participantNames(t, first), participantNames(t, admin.get(next))...)
	if len(got) != 13 || got[0] != "Amara 00" || got[12] != "Amara 12" || !strings.Contains(next, "q=amara") {
		t.Errorf("paged: %v via %q", got, next)
	}
	if first.Doc.Find(`th[aria-sort="ascending"]`).Text() != "Name" {
		t.Error("no visible sort")
	}
	for _, q := range []string{"status=gone", "cohort=x", "size=500", "after=" + "WyJhIiwiMSJd"} {
		if res := admin.get("/admin/participants?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: %d", q, res.StatusCode)
		}
	}
	if n, _ := a.queriesFor(admin, "/admin/participants?q=amara&status=active"); n > 5 {
		t.Errorf("participants list ran %d queries", n)
	}
}
