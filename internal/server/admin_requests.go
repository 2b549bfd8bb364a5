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

func (s *Server) adminQueue(kind lifecycle.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.lifecycle.Queue(r.Context(), kind)
		if err != nil {
			return err
		}
		return s.ok(w, r, admin.Queue(admin.QueueView{Kind: kind, Requests: list, Now: programme.Today(s.now())}))
	}
}

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
	e, err := s.programme.EnrolmentByID(ctx, req.EnrolmentID)
	if err != nil {
		return v, err
	}
	blocks, err := s.programme.Journey(ctx, e)
	if err != nil {
		return v, err
	}
	v.Stopped = lifecycle.StoppedAt(blocks)
	offers, err := s.events.Offers(ctx, e.ID, e.CohortID, s.now())
	if err != nil {
		return v, err
	}
	v.Bookings = futureBookings(offers, s.now())
	v.MonthsIn = monthsBetween(req.EnrolmentStarts, today)
	v.StudyShare = studyShare(req)
	candidates, err := s.lifecycle.Candidates(ctx, req.CourseID)
	if err != nil {
		return v, err
	}
	v.Cohorts = cohortChoices(req, candidates)
	if req.Kind == lifecycle.KindDeferral {
		v.Ineligible = lifecycle.DeferralProblems(req.Facts(), today)
		if req.PlannedReturnOn != nil {
			if p, ok := lifecycle.PlanReturn(v.Stopped, *req.PlannedReturnOn, req.PartnerID, candidates); ok {
				v.Proposal = &p
			}
		}
	}
	if v.Letters, err = s.lifecycle.LettersForEnrolment(ctx, req.EnrolmentID); err != nil {
		return v, err
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
	addProblems(&f.Errors, ps.Sorted(decisionFields...))
	v.Form = f
	if f.Errors.Any() {
		return s.invalid(w, r, admin.Decide(v))
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

// adminDecisionsCSV exports decided deferrals or withdrawals with DfE's values.
func (s *Server) adminDecisionsCSV(kind lifecycle.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.lifecycle.Decided(r.Context(), kind)
		if err != nil {
			return err
		}
		cw := newCSV(w, string(kind)+"s.csv")
		header := []string{"participant_email", "participant_name", "course_identifier", "cohort", "delivery_partner", "training_status",
			"reason", "effective_date", "requested_on", "decided_at", "decided_by"}
		if kind == lifecycle.KindDeferral {
			header = append(header, "return_cohort", "return_date", "exception_reason")
		} else {
			header = append(header, "refund", "refund_amount")
		}
		cw.Write(header...)
		for _, q := range list {
			status := "withdrawn"
			if kind == lifecycle.KindDeferral {
				status = "deferred"
			}
			row := []string{q.Email, q.Name, q.CourseIdentifier, q.CohortName, q.PartnerName, status, q.Reason,
				q.EffectiveOn.Format("2006-01-02"), timefmt.ISODate(q.CreatedAt), timefmt.ISODateTime(*q.DecidedAt), q.DecidedBy}
			if kind == lifecycle.KindDeferral {
				row = append(row, q.ReturnCohortName, q.ReturnOn.Format("2006-01-02"), q.ExceptionReason)
			} else {
				refund, amount := "", ""
				if q.Refund != nil {
					refund = *q.Refund
				}
				if q.RefundPence != nil {
					amount = fmt.Sprintf("%d.%02d", *q.RefundPence/100, *q.RefundPence%100)
				}
				row = append(row, refund, amount)
			}
			cw.Write(row...)
		}
		return cw.Flush()
	}
}
