package server

import (
	"net/http"
	"strconv"
	"time"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/programme"
	"npq/web/pages/participant"
)

// eventOption works out what a participant can do with an offered event now.
func eventOption(o events.Offer, bookedOther map[int64]bool, now time.Time) participant.EventOption {
	opt := participant.EventOption{Offer: o, Href: "/events/" + strconv.FormatInt(o.ID, 10)}
	opt.Problem = events.BookingProblem(o.Event, now)
	opt.CancelProblem = events.CancellationProblem(o.Event, now)
	switch o.BookingStatus {
	case events.StatusBooked:
		opt.CanCancel = opt.CancelProblem == "" && !o.Cancelled()
	case events.StatusWaiting:
		opt.CanLeave = true
	default:
		if opt.Problem == "" {
			opt.CanBook = !o.Full()
			opt.CanWait = o.Full()
			opt.IsChange = bookedOther[o.ItemID]
		}
	}
	return opt
}

func (s *Server) participantEvents(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	c, ok, err := s.chooseCourse(r)
	if err != nil {
		return err
	}
	if !ok {
		return s.ok(w, r, participant.Events(participant.EventsView{NoEnrolment: true}))
	}
	e := c.chosen
	if !e.Status.CanSeeContent() {
		return s.unavailable(w, r, c)
	}
	st := s.standing(c, e)
	now := s.now()
	offers, err := s.events.Offers(ctx, e.ID, now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	made, err := s.events.FeedMadeAt(ctx, u.ID)
	if err != nil {
		return err
	}
	v := participant.EventsView{Enrolment: enrolmentView(e), Switcher: c.switcher("/events"), Standing: st, FeedMadeAt: made}
	booked := map[int64]bool{}
	for _, o := range offers {
		if o.BookingStatus == events.StatusBooked {
			booked[o.ItemID] = true
		}
	}
	for _, o := range offers {
		n := len(v.Groups)
		if n == 0 || v.Groups[n-1].ItemTitle != o.ItemTitle || v.Groups[n-1].BlockPosition != o.BlockPosition {
			v.Groups = append(v.Groups, participant.EventGroup{BlockPosition: o.BlockPosition, BlockTitle: o.BlockTitle,
				ItemID: o.ItemID, ItemTitle: o.ItemTitle, Required: o.ItemRequired, Booked: booked[o.ItemID]})
			n++
		}
		v.Groups[n-1].Options = append(v.Groups[n-1].Options, eventOption(o, booked, now))
	}
	return s.ok(w, r, participant.Events(v))
}

// participantEventEnrolment finds the participant's enrolment whose cohort is offered the
// event in the URL; an event not offered to them is a 404.
func (s *Server) participantEventEnrolment(r *http.Request) (programme.Enrolment, int64, error) {
	id, err := urlID(r, "event")
	if err != nil {
		return programme.Enrolment{}, 0, err
	}
	enrolments, err := s.programme.EnrolmentsForUser(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return programme.Enrolment{}, 0, err
	}
	ids := make([]int64, len(enrolments))
	for i, e := range enrolments {
		ids[i] = e.CohortID
	}
	cohort, err := s.events.OfferedCohort(r.Context(), id, ids)
	if err != nil {
		return programme.Enrolment{}, 0, err
	}
	for _, e := range enrolments {
		if e.CohortID == cohort {
			return e, id, nil
		}
	}
	return programme.Enrolment{}, 0, database.ErrNotFound
}

func (s *Server) participantEvent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, eventID, err := s.participantEventEnrolment(r)
	if err != nil {
		return err
	}
	if !e.Status.CanSeeContent() {
		return s.unavailable(w, r, courseChoice{chosen: e})
	}
	now := s.now()
	offers, err := s.events.Offers(ctx, e.ID, time.Time{})
	if err != nil {
		return err
	}
	booked := map[int64]bool{}
	for _, o := range offers {
		if o.BookingStatus == events.StatusBooked {
			booked[o.ItemID] = true
		}
	}
	for _, o := range offers {
		if o.ID == eventID {
			opt := eventOption(o, booked, now)
			return s.ok(w, r, participant.Event(participant.EventView{Back: participant.CourseHref("/events", e.ID), Option: opt, ShowLink: o.BookingStatus == events.StatusBooked && o.JoiningLink != "" && !o.Cancelled(),
				Description: programme.RenderMarkdown(o.Description)}))
		}
	}
	return errNotFound
}

// bookingFeedback says what a booking change did to the event, naming it and its date, and
// where the participant goes next: the event's own page when they hold or wait for a place
// on it, the events list of the enrolment's course to choose again when they gave one up.
func bookingFeedback(out events.Outcome, e events.Event, enrolmentID int64) (to, message string) {
	page := "/events/" + strconv.FormatInt(e.ID, 10)
	list := participant.CourseHref("/events", enrolmentID)
	what := e.Title + ", " + e.Timing()
	switch out {
	case events.OutcomeBooked:
		return page, "You are booked on " + what + ". We have emailed you the details and a calendar entry."
	case events.OutcomeChanged:
		return page, "Your booking is changed to the new date: " + what + ". We have emailed you the details."
	case events.OutcomeAlreadyBooked:
		return page, "You are already booked on " + what + "."
	case events.OutcomeWaiting:
		return page, "You are on the waiting list for " + what + ". If a place comes up you will be booked automatically and we will email you."
	case events.OutcomeAlreadyWaiting:
		return page, "You are already on the waiting list for " + what + "."
	case events.OutcomeCancelled:
		return list, "Your place on " + what + " is cancelled."
	case events.OutcomeLeftWaiting:
		return list, "You have left the waiting list for " + what + "."
	}
	return list, "You had no booking on " + what + "."
}

// bookingAction runs a booking change for the participant and reports it at the top of the
// page it leads to.
func (s *Server) bookingAction(w http.ResponseWriter, r *http.Request, act func(enrolmentID, eventID, actor int64, now time.Time) (events.Outcome, error)) error {
	e, eventID, err := s.participantEventEnrolment(r)
	if err != nil {
		return err
	}
	if e.Status != programme.StatusActive {
		return httpError{Status: http.StatusForbidden, Message: "Only participants with an active place can book or change events."}
	}
	page := "/events/" + strconv.FormatInt(eventID, 10)
	out, err := act(e.ID, eventID, currentUser(r.Context()).ID, s.now())
	if err != nil {
		return backTo(page, err)
	}
	if out == events.OutcomeFull {
		return s.seeOtherProblem(w, r, page, "Sorry, the last place was just taken. You can join the waiting list.")
	}
	o, err := s.events.Offer(r.Context(), e.ID, e.CohortID, eventID)
	if err != nil {
		return err
	}
	to, message := bookingFeedback(out, o.Event, e.ID)
	return s.seeOther(w, r, to, message)
}

// participantCancelConfirm asks the participant to confirm giving up their place (or their
// place in the waiting list) before it is gone.
func (s *Server) participantCancelConfirm(w http.ResponseWriter, r *http.Request) error {
	e, eventID, err := s.participantEventEnrolment(r)
	if err != nil {
		return err
	}
	if e.Status != programme.StatusActive {
		return httpError{Status: http.StatusForbidden, Message: "Only participants with an active place can book or change events."}
	}
	o, err := s.events.Offer(r.Context(), e.ID, e.CohortID, eventID)
	if err != nil {
		return err
	}
	opt := eventOption(o, nil, s.now())
	if !opt.CanCancel && !opt.CanLeave {
		why := "You have no booking on this date."
		if o.BookingStatus == events.StatusBooked && opt.CancelProblem != "" {
			why = opt.CancelProblem
		}
		return s.seeOtherProblem(w, r, opt.Href, why)
	}
	return s.ok(w, r, participant.CancelBooking(participant.EventView{Option: opt}))
}

func (s *Server) participantBook(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAction(w, r, func(enrolmentID, eventID, actor int64, now time.Time) (events.Outcome, error) {
		return s.events.Book(r.Context(), enrolmentID, eventID, actor, now)
	})
}

func (s *Server) participantWait(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAction(w, r, func(enrolmentID, eventID, actor int64, now time.Time) (events.Outcome, error) {
		return s.events.JoinWaitingList(r.Context(), enrolmentID, eventID, actor, now)
	})
}

func (s *Server) participantCancelBooking(w http.ResponseWriter, r *http.Request) error {
	return s.bookingAction(w, r, func(enrolmentID, eventID, actor int64, now time.Time) (events.Outcome, error) {
		return s.events.CancelBooking(r.Context(), enrolmentID, eventID, actor, now)
	})
}
