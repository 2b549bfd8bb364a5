package server

import (
	"net/http"
	"strings"
	"time"

	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/participant"
)

func (s *Server) participantRequests(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, ok, err := s.chooseCourse(r)
	if err != nil {
		return err
	}
	v := participant.RequestsView{}
	if ok {
		e := c.chosen
		ev := enrolmentView(e)
		v.Enrolment, v.PartnerName, v.Switcher = &ev, e.PartnerName, c.switcher("/requests")
		v.Standing = s.standing(c, e)
		requests, err := s.lifecycle.RequestsFor(ctx, scopeFor(r), 50)
		if err != nil {
			return err
		}
		letters, err := s.lifecycle.LettersFor(ctx, scopeFor(r), 50)
		if err != nil {
			return err
		}
		for _, req := range requests {
			if req.EnrolmentID == e.ID {
				v.Requests = append(v.Requests, req)
			}
		}
		for _, l := range letters {
			if l.EnrolmentID == e.ID {
				v.Letters = append(v.Letters, l)
			}
		}
		open := false
		for _, req := range v.Requests {
			open = open || req.State == lifecycle.StateOpen
		}
		v.CanDefer = !open && lifecycle.StateProblem(lifecycle.KindDeferral, e.Status) == ""
		v.CanWithdraw = !open && lifecycle.StateProblem(lifecycle.KindWithdrawal, e.Status) == ""
	}
	return s.ok(w, r, participant.Requests(v))
}

func reasonOptions(list []lifecycle.Reason) []components.Option {
	var out []components.Option
	for _, r := range list {
		out = append(out, components.Option{Value: r.Code, Label: r.Label})
	}
	return out
}

// requestForm builds the ask-to-defer or ask-to-withdraw form for the participant's enrolment.
func (s *Server) requestForm(r *http.Request, kind lifecycle.Kind) (participant.RequestForm, programme.Enrolment, error) {
	c, ok, err := s.chooseCourse(r)
	if err != nil || !ok {
		if err == nil {
			err = errNotFound
		}
		return participant.RequestForm{}, programme.Enrolment{}, err
	}
	e := c.chosen
	f := participant.RequestForm{Kind: kind, Enrolment: enrolmentView(e), PartnerName: e.PartnerName, Reasons: reasonOptions(lifecycle.WithdrawalReasons)}
	if kind == lifecycle.KindDeferral {
		f.Reasons = reasonOptions(lifecycle.DeferralReasons)
		f.Ineligible = lifecycle.DeferralProblems(lifecycle.Facts{Status: e.Status, FundingRoute: e.FundingRoute,
			PaymentReceivedOn: e.PaymentReceivedOn, StartsOn: e.StartsOn}, programme.Today(s.now()))
	}
	// Participant-facing lists leave out the codes only a provider would record.
	if kind == lifecycle.KindWithdrawal {
		var keep []components.Option
		for _, o := range f.Reasons {
			if o.Value != "disengaged-and-unresponsive" && o.Value != "non-payment-of-invoice" && o.Value != "insufficient-capacity" {
				keep = append(keep, o)
			}
		}
		f.Reasons = keep
	}
	return f, e, nil
}

func (s *Server) participantRequestForm(kind lifecycle.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, e, err := s.requestForm(r, kind)
		if err != nil {
			return err
		}
		if p := lifecycle.StateProblem(kind, e.Status); p != "" {
			return httpError{Status: http.StatusConflict, Message: p}
		}
		return s.ok(w, r, participant.RequestNew(f))
	}
}

// readRequestDates checks the request's dates; problems go into errs.
func readRequestDates(kind lifecycle.Kind, startsOn, planned components.DateValue, errs *components.Errors, today time.Time) (time.Time, *time.Time) {
	what := "Date you plan to withdraw"
	if kind == lifecycle.KindDeferral {
		what = "Date your deferral starts"
	}
	start, p := startsOn.Parse(what)
	errs.Add("starts_on-day", p)
	if p == "" && start.Before(today.AddDate(0, -1, 0)) {
		errs.Add("starts_on-day", what+" cannot be more than a month ago")
	}
	if kind != lifecycle.KindDeferral {
		return start, nil
	}
	ret, p := planned.Parse("Planned return date")
	errs.Add("return-day", p)
	if p == "" && errs.For("starts_on-day") == "" && !ret.After(start) {
		errs.Add("return-day", "Planned return date must be after the deferral starts")
	}
	return start, &ret
}

func (s *Server) participantRequestCreate(kind lifecycle.Kind) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, e, err := s.requestForm(r, kind)
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		get := func(k string) string { return field(r, k) }
		f.Discussed, f.Reason, f.Details = get("discussed"), get("reason"), strings.TrimSpace(r.PostForm.Get("details"))
		f.StartsOn, f.PlannedReturn = components.DateFrom(get, "starts_on"), components.DateFrom(get, "return")
		if f.Discussed != "yes" && f.Discussed != "no" {
			f.Errors.Add("discussed", "Say whether you have talked to your delivery partner")
		}
		if f.Reason == "" || !hasOption(f.Reasons, f.Reason) {
			f.Errors.Add("reason", "Choose a reason from the list")
		}
		f.Errors.Add("details", maxLength("Details", f.Details, 2000))
		start, planned := readRequestDates(kind, f.StartsOn, f.PlannedReturn, &f.Errors, programme.Today(s.now()))
		if f.Errors.Any() {
			return s.invalid(w, r, participant.RequestNew(f))
		}
		_, err = s.lifecycle.Create(r.Context(), lifecycle.NewRequest{EnrolmentID: e.ID, Kind: kind, Reason: f.Reason, Details: f.Details,
			StartsOn: start, PlannedReturnOn: planned, Source: "participant", DiscussedWithPartner: f.Discussed == "yes", RequestedBy: currentUser(r.Context()).ID})
		back := participant.CourseHref("/requests", e.ID)
		if err != nil {
			return backTo(back, err)
		}
		msg := "Your request is sent. The programme team will review it and write to you."
		if kind == lifecycle.KindDeferral && lifecycle.ReturnTooLate(start, *planned) {
			msg += " Your planned return is more than 12 months away, which needs an exception: the team may contact you."
		}
		return s.seeOther(w, r, back, msg)
	}
}

func (s *Server) participantRequestCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "request")
	if err != nil {
		return err
	}
	if _, err := s.lifecycle.RequestByID(r.Context(), id, scopeFor(r)); err != nil {
		return err
	}
	err = s.lifecycle.Cancel(r.Context(), id, scopeFor(r), currentUser(r.Context()).ID)
	return s.seeOtherAfter(w, r, err, "/requests", "Your request is cancelled")
}

func (s *Server) participantReturnAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "request")
	if err != nil {
		return err
	}
	req, err := s.lifecycle.RequestByID(r.Context(), id, scopeFor(r))
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	back := returnAnswerBack(r, req.EnrolmentID)
	answer := lifecycle.ReturnAnswer(field(r, "answer"))
	if answer != lifecycle.Returning && answer != lifecycle.NotReturning {
		return s.seeOtherProblem(w, r, back, "Choose yes or no")
	}
	if err := s.lifecycle.AnswerReturn(r.Context(), id, currentUser(r.Context()).ID, answer); err != nil {
		return backTo(back, err)
	}
	if answer == lifecycle.Returning {
		return s.seeOther(w, r, back, "Thank you: we will reopen your course on your return date")
	}
	return s.seeOther(w, r, back, "Thank you for telling us. The programme team will confirm your withdrawal in writing.")
}

// returnAnswerBack is where an answer to "will you return?" goes back to: Home when it was
// answered there, otherwise the course's requests.
func returnAnswerBack(r *http.Request, enrolmentID int64) string {
	if field(r, "from") == "home" {
		return "/home"
	}
	return participant.CourseHref("/requests", enrolmentID)
}
