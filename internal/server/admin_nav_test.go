package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
	"npq/web/layout"
)

// adminSections is where every admin page belongs in the menu. Pages other parts of the
// service add later (participant records, messages, users, audit) are listed already.
var adminSections = map[string]string{
	"/admin":                             "Overview",
	"/admin/todo/{kind}":                 "Overview",
	"/admin/invitations":                 "Settings",
	"/admin/invitations/new":             "Settings",
	"/admin/outbox":                      "Settings",
	"/admin/outbox/{id}":                 "Settings",
	"/admin/partners":                    "Settings",
	"/admin/partners/new":                "Settings",
	"/admin/partners/{partner}":          "Settings",
	"/admin/courses":                     "Settings",
	"/admin/courses/new":                 "Settings",
	"/admin/courses/{course}":            "Settings",
	"/admin/courses/{course}/assessment": "Settings",
	"/admin/courses/{course}/blocks/{block}/items/new":           "Settings",
	"/admin/courses/{course}/blocks/{block}/items/{item}":        "Settings",
	"/admin/courses/{course}/blocks/{block}/remove":              "Settings",
	"/admin/courses/{course}/blocks/{block}/items/{item}/remove": "Settings",
	"/admin/news":                                "Settings",
	"/admin/news/new":                            "Settings",
	"/admin/users":                               "Settings",
	"/admin/users/{user}":                        "Settings",
	"/admin/audit":                               "Settings",
	"/admin/audit.csv":                           "Overview", // a download, not a page
	"/admin/users/{user}/deactivate":             "Settings",
	"/admin/users/{user}/role":                   "Settings",
	"/admin/users/{user}/two-step":               "Settings",
	"/admin/assessment/reports":                  "Assessment",
	"/admin/data-requests":                       "Settings",
	"/admin/retention":                           "Settings",
	"/admin/retention/apply":                     "Settings",
	"/admin/data-requests/new":                   "Settings",
	"/admin/data-requests/{request}":             "Settings",
	"/admin/data-requests/{request}/export.zip":  "Settings",
	"/admin/events/{event}/catch-up":             "Events",
	"/admin/cohorts":                             "Cohorts",
	"/admin/cohorts/new":                         "Cohorts",
	"/admin/cohorts/{cohort}":                    "Cohorts",
	"/admin/cohorts/{cohort}/roster.csv":         "Cohorts",
	"/admin/cohorts/{cohort}/engagement":         "Cohorts",
	"/admin/cohorts/{cohort}/engagement.csv":     "Cohorts",
	"/admin/cohorts/{cohort}/enrolments/new":     "Cohorts",
	"/admin/events":                              "Events",
	"/admin/events/new":                          "Events",
	"/admin/events/{event}":                      "Events",
	"/admin/events/{event}/edit":                 "Events",
	"/admin/events/{event}/copy":                 "Events",
	"/admin/events/{event}/cancel":               "Events",
	"/admin/events/{event}/register":             "Events",
	"/admin/events/{event}/register.csv":         "Events",
	"/admin/enrolments/import":                   "Participants",
	"/admin/enrolments/{enrolment}":              "Participants",
	"/admin/enrolments/{enrolment}/requests/new": "Participants",
	"/admin/enrolments/{enrolment}/extension":    "Participants",
	"/admin/participants":                        "Participants",
	"/admin/participants/{user}":                 "Participants",
	"/admin/messages/new":                        "Participants",
	"/admin/deferrals":                           "Participants",
	"/admin/withdrawals":                         "Participants",
	"/admin/deferrals.csv":                       "Overview", // a download, not a page
	"/admin/withdrawals.csv":                     "Overview",
	"/admin/requests/{request}":                  "Participants",
	"/admin/returns":                             "Participants",
	"/admin/dfe/applications":                    "Participants",
	"/admin/dfe/statements":                      "Participants",
	"/admin/dfe/mismatches":                      "Participants",
	"/admin/enrolments/{enrolment}/dfe":          "Participants",
	"/admin/dfe/applications/{application}":      "Participants",
	"/admin/dfe/declarations":                    "Participants",
	"/admin/dfe/declarations/{declaration}":      "Participants",
	"/admin/dfe/outcomes":                        "Participants",
	"/admin/assessment":                          "Assessment",
	"/admin/assessment/assessors":                "Assessment",
	"/admin/assessment/{submission}":             "Assessment",
	"/admin/assessment/{submission}/moderate":    "Assessment",
}

// Every admin page marks the section it belongs to as current, by the longest matching
// prefix: request, returns, import and enrolment pages are not "Overview".
func TestEveryAdminPageMarksItsSection(t *testing.T) {
	a := newTestApp(t)
	seen := 0
	chi.Walk(a.srv.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error { //nolint:errcheck
		if method != "GET" || !strings.HasPrefix(route, "/admin") {
			return nil
		}
		seen++
		want, ok := adminSections[route]
		if !ok {
			t.Errorf("%s is not in adminSections: say which section of the menu it belongs to", route)
			return nil
		}
		path := routeParam.ReplaceAllString(route, "1")
		i := layout.CurrentItem(adminNav, path)
		if i < 0 || adminNav[i].Label != want {
			t.Errorf("%s is under item %d, want %s", path, i, want)
		}
		return nil
	})
	if seen < 40 {
		t.Errorf("only %d admin pages walked", seen)
	}
	if len(adminNav) > 6 {
		t.Errorf("%d top-level admin items", len(adminNav))
	}
}

// The page shows its section's pages under the header, the current one marked.
func TestAdminSubNavigation(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for path, want := range map[string][2]string{
		"/admin/returns":           {"Participants", "Returns"},
		"/admin/enrolments/import": {"Participants", "Import enrolments"},
		"/admin/outbox":            {"Settings", "Outbox"},
		"/admin/assessment":        {"Assessment", "Submissions"},
		"/admin/dfe/declarations":  {"Participants", "DfE declarations"},
		"/admin/dfe/outcomes":      {"Participants", "DfE declarations"},
		"/admin/dfe/mismatches":    {"Participants", "DfE mismatches"},
	} {
		res := admin.get(path)
		if got := res.text(`.govuk-service-navigation__item--active`); got != want[0] {
			t.Errorf("%s: current menu item %q, want %q", path, got, want[0])
		}
		if got := res.text(`[data-testid="subnav"] [aria-current="page"]`); got != want[1] {
			t.Errorf("%s: current sub-page %q, want %q", path, got, want[1])
		}
	}
	if res := admin.get("/admin"); res.Doc.Find(`[data-testid="subnav"]`).Length() != 0 || res.text(`.govuk-service-navigation__item--active`) != "Overview" {
		t.Error("the overview has no sub-navigation and is current")
	}
}
