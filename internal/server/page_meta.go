package server

import (
	"net/http"

	"npq/internal/auth"
	"npq/web/layout"
)

// navFor is the header navigation for each role.
func navFor(role auth.Role) []layout.NavItem {
	switch role {
	case auth.RoleParticipant:
		return []layout.NavItem{{Label: "Home", Href: "/home"}, {Label: "Progress", Href: "/progress"}, {Label: "Learn", Href: "/learn"},
			{Label: "Events", Href: "/events"}, {Label: "Assessment", Href: "/assessment"}, {Label: "Requests", Href: "/requests"}}
	case auth.RolePartnerStaff:
		return []layout.NavItem{{Label: "Overview", Href: "/partner"}, {Label: "Events", Href: "/partner/events"}, {Label: "Deferrals and withdrawals", Href: "/partner/decisions"},
			{Label: "DfE milestones", Href: "/partner/milestones"}, {Label: "Frameworks", Href: "/frameworks"}}
	case auth.RoleProviderAdmin:
		return adminNav
	case auth.RoleAssessor:
		return []layout.NavItem{{Label: "Marking", Href: "/marking"}, {Label: "Frameworks", Href: "/frameworks"}}
	}
	return nil
}

// adminNav is the admins' menu: six sections that fit one row at 1,280 px beside My account
// and Sign out, each with its pages under the header; deferrals, withdrawals and returns are
// the participants' requests. Admin users and the audit log belong under Settings.
var adminNav = []layout.NavItem{
	{Label: "Overview", Href: "/admin"},
	{Label: "Cohorts", Href: "/admin/cohorts"},
	{Label: "Events", Href: "/admin/events"},
	{Label: "Participants", Href: "/admin/participants", Also: []string{"/admin/enrolments", "/admin/messages", "/admin/deferrals", "/admin/withdrawals", "/admin/returns", "/admin/requests", "/admin/dfe"},
		Sub: []layout.NavItem{{Label: "Find a participant", Href: "/admin/participants"}, {Label: "Deferrals", Href: "/admin/deferrals"},
			{Label: "Withdrawals", Href: "/admin/withdrawals"}, {Label: "Returns", Href: "/admin/returns"}, {Label: "Import enrolments", Href: "/admin/enrolments/import"},
			{Label: "DfE applications", Href: "/admin/dfe/applications"}, {Label: "DfE declarations", Href: "/admin/dfe/declarations", Also: []string{"/admin/dfe/outcomes"}},
			{Label: "DfE status changes", Href: "/admin/dfe/status-changes"}, {Label: "DfE statements", Href: "/admin/dfe/statements"},
			{Label: "DfE mismatches", Href: "/admin/dfe/mismatches"}}},
	{Label: "Assessment", Href: "/admin/assessment", Sub: []layout.NavItem{
		{Label: "Submissions", Href: "/admin/assessment"}, {Label: "Reports", Href: "/admin/assessment/reports"}, {Label: "Assessors", Href: "/admin/assessment/assessors"}}},
	{Label: "Settings", Href: "/admin/courses", Also: []string{"/admin/partners", "/admin/news", "/admin/invitations", "/admin/outbox", "/admin/data-requests", "/admin/retention", "/admin/users", "/admin/audit"},
		Sub: []layout.NavItem{{Label: "Courses", Href: "/admin/courses"}, {Label: "Partners", Href: "/admin/partners"}, {Label: "News", Href: "/admin/news"},
			{Label: "Invitations", Href: "/admin/invitations"}, {Label: "Outbox", Href: "/admin/outbox"}, {Label: "Data requests", Href: "/admin/data-requests"}, {Label: "Retention", Href: "/admin/retention"},
			{Label: "Users", Href: "/admin/users"}, {Label: "Audit", Href: "/admin/audit"}}},
}

// pageAssets puts the content-hashed addresses of the stylesheet, script and icon into the
// page's layout.Meta, which securityHeaders has made.
func (s *Server) pageAssets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := layout.MetaFrom(r.Context())
		m.CSS = s.assets.Path("build/app.css")
		if s.assets.Has("build/govuk-frontend.min.js") {
			m.JS = s.assets.Path("build/govuk-frontend.min.js")
		}
		if s.assets.Has("govuk/assets/images/favicon.ico") {
			m.Favicon = s.assets.Path("govuk/assets/images/favicon.ico")
		}
		next.ServeHTTP(w, r)
	})
}
