package server

import (
	"context"
	"net/http"
	"time"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/cached"
	"npq/internal/overview"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/todo"
)

// figures are whole-table figures that admin pages show, each kept for a while by this
// instance: at national size each costs from tens to hundreds of milliseconds to work out,
// and figures a minute or two old do their job. The pages say when they were worked out.
type figures struct {
	reports  *cached.Value[assessment.Report]
	overview *cached.Value[overviewFigures]
	// partnerTodo is each delivery partner's to-do lines, kept like the overview's: at
	// national size a partner's lines read some 4,000 enrolments and their sessions.
	partnerTodo *cached.Keyed[int64, []todo.Item]
	// cohorts is every cohort, without counts, for admins' list filters: over a thousand at
	// national size, and only admins make or rename cohorts.
	cohorts *cached.Value[[]programme.Cohort]
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
		reports:     &cached.Value[assessment.Report]{TTL: reportsTTL},
		overview:    &cached.Value[overviewFigures]{TTL: overviewTTL},
		partnerTodo: &cached.Keyed[int64, []todo.Item]{TTL: overviewTTL},
		cohorts:     &cached.Value[[]programme.Cohort]{TTL: overviewTTL},
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

// partnerTodoItems returns a delivery partner's to-do lines and when they were worked out.
func (s *Server) partnerTodoItems(ctx context.Context, partnerID int64) ([]todo.Item, time.Time, error) {
	now := s.now()
	return s.figures.partnerTodo.Get(ctx, partnerID, now, func(ctx context.Context) ([]todo.Item, error) {
		return s.todoStore().Summary(ctx, scope.Partner(partnerID), now)
	})
}

// cohortChoices are the cohorts in sc, without their counts, for list filters: an admin's
// are kept like the overview's figures (and dropped by an admin's change), a partner's read.
func (s *Server) cohortChoices(ctx context.Context, sc scope.Scope) ([]programme.Cohort, error) {
	if !sc.All() {
		return s.programme.CohortChoices(ctx, sc)
	}
	list, _, err := s.figures.cohorts.Get(ctx, s.now(), func(ctx context.Context) ([]programme.Cohort, error) {
		return s.programme.CohortChoices(ctx, sc)
	})
	return list, err
}

// forgetFigures drops the kept figures a staff member's change may alter, so that they see
// their own work counted at once; others' changes show within overviewTTL. An admin's change
// drops the overview and every partner's to-do lines, a partner's their own lines.
func (s *Server) forgetFigures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return
		}
		switch u := currentUser(r.Context()); {
		case u == nil:
		case u.Role == auth.RoleProviderAdmin:
			s.figures.overview.Forget()
			s.figures.partnerTodo.ForgetAll()
			s.figures.cohorts.Forget()
		case u.Role == auth.RolePartnerStaff && u.DeliveryPartnerID != nil:
			s.figures.partnerTodo.Forget(*u.DeliveryPartnerID)
		}
	})
}
