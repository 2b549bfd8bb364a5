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
	st, err := s.standing(r, e)
	if err != nil {
		return err
	}
	now := s.now()
	offers, err := s.events.Offers(ctx, e.ID, e.CohortID, now.Add(-24*time.Hour))
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
				ItemTitle: o.ItemTitle, Required: o.ItemRequired, Booked: booked[o.ItemID]})
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
	offers, err := s.events.Offers(ctx, e.ID, e.CohortID, time.Time{})
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

// bookingAction runs a booking change for the participant and reports it.
func (s *Server) bookingAction(w http.ResponseWriter, r *http.Request, act func(enrolmentID, eventID, actor int64, now time.Time) (events.Outcome, error)) error {
	e, eventID, err := s.participantEventEnrolment(r)
	if err != nil {
		return err
	}
	if e.Status != programme.StatusActive {
		return httpError{Status: http.StatusForbidden, Message: "Only participants with an active place can book or change events."}
	}
	back := participant.CourseHref("/events#event-"+strconv.FormatInt(eventID, 10), e.ID)
	out, err := act(e.ID, eventID, currentUser(r.Context()).ID, s.now())
	if err != nil {
		return backTo(back, err)
	}
	messages := map[events.Outcome]string{
		events.OutcomeBooked:         "You are booked. We have emailed you the details and a calendar entry.",
		events.OutcomeChanged:        "Your booking is changed to the new date. We have emailed you the details.",
		events.OutcomeAlreadyBooked:  "You are already booked on this date.",
		events.OutcomeWaiting:        "You are on the waiting list. If a place comes up you will be booked automatically and we will email you.",
		events.OutcomeAlreadyWaiting: "You are already on the waiting list for this date.",
		events.OutcomeCancelled:      "Your place is cancelled.",
		events.OutcomeLeftWaiting:    "You have left the waiting list.",
		events.OutcomeNothing:        "You had no booking on this date.",
	}
	if out == events.OutcomeFull {
		return s.seeOtherProblem(w, r, back, "Sorry, the last place was just taken. You can join the waiting list.")
	}
	return s.seeOther(w, r, back, messages[out])
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
