package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

// implicitRoles are the landmark roles of elements without a role attribute.
var implicitRoles = map[string]string{"main": "main", "nav": "navigation", "aside": "complementary", "form": "form", "section": "region"}

// namedOnly are the landmark roles that are landmarks only when they have a name.
var namedOnly = map[string]bool{"form": true, "region": true}

// landmarkName is an element's accessible name from aria-label or aria-labelledby.
func landmarkName(doc *goquery.Document, s *goquery.Selection) string {
	if l, ok := s.Attr("aria-label"); ok {
		return strings.TrimSpace(l)
	}
	if ids, ok := s.Attr("aria-labelledby"); ok {
		var parts []string
		for _, id := range strings.Fields(ids) {
			parts = append(parts, strings.TrimSpace(doc.Find("#"+id).Text()))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// duplicateLandmarks lists the landmarks of a page that share their role and name, which
// screen reader users cannot tell apart (axe's landmark-unique).
func duplicateLandmarks(doc *goquery.Document) []string {
	seen := map[string]int{}
	doc.Find("[role], main, nav, aside, form, section, body > header, body > footer").Each(func(_ int, s *goquery.Selection) {
		role := s.AttrOr("role", implicitRoles[goquery.NodeName(s)])
		switch {
		case goquery.NodeName(s) == "header" && role == "":
			role = "banner"
		case goquery.NodeName(s) == "footer" && role == "":
			role = "contentinfo"
		}
		name := landmarkName(doc, s)
		landmark := map[string]bool{"banner": true, "complementary": true, "contentinfo": true, "form": true, "main": true,
			"navigation": true, "region": true, "search": true}[role]
		if !landmark || namedOnly[role] && name == "" {
			return
		}
		seen[role+` "`+name+`"`]++
	})
	var dups []string
	for k, n := range seen {
		if n > 1 {
			dups = append(dups, fmt.Sprintf("%s ×%d", k, n))
		}
	}
	return dups
}

// Every landmark on every staff and participant page has its own role and name, so the
// landmarks menu of a screen reader tells the tables and lists apart.
func TestLandmarksAreUniqueOnEveryPage(t *testing.T) {
	a := newTestApp(t)
	f := a.eventsListFixture()
	a.requestsFixture(f.programmeFixture)
	a.assessmentFixture(f.programmeFixture)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	pam := a.as(f.participant)
	marker := a.as(a.marker("first@markers.test", 0))
	pages := map[*testClient][]string{
		admin: {"/admin", "/admin/events", "/admin/events?status=all", fmt.Sprintf("/admin/events/%d", f.headship), "/admin/outbox",
			"/admin/assessment", "/admin/assessment/reports", "/admin/assessment/assessors", "/admin/deferrals", "/admin/withdrawals?state=all",
			"/admin/returns", "/admin/participants", "/admin/participants?q=pam", fmt.Sprintf("/admin/enrolments/%d", f.enrolment),
			"/admin/courses", fmt.Sprintf("/admin/courses/%d", f.courseID), "/admin/cohorts", fmt.Sprintf("/admin/cohorts/%d", f.cohortID),
			"/admin/partners", "/admin/invitations", "/admin/news", fmt.Sprintf("/admin/cohorts/%d/engagement", f.cohortID)},
		staff: {"/partner", "/partner/events", "/partner/events?status=past", fmt.Sprintf("/partner/events/%d", f.unmarked),
			fmt.Sprintf("/partner/events/%d/register", f.unmarked), fmt.Sprintf("/partner/cohorts/%d", f.cohortID),
			fmt.Sprintf("/partner/cohorts/%d/engagement", f.cohortID), "/partner/decisions", "/partner/milestones", "/partner/events/new"},
		pam:    {"/home", "/events", "/progress", "/learn", "/requests", "/assessment", "/frameworks"},
		marker: {"/marking"},
	}
	for c, paths := range pages {
		for _, path := range paths {
			res := c.get(path)
			if res.StatusCode != 200 {
				t.Errorf("%s: %d", path, res.StatusCode)
				continue
			}
			if dups := duplicateLandmarks(res.Doc); len(dups) > 0 {
				t.Errorf("%s has landmarks that cannot be told apart: %v", path, dups)
			}
		}
	}
}

func TestDuplicateLandmarks(t *testing.T) {
	for _, c := range []struct {
		html string
		want string
	}{
		{`<div role="region" aria-label="Events"></div><div role="region" aria-label="Events"></div>`, `[region "Events" ×2]`},
		{`<div role="region" aria-label="Upcoming"></div><div role="region" aria-label="Past"></div>`, `[]`},
		{`<div class="app-table-wrap"></div><div class="app-table-wrap"></div>`, `[]`},
		{`<nav aria-label="Menu"></nav><nav aria-label="Menu"></nav>`, `[navigation "Menu" ×2]`},
		{`<nav></nav><nav></nav>`, `[navigation "" ×2]`},
		{`<h2 id="a">Booked</h2><section aria-labelledby="a"></section><div role="region" aria-label="Booked"></div>`, `[region "Booked" ×2]`},
		{`<form role="search" aria-label="Find events"></form><form method="post"></form><form method="post"></form>`, `[]`},
	} {
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader("<html><body>" + c.html + "</body></html>"))
		if got := fmt.Sprint(duplicateLandmarks(doc)); got != c.want {
			t.Errorf("%s: %s, want %s", c.html, got, c.want)
		}
	}
}
