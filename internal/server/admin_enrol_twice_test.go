package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

// Double-clicking "Enrol" for someone new enrols them once; the other click is told they are
// already enrolled rather than shown an error page.
func TestDoubleClickEnrolsOnce(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	path := fmt.Sprintf("/admin/cohorts/%d/enrolments", f.cohortID)
	for i := range 5 {
		email := fmt.Sprintf("new%d@school.test", i)
		form := url.Values{"email": {email}, "name": {"New Person"}, "funding": {"scholarship"}}
		codes := admin.postAtOnce(path, form, 3)
		created := 0
		for _, code := range codes {
			switch code {
			case http.StatusSeeOther:
				created++
			case http.StatusUnprocessableEntity:
			default:
				t.Errorf("%s: a click answered %d", email, code)
			}
		}
		if created != 1 {
			t.Errorf("%s: %d clicks enrolled (codes %v)", email, created, codes)
		}
		if n := a.count(`SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id WHERE u.email = $1`, email); n != 1 {
			t.Errorf("%s: %d enrolments", email, n)
		}
		if n := a.count(`SELECT count(*) FROM invitations WHERE email = $1`, email); n != 1 {
			t.Errorf("%s: %d invitations", email, n)
		}
	}
	// The click that lost is answered on the form.
	res := admin.post(path, url.Values{"email": {"new0@school.test"}, "name": {"New Person"}, "funding": {"scholarship"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "already enrolled") {
		t.Errorf("enrolling again: %d %v", res.StatusCode, res.errorSummary())
	}
}

// The same CSV file submitted twice at once enrols everyone once: one import goes through and
// the other reports that they are already enrolled.
func TestSameImportTwiceAtOnce(t *testing.T) {
	a := newTestApp(t)
	a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for round := range 3 {
		var b strings.Builder
		b.WriteString("email,full_name,cohort,funding_route,payment_received_on,start_date\n")
		for i := range 20 {
			fmt.Fprintf(&b, "r%dp%02d@school.test,Person %d,NPQH Riverside,scholarship,,\n", round, i, i)
		}
		codes := admin.uploadAtOnce("/admin/enrolments/import", "cohort.csv", b.String(), 2)
		done := 0
		for _, code := range codes {
			switch code {
			case http.StatusSeeOther:
				done++
			case http.StatusUnprocessableEntity:
			default:
				t.Errorf("round %d: an import answered %d", round, code)
			}
		}
		if done != 1 {
			t.Errorf("round %d: %d imports went through (codes %v)", round, done, codes)
		}
		if n := a.count(`SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id WHERE u.email LIKE $1`, fmt.Sprintf("r%dp%%", round)); n != 20 {
			t.Errorf("round %d: %d enrolments", round, n)
		}
	}
}
