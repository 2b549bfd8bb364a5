package server

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
	"npq/web/layout"
)

// access is the rule for one route: public, or signed in with one of the roles.
type access struct {
	public bool
	roles  []auth.Role
	// beforeTwoStep opens the route to someone whose role requires two-step sign-in before
	// they have set it up: only setting it up.
	beforeTwoStep bool
}

var (
	publicAccess = access{public: true}
	participants = access{roles: []auth.Role{auth.RoleParticipant}}
	partnerStaff = access{roles: []auth.Role{auth.RolePartnerStaff}}
	admins       = access{roles: []auth.Role{auth.RoleProviderAdmin}}
	assessors    = access{roles: []auth.Role{auth.RoleAssessor}}
	// Letters are read by the participant they are for, their partner's staff and admins.
	lettersReaders = access{roles: []auth.Role{auth.RoleParticipant, auth.RolePartnerStaff, auth.RoleProviderAdmin}}
	// supporting documents: the participant, their markers and admins (the store checks which)
	documentReaders = access{roles: []auth.Role{auth.RoleParticipant, auth.RoleProviderAdmin, auth.RoleAssessor}}
)

// allows reports whether someone signed in with role may use the route (signed out, only a
// public route is open).
func (a access) allows(role auth.Role) bool {
	return a.public || slices.Contains(a.roles, role)
}

// handle registers a route with its access rule. Every route must be registered this way:
// checkPolicies refuses a router with a route that has no rule.
func (s *Server) handle(r chi.Router, method, pattern string, a access, h handlerFunc) {
	if !a.public && len(a.roles) == 0 {
		panic(fmt.Sprintf("server: route %s %s has an empty access rule", method, pattern))
	}
	s.policies[method+" "+pattern] = a
	if strings.HasSuffix(pattern, ".csv") {
		h = s.auditedExport(h)
	}
	r.With(s.authorise(a)).Method(method, pattern, s.wrap(h))
}

// authorise enforces a route's access rule before its handler runs.
func (s *Server) authorise(a access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a.public {
				next.ServeHTTP(w, r)
				return
			}
			u := currentUser(r.Context())
			if u == nil {
				s.redirectToSignIn(w, r)
				return
			}
			if !a.allows(u.Role) {
				s.renderError(w, r, errForbidden)
				return
			}
			if s.mustSetUpTwoStep(u) {
				if !a.beforeTwoStep {
					http.Redirect(w, r, twoStepSetUpPath, http.StatusSeeOther)
					return
				}
				// Nothing else is open until it is set up, so the menu would only lead back.
				layout.MetaFrom(r.Context()).Nav = nil
			}
			next.ServeHTTP(w, r)
		})
	}
}

// checkPolicies walks the router and returns the routes registered without an access rule.
func (s *Server) checkPolicies(r chi.Routes) []string {
	var missing []string
	chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error { //nolint:errcheck // the walk func never fails
		if _, ok := s.policies[method+" "+route]; !ok {
			missing = append(missing, method+" "+route)
		}
		return nil
	})
	sort.Strings(missing)
	return missing
}
