package server

import (
	"net/http"
	"strings"

	"npq/internal/lifecycle"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/admin"
)

// adminQueue lists a kind of request: the open ones, oldest first, unless the address filters
// them otherwise.
func (s *Server) adminQueue(kind lifecycle.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		req, err := listRequest(r)
		if err != nil {
			return err
		}
		filter, f, err := readRequestsFilter(r, req)
		if err != nil {
			return err
		}
		f.Kind = kind
		// The queue is the open requests unless another state (or "all") is asked for.
		switch filter.State {
		case "":
			f.State = lifecycle.StateOpen
		case "all":
			f.State = ""
		}
		f.Oldest = f.State == lifecycle.StateOpen
		f.Progress = true // each row shows the participant's progress and places booked ahead
		v := admin.QueueView{Kind: kind, Now: programme.Today(s.now()), Filter: filter, Sorted: requestsSorted(f.Oldest)}
		if v.Choices, err = s.requestsChoices(r, "Open", "all", "Any state"); err != nil {
			return err
		}
		rows, err := s.lifecycle.RequestsPage(r.Context(), scopeFor(r), f, s.now(), req)
		if err != nil {
			return listFailed(err)
		}
		page := listing.Cut(rows, req, lifecycle.RequestKey)
		v.Requests, v.Pages = page.Rows, seekPager(r, page)
		return s.ok(w, r, admin.Queue(v))
	}
}

// readRequestsFilter reads a requests list's filters from the address; anything no form of
// ours sends is 400. The state "all" is left for the caller to read.
func readRequestsFilter(r *http.Request, req listing.Request) (admin.RequestsFilter, lifecycle.RequestFilter, error) {
	q := r.URL.Query()
	v := admin.RequestsFilter{Query: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), State: q.Get("state"), Course: q.Get("course"),
		Cohort: q.Get("cohort"), Partner: q.Get("partner"), Age: q.Get("age")}
	f := lifecycle.RequestFilter{Query: req.Query}
	bad := badRequest("The list could not be filtered.")
	var ok bool
	if f.Kind, ok = lifecycle.ParseKind(v.Kind); !ok {
		return v, f, bad
	}
	if f.State, ok = lifecycle.ParseState(v.State); !ok && v.State != "all" {
		return v, f, bad
	}
	var err error
	if f.OlderThan, err = filterAge(r); err != nil {
		return v, f, err
	}
	for _, id := range []struct {
		name string
		to   *int64
	}{{"course", &f.CourseID}, {"cohort", &f.CohortID}, {"partner", &f.PartnerID}} {
		if *id.to, err = filterID(r, id.name); err != nil {
			return v, f, err
		}
	}
	return v, f, nil
}

// requestsChoices are a requests list's filter options; the state filter's first option is
// firstState (value ""), and anyValue is the value of "any state" (or none when "").
func (s *Server) requestsChoices(r *http.Request, firstState, anyValue, anyLabel string) (admin.RequestsChoices, error) {
	o, err := s.listChoices(r)
	if err != nil {
		return admin.RequestsChoices{}, err
	}
	c := admin.RequestsChoices{Courses: o.courses, Cohorts: o.cohorts, Partners: o.partners, CohortHint: o.cohortHint}
	c.Ages = ageChoices()
	c.Kinds = []components.Option{{Value: "", Label: "Deferrals and withdrawals"},
		{Value: string(lifecycle.KindDeferral), Label: "Deferrals"}, {Value: string(lifecycle.KindWithdrawal), Label: "Withdrawals"}}
	c.States = []components.Option{{Value: "", Label: firstState}}
	for _, st := range lifecycle.States {
		if firstState == st.Label() {
			continue
		}
		c.States = append(c.States, components.Option{Value: string(st), Label: st.Label()})
	}
	if anyValue != "" {
		c.States = append(c.States, components.Option{Value: anyValue, Label: anyLabel})
	}
	return c, nil
}

// requestsSorted is how a requests list is sorted.
func requestsSorted(oldest bool) components.SortedBy {
	if oldest {
		return components.SortedBy{Column: "Asked", Ascending: true, Words: "oldest first"}
	}
	return components.SortedBy{Column: "Asked", Words: "newest first"}
}
