package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/admin"
)

// decisionView gathers the facts for deciding a request.
func (s *Server) decisionView(r *http.Request, id int64) (admin.DecisionView, error) {
	ctx := r.Context()
	req, err := s.lifecycle.RequestByID(ctx, id, scopeFor(r))
	if err != nil {
		return admin.DecisionView{}, err
	}
	today := programme.Today(s.now())
	v := admin.DecisionView{Request: req, StateProblem: lifecycle.StateProblem(req.Kind, req.Status)}
	if req.State != lifecycle.StateOpen {
		v.StateProblem = ""
	}
	// The request carries what the journey and the bookings are read by.
	e := programme.Enrolment{ID: req.EnrolmentID, CohortID: req.CohortID, CourseID: req.CourseID}
	blocks, offers, err := s.events.JourneyWithOffers(ctx, e, s.now())
	if err != nil {
		return v, err
	}
	v.Stopped = lifecycle.StoppedAt(blocks)
	v.Bookings = futureBookings(offers, s.now())
	v.MonthsIn = monthsBetween(req.EnrolmentStarts, today)
	v.StudyShare = studyShare(req)
	candidates, letters, err := s.lifecycle.CandidatesAndLetters(ctx, req.CourseID, req.EnrolmentID)
	if err != nil {
		return v, err
	}
	v.Letters = letters
	v.Cohorts = cohortChoices(req, candidates)
	if req.Kind == lifecycle.KindDeferral {
		v.Ineligible = lifecycle.DeferralProblems(req.Facts(), today)
		if req.PlannedReturnOn != nil {
			if p, ok := lifecycle.PlanReturn(v.Stopped, *req.PlannedReturnOn, req.PartnerID, candidates); ok {
				v.Proposal = &p
			}
		}
	}
	// The form starts from the request and the proposal.
	v.Form.Effective = components.DateOf(req.StartsOn)
	if v.Proposal != nil {
		v.Form.ReturnCohort = strconv.FormatInt(v.Proposal.CohortID, 10)
		v.Form.ReturnOn = components.DateOf(v.Proposal.ReturnOn)
	}
	return v, nil
}

// futureBookings are the places and waiting-list places on events after now that deciding a
// request would cancel.
func futureBookings(offers []events.Offer, now time.Time) []events.Offer {
	var out []events.Offer
	for _, o := range offers {
		if (o.BookingStatus == events.StatusBooked || o.BookingStatus == events.StatusWaiting) && o.StartsAt.After(now) && !o.Cancelled() {
			out = append(out, o)
		}
	}
	return out
}

// studyShare is the percentage of the participant's study period gone by the requested date.
func studyShare(req lifecycle.Request) int {
	total := req.StudyEndsOn.Sub(req.EnrolmentStarts)
	if total <= 0 {
		return 0
	}
	return max(0, min(100, int(100*req.StartsOn.Sub(req.EnrolmentStarts)/total)))
}

// cohortChoices are the cohorts of the course to return to after a deferral, or to move to
// instead of deferring (any but the participant's own).
func cohortChoices(req lifecycle.Request, candidates []lifecycle.CohortSchedule) []components.Option {
	out := []components.Option{{Value: "", Label: "Choose a cohort"}}
	for _, c := range candidates {
		if c.CohortID != req.CohortID || req.Kind == lifecycle.KindDeferral {
			out = append(out, components.Option{Value: strconv.FormatInt(c.CohortID, 10), Label: c.Name + " (" + c.PartnerName + ")"})
		}
	}
	return out
}

func monthsBetween(a, b time.Time) int {
	if b.Before(a) {
		return 0
	}
	return (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
}

// decisionFromURL is the decision page of the request in the URL.
func (s *Server) decisionFromURL(r *http.Request) (admin.DecisionView, error) {
	id, err := urlID(r, "request")
	if err != nil {
		return admin.DecisionView{}, err
	}
	return s.decisionView(r, id)
}

func (s *Server) adminRequest(w http.ResponseWriter, r *http.Request) error {
	v, err := s.decisionFromURL(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Decide(v))
}

// decisionFields are the decision form's fields in the order their problems are listed.
var decisionFields = []string{"decision", "effective-day", "return_cohort", "return_on-day", "exception", "refund", "refund_amount", "notes"}

func (s *Server) adminDecide(w http.ResponseWriter, r *http.Request) error {
	v, err := s.decisionFromURL(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f, d, ps := readDecision(r, v, currentUser(r.Context()).ID, s.now())
	if d.ReturnCohortID != 0 {
		if d.ReturnBlockID, err = s.lifecycle.BlockAt(r.Context(), d.ReturnCohortID, v.Stopped.ResumeBlock); err != nil {
			return err
		}
	}
	ps.Merge(d.Check())
	ps.Merge(decisionProblems(v, d))
	addProblems(&f.Errors, ps.Sorted(decisionFields...))
	v.Form = f
	if f.Errors.Any() {
		return s.invalid(w, r, admin.Decide(v))
	}
	switch {
	case field(r, "change") != "":
		return s.ok(w, r, admin.Decide(v))
	case field(r, "confirm") != "yes":
		return s.ok(w, r, admin.ConfirmDecision(v, decisionCheck(v, d)))
	}
	letterID, err := s.lifecycle.Decide(r.Context(), d.Decision)
	if err != nil {
		return onField(err, &v.Form.Errors, "decision", func() templ.Component { return admin.Decide(v) })
	}
	return s.seeOther(w, r, fmt.Sprintf("/letters/%d", letterID), "Decision recorded and sent to the participant and their delivery partner")
}

// readDecision reads the decision form on the request in v into the form and a draft, with
// the problems reading it. Only what the decision needs is read: dates and the return cohort
// when approving, and the refund for a paid place.
func readDecision(r *http.Request, v admin.DecisionView, actorID int64, now time.Time) (admin.DecisionForm, lifecycle.DecisionDraft, problem.Problems) {
	get := func(k string) string { return field(r, k) }
	f := admin.DecisionForm{Decision: get("decision"), Notes: strings.TrimSpace(r.PostForm.Get("notes")), Effective: components.DateFrom(get, "effective"),
		ReturnCohort: get("return_cohort"), ReturnOn: components.DateFrom(get, "return_on"), ExceptionReason: strings.TrimSpace(r.PostForm.Get("exception")),
		Refund: get("refund"), RefundAmount: get("refund_amount")}
	req := v.Request
	d := lifecycle.DecisionDraft{Choice: f.Decision, Kind: req.Kind, FundingRoute: req.FundingRoute, Decision: lifecycle.Decision{
		RequestID: req.ID, Approve: f.Decision == lifecycle.ChoiceApprove, Notes: f.Notes, ExceptionReason: f.ExceptionReason, ActorID: actorID, Now: now}}
	var ps problem.Problems
	if !d.Approve {
		return f, d, ps
	}
	d.EffectiveOn = readDate(&ps, "effective-day", "Effective date", f.Effective)
	if req.Kind == lifecycle.KindDeferral {
		if f.ReturnCohort == "" || !hasOption(v.Cohorts, f.ReturnCohort) {
			ps.Add("return_cohort", "Choose the cohort the participant returns to")
		} else {
			d.ReturnCohortID, _ = strconv.ParseInt(f.ReturnCohort, 10, 64)
		}
		d.ReturnOn = readDate(&ps, "return_on-day", "Return date", f.ReturnOn)
	}
	if lifecycle.RefundApplies(req.Kind, req.FundingRoute) {
		d.Refund = f.Refund
		if f.Refund == "partial" {
			pence, ok := parsePounds(f.RefundAmount)
			if !ok {
				ps.Add("refund_amount", "Enter the refund in pounds, like 450.00")
			}
			d.RefundPence = pence
		}
	}
	return f, d, ps
}

// decisionProblems are why the request in v cannot be decided as chosen, as things stand
// (already decided, the enrolment's status, or a deferral's eligibility), found before the
// confirmation page so that it never offers what recording would refuse.
func decisionProblems(v admin.DecisionView, d lifecycle.DecisionDraft) problem.Problems {
	var ps problem.Problems
	switch {
	case v.Request.State != lifecycle.StateOpen:
		ps.Add("decision", "This request has already been decided or cancelled")
	case !d.Approve:
	case v.StateProblem != "":
		ps.Add("decision", v.StateProblem)
	case v.Request.Kind == lifecycle.KindDeferral && len(v.Ineligible) > 0:
		ps.Add("decision", "Not eligible to defer: "+strings.Join(v.Ineligible, "; ")+". Offer a move to the next cohort instead.")
	}
	return ps
}

// decisionCheck is the confirmation of decision d on the request in v: the choices, what
// recording the decision does, and every value of the form to send again (a refusal reads
// only the choice and the notes, but Change brings back the form as it was).
func decisionCheck(v admin.DecisionView, d lifecycle.DecisionDraft) admin.DecisionCheck {
	f, kind := v.Form, string(v.Request.Kind)
	c := admin.DecisionCheck{Hidden: []admin.Hidden{{Name: "decision", Value: f.Decision}, {Name: "notes", Value: f.Notes},
		{Name: "return_cohort", Value: f.ReturnCohort}, {Name: "exception", Value: f.ExceptionReason},
		{Name: "refund", Value: f.Refund}, {Name: "refund_amount", Value: f.RefundAmount}}}
	c.Hidden = append(c.Hidden, dateHidden("effective", f.Effective)...)
	c.Hidden = append(c.Hidden, dateHidden("return_on", f.ReturnOn)...)
	row := func(k, v string) { c.Rows = append(c.Rows, admin.SummaryPair{Key: k, Value: v}) }
	returnCohort := optionLabel(v.Cohorts, f.ReturnCohort)
	switch {
	case !d.Approve:
		row("Decision", "Refuse the "+kind)
	case v.Request.Kind == lifecycle.KindDeferral:
		row("Decision", "Approve the "+kind)
		row("Effective date", timefmt.Date(d.EffectiveOn))
		row("Return cohort", returnCohort)
		row("Return date", timefmt.Date(d.ReturnOn))
		if f.ExceptionReason != "" {
			row("Reason for the exception", f.ExceptionReason)
		}
	default:
		row("Decision", "Approve the "+kind)
		row("Effective date", timefmt.Date(d.EffectiveOn))
	}
	notes := f.Notes
	if notes == "" {
		notes = "None"
	}
	row("Notes in the letter", notes)
	c.Consequences = lifecycle.Consequences(v.Request, d, v.Bookings, returnCohort)
	return c
}

// dateHidden carries a date input's three parts through a confirmation page.
func dateHidden(name string, d components.DateValue) []admin.Hidden {
	return []admin.Hidden{{Name: name + "-day", Value: d.Day}, {Name: name + "-month", Value: d.Month}, {Name: name + "-year", Value: d.Year}}
}

// optionLabel is the label of the option with value, or "".
func optionLabel(options []components.Option, value string) string {
	for _, o := range options {
		if o.Value == value {
			return o.Label
		}
	}
	return ""
}

func (s *Server) adminMoveCohort(w http.ResponseWriter, r *http.Request) error {
	v, err := s.decisionFromURL(r)
	if err != nil {
		return err
	}
	id := v.Request.ID
	if err := parseForm(r); err != nil {
		return err
	}
	v.Form.MoveCohort = field(r, "move_cohort")
	if v.Form.MoveCohort == "" || !hasOption(v.Cohorts, v.Form.MoveCohort) {
		v.Form.Errors.Add("move_cohort", "Choose the cohort to move to")
		return s.invalid(w, r, admin.Decide(v))
	}
	if field(r, "confirm") != "yes" {
		cohort := optionLabel(v.Cohorts, v.Form.MoveCohort)
		return s.ok(w, r, admin.ConfirmMove(v, admin.DecisionCheck{
			Rows:         []admin.SummaryPair{{Key: "Decision", Value: "Move to " + cohort + " instead of deferring"}},
			Consequences: lifecycle.MoveConsequences(v.Request, v.Ineligible, cohort, v.Bookings),
			Hidden:       []admin.Hidden{{Name: "move_cohort", Value: v.Form.MoveCohort}}}))
	}
	cohortID, _ := strconv.ParseInt(v.Form.MoveCohort, 10, 64)
	letterID, err := s.lifecycle.MoveToNextCohort(r.Context(), id, cohortID, currentUser(r.Context()).ID, s.now())
	if err != nil {
		return onField(err, &v.Form.Errors, "move_cohort", func() templ.Component { return admin.Decide(v) })
	}
	return s.seeOther(w, r, fmt.Sprintf("/letters/%d", letterID), "Enrolment moved and confirmed in writing")
}

// adminAskReturn asks a deferred participant to confirm their return.
func (s *Server) adminAskReturn(w http.ResponseWriter, r *http.Request) error {
	return s.returnAction(w, r, s.lifecycle.AskReturn, "Asked the participant to confirm their return")
}

// adminConfirmReturn records a deferred participant's return on their behalf.
func (s *Server) adminConfirmReturn(w http.ResponseWriter, r *http.Request) error {
	return s.returnAction(w, r, s.lifecycle.ConfirmReturn, "Return confirmed: the enrolment is active again")
}

// returnAction runs one of the return steps on the request in the URL, then goes back to returns.
func (s *Server) returnAction(w http.ResponseWriter, r *http.Request,
	act func(ctx context.Context, requestID, actorID int64, now time.Time) error, done string) error {
	id, err := urlID(r, "request")
	if err != nil {
		return err
	}
	if _, err := s.lifecycle.RequestByID(r.Context(), id, scopeFor(r)); err != nil {
		return err
	}
	err = act(r.Context(), id, currentUser(r.Context()).ID, s.now())
	return s.seeOtherAfter(w, r, err, "/admin/returns", done)
}

func (s *Server) recordRequestForm(r *http.Request) (admin.RecordRequestForm, programme.Enrolment, error) {
	id, err := urlID(r, "enrolment")
	if err != nil {
		return admin.RecordRequestForm{}, programme.Enrolment{}, err
	}
	e, err := s.programme.EnrolmentByID(r.Context(), id)
	if err != nil {
		return admin.RecordRequestForm{}, e, err
	}
	f := admin.RecordRequestForm{EnrolmentID: id, Name: e.Name,
		DeferReasons:    append([]components.Option{{Value: "", Label: "Choose a reason"}}, reasonOptions(lifecycle.DeferralReasons)...),
		WithdrawReasons: append([]components.Option{{Value: "", Label: "Choose a reason"}}, reasonOptions(lifecycle.WithdrawalReasons)...)}
	return f, e, nil
}

func (s *Server) adminRecordRequestForm(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.recordRequestForm(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.RecordRequest(f))
}

func (s *Server) adminRecordRequest(w http.ResponseWriter, r *http.Request) error {
	f, e, err := s.recordRequestForm(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	get := func(k string) string { return field(r, k) }
	f.Kind, f.Details = lifecycle.Kind(get("kind")), strings.TrimSpace(r.PostForm.Get("details"))
	f.StartsOn, f.PlannedReturn = components.DateFrom(get, "starts_on"), components.DateFrom(get, "return")
	switch f.Kind {
	case lifecycle.KindDeferral:
		f.Reason = get("defer_reason")
		if !lifecycle.ValidReason(f.Kind, f.Reason) {
			f.Errors.Add("defer_reason", "Choose the deferral reason")
		}
	case lifecycle.KindWithdrawal:
		f.Reason = get("withdraw_reason")
		if !lifecycle.ValidReason(f.Kind, f.Reason) {
			f.Errors.Add("withdraw_reason", "Choose the withdrawal reason")
		}
	default:
		f.Errors.Add("kind", "Choose defer or withdraw")
	}
	f.Errors.Add("details", maxLength("Details", f.Details, 2000))
	var start time.Time
	var planned *time.Time
	if f.Kind != "" && f.Errors.For("kind") == "" {
		start, planned = readRequestDates(f.Kind, f.StartsOn, f.PlannedReturn, &f.Errors, programme.Today(s.now()))
	}
	if f.Errors.Any() {
		return s.invalid(w, r, admin.RecordRequest(f))
	}
	id, err := s.lifecycle.Create(r.Context(), lifecycle.NewRequest{EnrolmentID: e.ID, Kind: f.Kind, Reason: f.Reason, Details: f.Details,
		StartsOn: start, PlannedReturnOn: planned, Source: "email", DiscussedWithPartner: true, RequestedBy: currentUser(r.Context()).ID})
	if err != nil {
		return onField(err, &f.Errors, "kind", func() templ.Component { return admin.RecordRequest(f) })
	}
	return s.seeOther(w, r, fmt.Sprintf("/admin/requests/%d", id), "Request recorded")
}

func (s *Server) adminReinstate(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "enrolment")
	if err != nil {
		return err
	}
	if _, err := s.programme.EnrolmentByID(r.Context(), id); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	back := fmt.Sprintf("/admin/enrolments/%d", id)
	if reason == "" || len(reason) > 1000 {
		return s.seeOtherProblem(w, r, back, "Enter the reason for reinstating (1,000 characters or fewer)")
	}
	err = s.lifecycle.Reinstate(r.Context(), id, reason, currentUser(r.Context()).ID, s.now())
	return s.seeOtherAfter(w, r, err, back, "Reinstated: the participant is active again and has been told")
}

// adminDecisionsCSV exports approved deferrals or withdrawals in the words the pages use,
// with DfE's course identifier and reason code alongside for returns to DfE.
func (s *Server) adminDecisionsCSV(kind lifecycle.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.lifecycle.Decided(r.Context(), kind)
		if err != nil {
			return err
		}
		cw := newCSV(w, csvFileName(string(kind)+"s", s.now()))
		cw.Write(decisionsCSVHeader(kind)...)
		for _, q := range list {
			cw.Write(decisionsCSVRow(kind, q)...)
		}
		return cw.Flush()
	}
}

func decisionsCSVHeader(kind lifecycle.Kind) []string {
	header := []string{"Email", "Name", "Course", "Cohort", "Delivery partner", "Funding", "Status", "Reason",
		"Effective date", "Requested on", "Decided at", "Decided by", "DfE course identifier", "DfE reason code"}
	if kind == lifecycle.KindDeferral {
		return append(header, "Return cohort", "Return date", "Exception reason")
	}
	return append(header, "Refund", "Refund amount (£)")
}

func decisionsCSVRow(kind lifecycle.Kind, q lifecycle.Request) []string {
	status := programme.StatusWithdrawn
	if kind == lifecycle.KindDeferral {
		status = programme.StatusDeferred
	}
	row := []string{q.Email, q.Name, q.CourseName, q.CohortName, q.PartnerName, q.FundingRoute.Label(), status.Label(), q.ReasonLabel(),
		timefmt.ISODate(*q.EffectiveOn), timefmt.ISODate(q.CreatedAt), timefmt.ISODateTime(*q.DecidedAt), q.DecidedBy,
		q.CourseIdentifier, q.Reason}
	if kind == lifecycle.KindDeferral {
		returnOn := ""
		if q.ReturnOn != nil {
			returnOn = timefmt.ISODate(*q.ReturnOn)
		}
		return append(row, q.ReturnCohortName, returnOn, q.ExceptionReason)
	}
	refund, amount := "", ""
	if q.Refund != nil {
		refund = lifecycle.RefundLabel(*q.Refund)
	}
	if q.RefundPence != nil {
		amount = fmt.Sprintf("%d.%02d", *q.RefundPence/100, *q.RefundPence%100)
	}
	return append(row, refund, amount)
}
