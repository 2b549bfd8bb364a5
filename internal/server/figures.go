package server

import (
	"context"
	"net/http"
	"time"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/cached"
	"npq/internal/overview"
	"npq/internal/scope"
	"npq/internal/todo"
)

// figures are whole-table figures that admin pages show, each kept for a while by this
// instance: at national size each costs from tens to hundreds of milliseconds to work out,
// and figures a minute or two old do their job. The pages say when they were worked out.
type figures struct {
	reports  *cached.Value[assessment.Report]
	overview *cached.Value[overviewFigures]
}

// overviewFigures are the admin overview's counts and to-do lines.
type overviewFigures struct {
	counts overview.Counts
	todo   []todo.Item
}

const (
	// reportsTTL is how long the assessment reports are kept: they describe months of marking.
	reportsTTL = 5 * time.Minute
	// overviewTTL is how long the admin overview's counts and to-do lines are kept. An
	// admin's own changes drop them at once (forgetFigures).
	overviewTTL = time.Minute
)

func newFigures() figures {
	return figures{
		reports:  &cached.Value[assessment.Report]{TTL: reportsTTL},
		overview: &cached.Value[overviewFigures]{TTL: overviewTTL},
	}
}

// adminOverviewFigures returns the whole provider's overview figures and when they were
// worked out.
func (s *Server) adminOverviewFigures(ctx context.Context) (overviewFigures, time.Time, error) {
	now := s.now()
	return s.figures.overview.Get(ctx, now, func(ctx context.Context) (overviewFigures, error) {
		c, err := s.overview.Counts(ctx)
		if err != nil {
			return overviewFigures{}, err
		}
		items, err := s.todoStore().Summary(ctx, scope.Admin(), now)
		return overviewFigures{counts: c, todo: items}, err
	})
}

// forgetFigures drops the overview's figures once an admin has changed something, so that
// the admin sees their own work counted at once; others' changes show within overviewTTL.
func (s *Server) forgetFigures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if u := currentUser(r.Context()); u != nil && u.Role == auth.RoleProviderAdmin {
				s.figures.overview.Forget()
			}
		}
	})
}
