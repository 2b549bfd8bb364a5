package server

import (
	"errors"
	"net/http"
	"strconv"

	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/admin"
	"npq/web/pages/partner"
)

func (s *Server) adminCohorts(w http.ResponseWriter, r *http.Request) error {
	cohorts, err := s.programme.Cohorts(r.Context(), scopeFor(r))
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Cohorts("Cohorts", "All delivery partners", cohortRows(cohorts, "/admin/cohorts/", programme.Today(s.now())), "/admin/cohorts/new"))
}

func (s *Server) adminCohort(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	v, err := s.rosterView(r, c, "/admin/cohorts/"+strconv.FormatInt(c.ID, 10))
	if err != nil {
		return err
	}
	v.Admin = true
	v.EnrolmentHref = func(e programme.RosterEntry) string {
		return "/admin/enrolments/" + strconv.FormatInt(e.EnrolmentID, 10)
	}
	return s.ok(w, r, partner.Roster(v))
}

// Schedules are DfE's schedule identifiers a cohort can use.
var schedules = []string{"npq-leadership-autumn", "npq-leadership-spring", "npq-specialist-autumn", "npq-specialist-spring",
	"npq-aso-march", "npq-aso-june", "npq-aso-november", "npq-aso-december", "npq-ehco-march", "npq-ehco-june", "npq-ehco-november", "npq-ehco-december"}

// cohortForm fills the cohort form's choices; with a course chosen, its blocks too.
func (s *Server) cohortForm(r *http.Request, f *admin.CohortForm) error {
	ctx := r.Context()
	courses, err := s.programme.Courses(ctx)
	if err != nil {
		return err
	}
	f.Courses = []components.Option{{Value: "", Label: "Choose a course"}}
	for _, c := range courses {
		f.Courses = append(f.Courses, components.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name})
	}
	if f.CourseID == "" {
		return nil
	}
	id, err := strconv.ParseInt(f.CourseID, 10, 64)
	if err != nil {
		return nil
	}
	c, err := s.programme.CourseByID(ctx, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	f.Course = &c
	if f.Blocks, err = s.programme.CourseStructure(ctx, id); err != nil {
		return err
	}
	partners, err := s.programme.Partners(ctx)
	if err != nil {
		return err
	}
	f.Partners = []components.Option{{Value: "", Label: "Choose a delivery partner"}}
	for _, p := range partners {
		f.Partners = append(f.Partners, components.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	f.Schedules = []components.Option{{Value: "", Label: "Choose a schedule"}}
	for _, sc := range schedules {
		f.Schedules = append(f.Schedules, components.Option{Value: sc, Label: sc})
	}
	if f.BlockOpens == nil {
		f.BlockOpens = map[int64]components.DateValue{}
	}
	return nil
}

func (s *Server) adminCohortNew(w http.ResponseWriter, r *http.Request) error {
	f := admin.CohortForm{CourseID: r.URL.Query().Get("course")}
	if err := s.cohortForm(r, &f); err != nil {
		return err
	}
	if f.CourseID != "" && f.Course == nil {
		f.Errors.Add("course", "Choose one of the courses listed")
		return s.invalid(w, r, admin.CohortNew(f))
	}
	return s.ok(w, r, admin.CohortNew(f))
}

func (s *Server) adminCohortCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	get := func(k string) string { return field(r, k) }
	f := admin.CohortForm{CourseID: get("course"), PartnerID: get("partner"), Name: get("name"), Schedule: get("schedule"),
		StartsOn: components.DateFrom(get, "starts_on"), StudyEndsOn: components.DateFrom(get, "study_ends_on"),
		AssessmentOpens: components.DateFrom(get, "assessment_opens"), AssessmentCloses: components.DateFrom(get, "assessment_closes"),
		BlockOpens: map[int64]components.DateValue{}}
	if err := s.cohortForm(r, &f); err != nil {
		return err
	}
	if f.Course == nil {
		f.Errors.Add("course", "Choose one of the courses listed")
		return s.invalid(w, r, admin.CohortNew(f))
	}
	d, ps := readCohortForm(get, &f)
	ps.Merge(d.Check())
	addProblems(&f.Errors, ps.Sorted(cohortFields(d)...))
	if f.Errors.Any() {
		return s.invalid(w, r, admin.CohortNew(f))
	}
	id, err := s.programme.CreateCohort(r.Context(), d.Cohort())
	if errors.Is(err, programme.ErrDuplicateName) {
		f.Errors.Add("name", "There is already a cohort with this name")
		return s.invalid(w, r, admin.CohortNew(f))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/cohorts/"+strconv.FormatInt(id, 10), "Cohort added: "+f.Name)
}

// cohortFields are the cohort form's fields in the order their problems are listed.
func cohortFields(d programme.CohortDraft) []string {
	fields := []string{"partner", "name", "schedule", "starts_on-day", "study_ends_on-day", "assessment_opens-day", "assessment_closes-day"}
	for _, b := range d.Blocks {
		fields = append(fields, programme.BlockOpensField(b.ID))
	}
	return fields
}

// readCohortForm reads the dates and choices of the new cohort form, whose course is chosen,
// into a draft, with the problems reading them.
func readCohortForm(get func(string) string, f *admin.CohortForm) (programme.CohortDraft, problem.Problems) {
	var ps problem.Problems
	d := programme.CohortDraft{NewCohort: programme.NewCohort{CourseID: f.Course.ID, Name: f.Name, ScheduleIdentifier: f.Schedule}}
	if readChoice(&ps, "partner", f.PartnerID, f.Partners, "Choose the delivery partner", "Choose one of the delivery partners listed") {
		d.PartnerID, _ = strconv.ParseInt(f.PartnerID, 10, 64)
	}
	readChoice(&ps, "schedule", f.Schedule, f.Schedules, "Choose the DfE schedule", "Choose one of the schedules listed")
	d.StartsOn = readDate(&ps, "starts_on-day", "Start date", f.StartsOn)
	d.StudyEndsOn = readDate(&ps, "study_ends_on-day", "End of study", f.StudyEndsOn)
	d.AssessmentOpensOn = readDate(&ps, "assessment_opens-day", "Assessment window opening date", f.AssessmentOpens)
	d.AssessmentClosesOn = readDate(&ps, "assessment_closes-day", "Assessment window closing date", f.AssessmentCloses)
	for _, b := range f.Blocks {
		dv := components.DateFrom(get, "block_"+strconv.FormatInt(b.ID, 10))
		f.BlockOpens[b.ID] = dv
		d.Blocks = append(d.Blocks, programme.Block{ID: b.ID, Position: b.Position,
			OpensOn: readDate(&ps, programme.BlockOpensField(b.ID), "Block "+strconv.Itoa(b.Position)+" opening date", dv)})
	}
	return d, ps
}

func fundingOptions() []components.Option {
	var out []components.Option
	for _, f := range programme.FundingRoutes {
		out = append(out, components.Option{Value: string(f), Label: f.Label()})
	}
	return out
}

func (s *Server) adminEnrolNew(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.EnrolNew(admin.EnrolForm{Cohort: c, Fundings: fundingOptions()}))
}

func (s *Server) adminEnrolCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	get := func(k string) string { return field(r, k) }
	f := admin.EnrolForm{Cohort: c, Email: get("email"), Name: get("name"), Funding: get("funding"), Fundings: fundingOptions(),
		PaymentReceivedOn: components.DateFrom(get, "payment"), StartsOn: components.DateFrom(get, "starts_on")}
	f.Errors.Add("email", auth.EmailProblem(f.Email))
	f.Errors.Add("name", auth.NameProblem(f.Name))
	n := programme.NewEnrolment{Email: f.Email, Name: f.Name, CohortID: c.ID, FundingRoute: programme.FundingRoute(f.Funding)}
	if f.Funding == "" {
		f.Errors.Add("funding", "Choose the funding route")
	} else if !n.FundingRoute.Valid() {
		f.Errors.Add("funding", "Choose one of the funding routes listed")
	}
	if !f.PaymentReceivedOn.Empty() {
		d, p := f.PaymentReceivedOn.Parse("Payment received")
		f.Errors.Add("payment-day", p)
		n.PaymentReceivedOn = &d
	}
	if !f.StartsOn.Empty() {
		d, p := f.StartsOn.Parse("Start date")
		f.Errors.Add("starts_on-day", p)
		if p == "" && (d.Before(c.StartsOn) || !d.Before(c.StudyEndsOn)) {
			f.Errors.Add("starts_on-day", "Start date must be between the cohort's start and the end of study")
		}
		n.StartsOn = &d
	}
	if f.Errors.Any() {
		return s.invalid(w, r, admin.EnrolNew(f))
	}
	_, err = s.programme.Enrol(r.Context(), n, currentUser(r.Context()).ID, s.cfg.BaseURL)
	switch {
	case errors.Is(err, programme.ErrAlreadyEnrolled):
		f.Errors.Add("email", "This person is already enrolled in this cohort")
		return s.invalid(w, r, admin.EnrolNew(f))
	case errors.Is(err, programme.ErrNotParticipant), errors.Is(err, auth.ErrEmailTaken):
		f.Errors.Add("email", "This email address belongs to a staff account, not a participant")
		return s.invalid(w, r, admin.EnrolNew(f))
	case err != nil:
		return err
	}
	return s.seeOther(w, r, "/admin/cohorts/"+strconv.FormatInt(c.ID, 10), "Enrolled "+auth.NormaliseEmail(f.Email))
}
