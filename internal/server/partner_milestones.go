package server

import (
	"net/http"
	"slices"
	"strconv"

	"npq/internal/dfe/milestones"
	"npq/internal/dfe/outbound"
	"npq/internal/listing"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/partner"
)

func (s *Server) dfeMilestones() milestones.Store { return milestones.Store{DB: s.pool} }

// readMilestonesFilter reads the page's filters from the address; anything the filters do
// not offer is a 400.
func readMilestonesFilter(r *http.Request, req listing.Request) (milestones.Filter, error) {
	q := r.URL.Query()
	f := milestones.Filter{Query: req.Query}
	var okType, okState bool
	f.Type, okType = outbound.ParseType(q.Get("type"))
	f.State, okState = milestones.ParseState(q.Get("state"))
	if !okType || !okState {
		return f, badRequest("The list could not be filtered.")
	}
	var err error
	if f.CohortID, err = filterID(r, "cohort"); err != nil {
		return f, err
	}
	if f.CourseID, err = filterID(r, "course"); err != nil {
		return f, err
	}
	return f, nil
}

// partnerMilestones lists the partner's participants whose next DfE milestone is at risk or
// missed, from the table the dfe_milestones job keeps, in one round trip.
func (s *Server) partnerMilestones(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	f, err := readMilestonesFilter(r, req)
	if err != nil {
		return err
	}
	p, err := s.dfeMilestones().List(r.Context(), scopeFor(r), f, req)
	if err != nil {
		return listFailed(err)
	}
	v := milestonesView(p, f)
	if (f.CohortID != 0 && !slices.ContainsFunc(v.Cohorts, hasValue(v.Cohort))) || (f.CourseID != 0 && !slices.ContainsFunc(v.Courses, hasValue(v.Course))) {
		return badRequest("The list could not be filtered.")
	}
	page := listing.Cut(p.Rows, req, milestones.Key)
	v.Pages = seekPager(r, page)
	today, back := s.now(), r.URL.RequestURI()
	for _, m := range page.Rows {
		row := partner.MilestoneRow{Name: m.Name, Email: m.Email, Href: "/partner/participants/" + strconv.FormatInt(m.UserID, 10),
			Course: m.Course, Cohort: m.Cohort, Milestone: string(m.Type), Deadline: timefmt.Date(m.Deadline), Due: milestones.Due(m.Deadline, today),
			Missed: m.State == milestones.Missed, State: m.State.Label(), Missing: m.Missing,
			MessageHref: partner.MessageHref("/partner", []int64{m.UserID}, back)}
		if m.PaymentDate != nil {
			row.PaymentDate = timefmt.Date(*m.PaymentDate)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.ok(w, r, partner.Milestones(v))
}

func hasValue(v string) func(components.Option) bool {
	return func(o components.Option) bool { return o.Value == v }
}

// milestonesView is the page without its rows: the filters as chosen and offered, and when
// the list was worked out.
func milestonesView(p milestones.Page, f milestones.Filter) partner.MilestonesView {
	v := partner.MilestonesView{NoDeadline: p.NoDeadline, Query: f.Query, Type: string(f.Type), State: string(f.State), HorizonWeeks: milestones.HorizonDays / 7,
		CompletedHorizonWeeks: milestones.CompletedHorizonDays / 7,
		Cohorts:               []components.Option{{Value: "", Label: "Any cohort"}}, Courses: []components.Option{{Value: "", Label: "Any course"}},
		Types: []components.Option{{Value: "", Label: "Any milestone"}}, States: []components.Option{{Value: "", Label: "At risk or missed"}}}
	if f.CohortID != 0 {
		v.Cohort = strconv.FormatInt(f.CohortID, 10)
	}
	if f.CourseID != 0 {
		v.Course = strconv.FormatInt(f.CourseID, 10)
	}
	seen := map[int64]bool{}
	for _, c := range p.Cohorts {
		v.Cohorts = append(v.Cohorts, components.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name})
		if !seen[c.CourseID] {
			seen[c.CourseID] = true
			v.Courses = append(v.Courses, components.Option{Value: strconv.FormatInt(c.CourseID, 10), Label: c.Course})
		}
	}
	for _, t := range outbound.Types {
		v.Types = append(v.Types, components.Option{Value: string(t), Label: string(t)})
	}
	for _, st := range milestones.States {
		v.States = append(v.States, components.Option{Value: string(st), Label: st.Label()})
	}
	if p.ComputedAt != nil {
		v.ComputedAt = timefmt.DateTime(*p.ComputedAt)
	}
	return v
}
