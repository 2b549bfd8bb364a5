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
		return []layout.NavItem{{Label: "Cohorts", Href: "/partner"}, {Label: "Events", Href: "/partner/events"}, {Label: "Deferrals and withdrawals", Href: "/partner/decisions"}, {Label: "Frameworks", Href: "/frameworks"}}
	case auth.RoleProviderAdmin:
		return []layout.NavItem{{Label: "Overview", Href: "/admin"}, {Label: "Courses", Href: "/admin/courses"},
			{Label: "Cohorts", Href: "/admin/cohorts"}, {Label: "Events", Href: "/admin/events"}, {Label: "Participants", Href: "/admin/participants"},
			{Label: "Deferrals", Href: "/admin/deferrals"}, {Label: "Withdrawals", Href: "/admin/withdrawals"}, {Label: "Assessment", Href: "/admin/assessment"},
			{Label: "Partners", Href: "/admin/partners"}, {Label: "News", Href: "/admin/news"},
			{Label: "Invitations", Href: "/admin/invitations"}, {Label: "Outbox", Href: "/admin/outbox"}}
	case auth.RoleAssessor:
		return []layout.NavItem{{Label: "Marking", Href: "/marking"}, {Label: "Frameworks", Href: "/frameworks"}}
	}
	return nil
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
