package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/admin"
	"npq/web/pages/partner"
)

func (s *Server) adminCohorts(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	cohorts, err := s.programme.CohortsPage(r.Context(), scopeFor(r), req.Query, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(cohorts, req, programme.CohortKey)
	v := admin.CohortsView{Query: req.Query, Pages: seekPager(r, page)}
	today := programme.Today(s.now())
	for _, c := range page.Rows {
		v.Rows = append(v.Rows, admin.CohortListRow{Href: "/admin/cohorts/" + strconv.FormatInt(c.ID, 10), Name: c.Name,
			Course: c.CourseName, Partner: c.PartnerName, Stage: c.Stage(today), StartsOn: c.StartsOn,
			Participants: c.Participants, Active: c.Active})
	}
	return s.ok(w, r, admin.Cohorts(v))
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
	v.PersonHref = func(e programme.RosterEntry) string { return "/admin/participants/" + strconv.FormatInt(e.UserID, 10) }
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
	blocks, err := s.programme.CourseStructure(ctx, id)
	if err != nil {
		return err
	}
	// Archived blocks are not part of new cohorts.
	f.Blocks = slices.DeleteFunc(blocks, func(b programme.StructureBlock) bool { return b.Archived })
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
		f.Schedules = append(f.Schedules, components.Option{Value: sc, Label: programme.ScheduleLabel(sc)})
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
		BlockOpens: map[int64]components.DateValue{}, Mode: get("mode")}
	if err := s.cohortForm(r, &f); err != nil {
		return err
	}
	if f.Course == nil {
		f.Errors.Add("course", "Choose one of the courses listed")
		return s.invalid(w, r, admin.CohortNew(f))
	}
	if f.Mode != "proposed" && f.Mode != "custom" && !f.StudyEndsOn.Empty() {
		f.Mode = "custom" // a form with every date typed in, as before dates were proposed
	}
	switch {
	case f.Mode != "proposed" && f.Mode != "custom":
		return s.cohortPropose(w, r, &f, "")
	case f.Mode == "proposed" && get("action") == "change-dates":
		return s.cohortChangeDates(w, r, f, get)
	case f.Mode == "proposed" && get("proposed_from") != f.StartsOn.Day+"-"+f.StartsOn.Month+"-"+f.StartsOn.Year:
		return s.cohortPropose(w, r, &f, "The start date changed, so the dates were proposed again from it. Check them, then add the cohort.")
	}
	return s.cohortSave(w, r, f, get)
}

// cohortChangeDates shows the proposed dates as inputs, filled in, for the admin to change.
func (s *Server) cohortChangeDates(w http.ResponseWriter, r *http.Request, f admin.CohortForm, get func(string) string) error {
	for _, b := range f.Blocks {
		f.BlockOpens[b.ID] = components.DateFrom(get, "block_"+strconv.FormatInt(b.ID, 10))
	}
	f.Mode = "custom"
	return s.ok(w, r, admin.CohortNew(f))
}

// cohortSave checks the whole cohort form and adds the cohort.
func (s *Server) cohortSave(w http.ResponseWriter, r *http.Request, f admin.CohortForm, get func(string) string) error {
	d, ps := readCohortForm(get, &f)
	if f.Mode == "proposed" {
		p := programme.ProposeDates(d.StartsOn, *f.Course, len(f.Blocks))
		f.Proposal, f.ProposedFrom = &p, get("proposed_from")
	}
	ps.Merge(d.Check())
	addProblems(&f.Errors, ps.Sorted(cohortFields(d)...))
	if f.Errors.Any() {
		return s.invalid(w, r, admin.CohortNew(cohortFormShowingDates(f)))
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

// cohortPropose checks the details of a new cohort and, when they are right, proposes its
// dates from the start date and the course's schedule for the admin to check (nothing is
// saved yet); notice says why, when the dates are proposed again.
func (s *Server) cohortPropose(w http.ResponseWriter, r *http.Request, f *admin.CohortForm, notice string) error {
	var ps problem.Problems
	d := programme.CohortDraft{NewCohort: programme.NewCohort{CourseID: f.Course.ID, Name: f.Name, ScheduleIdentifier: f.Schedule}}
	readChoice(&ps, "partner", f.PartnerID, f.Partners, "Choose the delivery partner", "Choose one of the delivery partners listed")
	readChoice(&ps, "schedule", f.Schedule, f.Schedules, "Choose the DfE schedule", "Choose one of the schedules listed")
	start := readDate(&ps, "starts_on-day", "Start date", f.StartsOn)
	ps.Merge(d.Check())
	addProblems(&f.Errors, ps.Sorted("partner", "name", "schedule", "starts_on-day"))
	if f.Errors.Any() {
		f.Mode = ""
		return s.invalid(w, r, admin.CohortNew(*f))
	}
	p := programme.ProposeDates(start, *f.Course, len(f.Blocks))
	f.Mode, f.Proposal, f.Notice = "proposed", &p, notice
	f.ProposedFrom = f.StartsOn.Day + "-" + f.StartsOn.Month + "-" + f.StartsOn.Year
	f.StudyEndsOn, f.AssessmentOpens, f.AssessmentCloses = components.DateOf(p.StudyEndsOn), components.DateOf(p.AssessmentOpensOn), components.DateOf(p.AssessmentClosesOn)
	for i, b := range f.Blocks {
		f.BlockOpens[b.ID] = components.DateOf(p.BlockOpens[i])
	}
	return s.ok(w, r, admin.CohortNew(*f))
}

// cohortFormShowingDates is the form as it shows problems: a problem with a date after the
// start is shown on its input, so proposed dates become inputs.
func cohortFormShowingDates(f admin.CohortForm) admin.CohortForm {
	for _, e := range f.Errors {
		if e.Field != "partner" && e.Field != "name" && e.Field != "schedule" && e.Field != "starts_on-day" {
			f.Mode = "custom"
		}
	}
	return f
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
	f := admin.EnrolForm{Cohort: c, Email: get("email"), Name: get("name"), School: get("school"), Funding: get("funding"), Fundings: fundingOptions(),
		PaymentReceivedOn: components.DateFrom(get, "payment"), StartsOn: components.DateFrom(get, "starts_on")}
	f.Errors.Add("email", auth.EmailProblem(f.Email))
	f.Errors.Add("name", auth.NameProblem(f.Name))
	f.Errors.Add("school", maxLength("School", f.School, programme.MaxSchool))
	n := programme.NewEnrolment{Email: f.Email, Name: f.Name, CohortID: c.ID, FundingRoute: programme.FundingRoute(f.Funding), School: f.School}
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
