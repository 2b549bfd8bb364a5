package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/go-chi/chi/v5"

	"npq/internal/dfe/applications"
	"npq/internal/dfe/identifiers"
	"npq/internal/listing"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/admin"
)

// adminDfERoutes registers the DfE integration's admin pages: the applications queue and the
// decision on each application, the declarations with the void of each, the outcome updates
// and the statement calendar.
func (s *Server) adminDfERoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/dfe/applications", admins, s.adminDfEApplications)
	s.handle(r, "GET", "/admin/dfe/applications/{application}", admins, s.adminDfEApplication)
	s.handle(r, "POST", "/admin/dfe/applications/{application}/accept", admins, s.adminDfEApplicationAccept)
	s.handle(r, "POST", "/admin/dfe/applications/{application}/reject", admins, s.adminDfEApplicationReject)
	s.handle(r, "GET", "/admin/dfe/declarations", admins, s.adminDfEDeclarations)
	s.handle(r, "GET", "/admin/dfe/declarations/{declaration}", admins, s.adminDfEDeclaration)
	s.handle(r, "POST", "/admin/dfe/declarations/{declaration}/void", admins, s.adminDfEDeclarationVoid)
	s.handle(r, "GET", "/admin/dfe/outcomes", admins, s.adminDfEOutcomes)
	s.handle(r, "GET", "/admin/dfe/statements", admins, s.adminDfEStatements)
	s.handle(r, "GET", "/admin/dfe/mismatches", admins, s.adminDfEMismatches)
	s.adminDfEIdentifierRoutes(r)
}

func (s *Server) dfeApplications() applications.Store { return applications.Store{DB: s.pool} }

func (s *Server) adminDfEApplications(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status, ok := applications.ParseStatus(q.Get("status"))
	course := q.Get("course")
	if !ok || (course != "" && !contains(identifiers.Courses, course)) {
		return badRequest("The list could not be filtered.")
	}
	rows, err := s.dfeApplications().Queue(r.Context(), applications.Filter{Query: req.Query, Course: course, Status: status}, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, applications.Key)
	v := admin.DfEApplicationsView{Enabled: s.dfe != nil, Query: req.Query, Course: course, Status: q.Get("status"), Pages: seekPager(r, page),
		Courses:  append([]components.Option{{Value: "", Label: "Any course"}}, optionsOf(identifiers.Courses)...),
		Statuses: []components.Option{{Value: "", Label: "Pending"}, {Value: "accepted", Label: "Accepted"}, {Value: "rejected", Label: "Rejected"}, {Value: "all", Label: "Any status"}}}
	for _, a := range page.Rows {
		v.Rows = append(v.Rows, admin.DfEApplicationRow{ID: a.ID, Name: a.FullName, Email: a.Email, Course: a.Course, Cohort: a.Cohort,
			Status: a.Status.Label(), Received: a.CreatedAt})
	}
	return s.ok(w, r, admin.DfEApplications(v))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func optionsOf(values []string) []components.Option {
	out := make([]components.Option, 0, len(values))
	for _, v := range values {
		out = append(out, components.Option{Value: v, Label: v})
	}
	return out
}

// applicationPage is an application's page with its forms; it reads the application and the
// cohorts it may join.
func (s *Server) applicationPage(r *http.Request) (admin.DfEApplicationView, applications.Application, error) {
	a, err := s.dfeApplications().ByID(r.Context(), chi.URLParam(r, "application"))
	if err != nil {
		return admin.DfEApplicationView{}, a, err
	}
	v := admin.DfEApplicationView{Enabled: s.dfe != nil, ID: a.ID, Name: a.FullName, Email: a.Email, TRN: orNotKnown(a.TRN),
		ParticipantID: a.ParticipantID, Course: a.Course, Cohort: orNotKnown(a.Cohort), SchoolURN: orNotKnown(a.SchoolURN),
		FundedPlace: yesNo(a.FundedPlace), Schedule: orNotKnown(a.Schedule), Status: a.Status.Label(), Pending: a.Status == applications.StatusPending,
		Received: a.CreatedAt, DecidedBy: a.DecidedBy, DecidedAt: a.DecidedAt, RejectReason: a.RejectReason,
		Schedules: append([]components.Option{{Value: "", Label: "Leave it to DfE"}}, optionsOf(identifiers.Schedules)...)}
	if a.EnrolmentID != nil {
		v.EnrolmentHref = "/admin/enrolments/" + strconv.FormatInt(*a.EnrolmentID, 10)
	}
	if !v.Pending {
		return v, a, nil
	}
	choices, err := s.dfeApplications().CohortChoices(r.Context(), a, programme.Today(s.now()))
	if err != nil {
		return v, a, err
	}
	for _, c := range choices {
		o := components.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name,
			Hint: c.PartnerName + ", starts " + timefmt.Date(c.StartsOn) + ", " + c.Schedule}
		if c.Suggested {
			o.Hint += " (suggested: matches DfE's cohort)"
			if v.Accept.Cohort == "" {
				v.Accept.Cohort = o.Value
			}
		}
		v.Cohorts = append(v.Cohorts, o)
	}
	if a.FundedPlace != nil {
		v.Accept.FundedPlace = map[bool]string{true: "yes", false: "no"}[*a.FundedPlace]
	}
	return v, a, nil
}

func orNotKnown(s string) string {
	if s == "" {
		return "Not known"
	}
	return s
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "Not known"
	case *b:
		return "Yes"
	}
	return "No"
}

func (s *Server) adminDfEApplication(w http.ResponseWriter, r *http.Request) error {
	v, _, err := s.applicationPage(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.DfEApplication(v))
}

func (s *Server) adminDfEApplicationAccept(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, a, err := s.applicationPage(r)
	if err != nil {
		return err
	}
	d := applications.AcceptDraft{Cohort: field(r, "cohort"), FundedPlace: field(r, "funded_place"), Schedule: field(r, "schedule")}
	v.Accept = admin.DfEAcceptValues{Cohort: d.Cohort, FundedPlace: d.FundedPlace, Schedule: d.Schedule}
	page := func() templ.Component { return admin.DfEApplication(v) }
	if s.dfe == nil || !v.Pending {
		return backTo(applicationPath(a.ID), problemOff(s.dfe == nil, a))
	}
	if ps := d.Check(); len(ps) > 0 {
		addProblems(&v.Errors, ps.Sorted(applications.AcceptFields...))
		return s.invalid(w, r, page())
	}
	cohortName, listed := "", false
	for _, c := range v.Cohorts {
		if c.Value == d.Cohort {
			cohortName, listed = c.Label, true
		}
	}
	if !listed {
		v.Errors.Add("cohort", "Choose one of the cohorts listed")
		return s.invalid(w, r, page())
	}
	if field(r, "confirm") != "yes" {
		return s.ok(w, r, admin.DfEDecisionConfirm(admin.DfEDecisionConfirmView{ID: a.ID, Name: a.FullName, Accept: true, Cohort: cohortName,
			Values: v.Accept, Funded: map[string]string{"yes": "Yes", "no": "No"}[d.FundedPlace], Sched: orLeftToDfE(d.Schedule)}))
	}
	enrolment, err := s.dfeApplications().Accept(r.Context(), s.dfe, a.ID, d, currentUser(r.Context()).ID, s.cfg.BaseURL, s.now())
	if err != nil {
		return backTo(applicationPath(a.ID), err)
	}
	return s.seeOther(w, r, "/admin/enrolments/"+strconv.FormatInt(enrolment, 10), "Accepted "+a.FullName+"'s application: they are enrolled and their invitation is on its way")
}

func orLeftToDfE(s string) string {
	if s == "" {
		return "Left to DfE"
	}
	return s
}

func applicationPath(id string) string { return "/admin/dfe/applications/" + id }

func (s *Server) adminDfEApplicationReject(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, a, err := s.applicationPage(r)
	if err != nil {
		return err
	}
	v.Reason = r.PostForm.Get("reason")
	if s.dfe == nil || !v.Pending {
		return backTo(applicationPath(a.ID), problemOff(s.dfe == nil, a))
	}
	if ps := applications.CheckRejection(v.Reason); len(ps) > 0 {
		addProblems(&v.Errors, ps)
		return s.invalid(w, r, admin.DfEApplication(v))
	}
	if field(r, "confirm") != "yes" {
		return s.ok(w, r, admin.DfEDecisionConfirm(admin.DfEDecisionConfirmView{ID: a.ID, Name: a.FullName, Reason: v.Reason}))
	}
	err = s.dfeApplications().Reject(r.Context(), s.dfe, a.ID, v.Reason, currentUser(r.Context()).ID, s.now())
	if err != nil {
		return backTo(applicationPath(a.ID), err)
	}
	return s.seeOther(w, r, "/admin/dfe/applications", "Rejected "+a.FullName+"'s application")
}

// problemOff is why a decision cannot be made: the integration is off, or someone has
// already decided.
func problemOff(off bool, a applications.Application) error {
	if off {
		return problem.New("The DfE integration is off, so applications cannot be accepted or rejected here")
	}
	return problem.Newf("This application has already been %s", strings.ToLower(a.Status.Label()))
}
