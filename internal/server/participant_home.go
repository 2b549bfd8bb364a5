package server

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"npq/internal/events"
	"npq/internal/lifecycle"
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
	facts, err := s.lifecycle.CourseFactsFor(ctx, u.ID)
	if err != nil {
		return err
	}
	v.Due = dueAssessment(enrolments, facts, today)
	primary := primaryIndex(enrolments)
	for i, e := range enrolments {
		card := participant.CourseCard{Enrolment: enrolmentView(e), Standing: lifecycle.StandingOf(facts[e.ID]), Primary: i == primary}
		v.Courses = append(v.Courses, card)
		if card.Standing.Question {
			v.Questions = append(v.Questions, card)
		}
	}
	if primary < 0 {
		return s.ok(w, r, participant.Home(v))
	}
	e := enrolments[primary]
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
	return s.ok(w, r, participant.Home(v))
}

// primaryIndex is the enrolment Home shows in full, with where to continue: the first whose
// content the participant may see, or -1.
func primaryIndex(enrolments []programme.Enrolment) int {
	for i, e := range enrolments {
		if e.Status.CanSeeContent() {
			return i
		}
	}
	return -1
}

// dueAssessment is the assessment the participant should be working on now, the earliest
// deadline first, or nil.
func dueAssessment(enrolments []programme.Enrolment, facts map[int64]lifecycle.CourseFacts, today time.Time) *participant.DueAssessment {
	var due *participant.DueAssessment
	for _, e := range enrolments {
		f := facts[e.ID]
		if f.AssessmentDue(today) && (due == nil || f.Deadline.Before(due.Deadline)) {
			due = &participant.DueAssessment{EnrolmentID: e.ID, CourseName: e.CourseName, Deadline: f.Deadline, Started: f.Drafting}
		}
	}
	return due
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
