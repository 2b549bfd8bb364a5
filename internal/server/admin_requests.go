package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/admin"
)

var adminAccess = lifecycle.Access{Admin: true}

func (s *Server) adminQueue(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.lifecycle.Queue(r.Context(), kind)
		if err != nil {
			return err
		}
		return s.ok(w, r, admin.Queue(admin.QueueView{Kind: kind, Requests: list, Now: programme.Today(time.Now())}))
	}
}

// decisionView gathers the facts for deciding a request.
func (s *Server) decisionView(r *http.Request, id int64) (admin.DecisionView, error) {
	ctx := r.Context()
	req, err := s.lifecycle.RequestByID(ctx, id, adminAccess)
	if err != nil {
		return admin.DecisionView{}, err
	}
	today := programme.Today(time.Now())
	v := admin.DecisionView{Request: req, StateProblem: lifecycle.StateProblem(req.Kind, req.Status)}
	if req.State != "open" {
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
	offers, err := s.events.Offers(ctx, e.ID, e.CohortID, time.Now())
	if err != nil {
		return v, err
	}
	for _, o := range offers {
		if (o.BookingStatus == "booked" || o.BookingStatus == "waiting") && o.StartsAt.After(time.Now()) && !o.Cancelled() {
			v.Bookings = append(v.Bookings, o)
		}
	}
	v.MonthsIn = monthsBetween(req.EnrolmentStarts, today)
	if total := req.StudyEndsOn.Sub(req.EnrolmentStarts); total > 0 {
		v.StudyShare = max(0, min(100, int(100*req.StartsOn.Sub(req.EnrolmentStarts)/total)))
	}
	candidates, err := s.lifecycle.Candidates(ctx, req.CourseID)
	if err != nil {
		return v, err
	}
	v.Cohorts = []components.Option{{Value: "", Label: "Choose a cohort"}}
	for _, c := range candidates {
		if c.CohortID != req.CohortID || req.Kind == lifecycle.KindDeferral {
			v.Cohorts = append(v.Cohorts, components.Option{Value: strconv.FormatInt(c.CohortID, 10), Label: c.Name + " (" + c.PartnerName + ")"})
		}
	}
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

func (s *Server) adminDecide(w http.ResponseWriter, r *http.Request) error {
	v, err := s.decisionFromURL(r)
	if err != nil {
		return err
	}
	id := v.Request.ID
	if err := parseForm(r); err != nil {
		return err
	}
	get := func(k string) string { return field(r, k) }
	f := admin.DecisionForm{Decision: get("decision"), Notes: strings.TrimSpace(r.PostForm.Get("notes")), Effective: components.DateFrom(get, "effective"),
		ReturnCohort: get("return_cohort"), ReturnOn: components.DateFrom(get, "return_on"), ExceptionReason: strings.TrimSpace(r.PostForm.Get("exception")),
		Refund: get("refund"), RefundAmount: get("refund_amount")}
	d := lifecycle.Decision{RequestID: id, Approve: f.Decision == "approve", Notes: f.Notes, ExceptionReason: f.ExceptionReason,
		ActorID: currentUser(r.Context()).ID, Now: time.Now()}
	req := v.Request
	switch f.Decision {
	case "approve":
		var p string
		d.EffectiveOn, p = f.Effective.Parse("Effective date")
		f.Errors.Add("effective-day", p)
		if req.Kind == lifecycle.KindDeferral {
			if f.ReturnCohort == "" || !hasOption(v.Cohorts, f.ReturnCohort) {
				f.Errors.Add("return_cohort", "Choose the cohort the participant returns to")
			} else {
				d.ReturnCohortID, _ = strconv.ParseInt(f.ReturnCohort, 10, 64)
			}
			d.ReturnOn, p = f.ReturnOn.Parse("Return date")
			f.Errors.Add("return_on-day", p)
			if p == "" && f.Errors.For("effective-day") == "" && !d.ReturnOn.After(d.EffectiveOn) {
				f.Errors.Add("return_on-day", "Return date must be after the effective date")
			}
			if p == "" && f.Errors.For("effective-day") == "" && lifecycle.ReturnTooLate(d.EffectiveOn, d.ReturnOn) && f.ExceptionReason == "" {
				f.Errors.Add("exception", "The return is more than 12 months after the deferral starts: record the reason for the exception")
			}
			if d.ReturnCohortID != 0 {
				blockID, err := s.lifecycle.BlockAt(r.Context(), d.ReturnCohortID, v.Stopped.ResumeBlock)
				if err != nil {
					return err
				}
				d.ReturnBlockID = blockID
			}
		} else if req.FundingRoute != programme.FundingScholarship {
			switch f.Refund {
			case "none", "full":
			case "partial":
				pence, ok := parsePounds(f.RefundAmount)
				if !ok {
					f.Errors.Add("refund_amount", "Enter the refund in pounds, like 450.00")
				}
				d.RefundPence = pence
			default:
				f.Errors.Add("refund", "Record the refund decision")
			}
			d.Refund = f.Refund
		}
		f.Errors.Add("notes", maxLength("Notes", f.Notes, 2000))
	case "refuse":
		if f.Notes == "" {
			f.Errors.Add("notes", "Say why the request is refused: it goes in the letter")
		}
		f.Errors.Add("notes", maxLength("Notes", f.Notes, 2000))
	default:
		f.Errors.Add("decision", "Choose approve or refuse")
	}
	if f.Errors.Any() {
		v.Form = f
		return s.invalid(w, r, admin.Decide(v))
	}
	letterID, err := s.lifecycle.Decide(r.Context(), d)
	var problem lifecycle.Problem
	if errors.As(err, &problem) {
		f.Errors.Add("decision", string(problem))
		v.Form = f
		return s.invalid(w, r, admin.Decide(v))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("/letters/%d", letterID), "Decision recorded and sent to the participant and their delivery partner")
}

// parsePounds reads an amount like "450", "450.5" or "£450.00" into pence.
func parsePounds(s string) (int, bool) {
	s = strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "£")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	w, err := strconv.Atoi(whole)
	if err != nil || w < 0 || w > 100000 {
		return 0, false
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi((frac + "0")[:2]); err != nil {
			return 0, false
		}
	}
	return w*100 + f, true
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
	letterID, err := s.lifecycle.MoveToNextCohort(r.Context(), id, cohortID, currentUser(r.Context()).ID, time.Now())
	var problem lifecycle.Problem
	if errors.As(err, &problem) {
		v.Form.Errors.Add("move_cohort", string(problem))
		return s.invalid(w, r, admin.Decide(v))
	}
	if err != nil {
		return err
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
	if _, err := s.lifecycle.RequestByID(r.Context(), id, adminAccess); err != nil {
		return err
	}
	err = act(r.Context(), id, currentUser(r.Context()).ID, time.Now())
	var problem lifecycle.Problem
	if errors.As(err, &problem) {
		return s.seeOtherProblem(w, r, "/admin/returns", string(problem))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/returns", done)
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
	f.Kind, f.Details = get("kind"), strings.TrimSpace(r.PostForm.Get("details"))
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
		start, planned = readRequestDates(f.Kind, f.StartsOn, f.PlannedReturn, &f.Errors, programme.Today(time.Now()))
	}
	if f.Errors.Any() {
		return s.invalid(w, r, admin.RecordRequest(f))
	}
	id, err := s.lifecycle.Create(r.Context(), lifecycle.NewRequest{EnrolmentID: e.ID, Kind: f.Kind, Reason: f.Reason, Details: f.Details,
		StartsOn: start, PlannedReturnOn: planned, Source: "email", DiscussedWithPartner: true, RequestedBy: currentUser(r.Context()).ID})
	var problem lifecycle.Problem
	if errors.As(err, &problem) {
		f.Errors.Add("kind", string(problem))
		return s.invalid(w, r, admin.RecordRequest(f))
	}
	if err != nil {
		return err
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
	err = s.lifecycle.Reinstate(r.Context(), id, reason, currentUser(r.Context()).ID, time.Now())
	var problem lifecycle.Problem
	if errors.As(err, &problem) {
		return s.seeOtherProblem(w, r, back, string(problem))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, back, "Reinstated: the participant is active again and has been told")
}

// adminDecisionsCSV exports decided deferrals or withdrawals with DfE's values.
func (s *Server) adminDecisionsCSV(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		list, err := s.lifecycle.Decided(r.Context(), kind)
		if err != nil {
			return err
		}
		cw := newCSV(w, kind+"s.csv")
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
