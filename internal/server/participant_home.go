package server

import (
	"net/http"
	"sort"
	"strconv"

	"npq/internal/events"
	"npq/internal/programme"
	"npq/web/pages/participant"
)

func (s *Server) participantHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	v := participant.HomeView{Name: u.Name}
	today := programme.Today(s.now())
	enrolments, err := s.programme.EnrolmentsForUser(ctx, u.ID)
	if err != nil {
		return err
	}
	news, err := s.programme.NewsFor(ctx, u.ID, 5)
	if err != nil {
		return err
	}
	for _, n := range news {
		v.News = append(v.News, participant.NewsView{Title: n.Title, BodyHTML: programme.RenderMarkdown(n.Body), Audience: n.Audience, PublishedAt: n.PublishedAt})
	}
	if v.Due, err = s.assessment.DueFor(ctx, u.ID, today); err != nil {
		return err
	}
	if len(enrolments) > 0 {
		e := enrolments[0]
		ev := enrolmentView(e)
		v.Enrolment = &ev
		for _, o := range enrolments[1:] {
			v.Others = append(v.Others, enrolmentView(o))
		}
		if e.Status.CanSeeContent() {
			blocks, err := s.programme.Journey(ctx, e)
			if err != nil {
				return err
			}
			views, current, cont := journeyView(blocks, lastItem(e), today)
			v.Continue = cont
			if err := s.homeEvents(r, e, &v); err != nil {
				return err
			}
			v.Overall = programme.CourseProgress(blocks)
			if current >= 0 {
				v.Current = &views[current]
			}
		}
	}
	return s.ok(w, r, participant.Home(v))
}

// homeEvents fills Home's calendar: upcoming bookings and waiting-list places, and the
// required sessions with dates open to book that the participant has not booked.
func (s *Server) homeEvents(r *http.Request, e programme.Enrolment, v *participant.HomeView) error {
	now := s.now()
	offers, err := s.events.Offers(r.Context(), e.ID, e.CohortID, now)
	if err != nil {
		return err
	}
	booked := map[int64]bool{}
	open := map[int64]string{}
	var order []int64
	for _, o := range offers {
		switch {
		case o.Cancelled():
		case o.BookingStatus == events.StatusBooked || o.BookingStatus == events.StatusWaiting:
			booked[o.ItemID] = booked[o.ItemID] || o.BookingStatus == events.StatusBooked
			where := o.Venue
			if o.Kind.Online() {
				where = "Online"
			}
			v.Events = append(v.Events, participant.HomeEvent{Title: o.Title, StartsAt: o.StartsAt, Where: where,
				Href: "/events/" + strconv.FormatInt(o.ID, 10), Waiting: o.BookingStatus == events.StatusWaiting})
		case o.ItemRequired && events.BookingProblem(o.Event, now) == "":
			if _, ok := open[o.ItemID]; !ok {
				order = append(order, o.ItemID)
			}
			open[o.ItemID] = "Block " + strconv.Itoa(o.BlockPosition) + ": " + o.ItemTitle
		}
	}
	sort.Slice(v.Events, func(i, j int) bool { return v.Events[i].StartsAt.Before(v.Events[j].StartsAt) })
	for _, id := range order {
		if !booked[id] {
			v.ToBook = append(v.ToBook, open[id])
		}
	}
	return nil
}
