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
	enrolments, facts, err := s.lifecycle.EnrolmentsWithFacts(ctx, u.ID)
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
	v.Due = dueAssessment(enrolments, facts, today)
	primary := primaryIndex(enrolments)
	for i, e := range enrolments {
		card := participant.CourseCard{Enrolment: enrolmentView(e), Standing: lifecycle.StandingOf(facts[e.ID], today), Primary: i == primary}
		v.Courses = append(v.Courses, card)
		if card.Standing.Question {
			v.Questions = append(v.Questions, card)
			if v.Due != nil && v.Due.EnrolmentID == e.ID {
				v.Due = nil // the question says it, with the feedback to read first
			}
		}
	}
	if primary < 0 {
		return s.ok(w, r, participant.Home(v))
	}
	j, err := s.journeyOf(r, enrolments[primary])
	if err != nil {
		return err
	}
	v.Continue = j.cont
	homeEvents(j.offers, s.now(), &v)
	v.Overall = programme.CourseProgress(j.blocks)
	if j.current >= 0 {
		v.Current = &j.views[j.current]
	}
	v.Calendar = calendarView(j, today)
	return s.ok(w, r, participant.Home(v))
}

// calendarView says where the participant is against the block calendar: how many opened
// blocks are behind them, and when the next block opens (or that none is left).
func calendarView(j journey, today time.Time) participant.CalendarView {
	latest, behind := programme.CalendarGap(j.blocks, today)
	c := participant.CalendarView{Behind: behind}
	if latest >= 0 {
		c.Latest = &j.views[latest]
	}
	for i := range j.views {
		b := &j.views[i]
		if !b.Open {
			if c.NextBlock == nil {
				c.NextBlock = b
			}
			continue
		}
		for _, it := range b.Items {
			if it.Required && !it.Completed && !it.Kind.SelfCompleted() && it.Session.Stuck() {
				c.Stuck = append(c.Stuck, it)
			}
		}
	}
	return c
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

// homeEvents fills Home's calendar from every date of the enrolment's sessions: upcoming
// bookings and waiting-list places, and the required sessions with dates open to book that
// the participant has not booked.
func homeEvents(offers []events.Offer, now time.Time, v *participant.HomeView) {
	booked := map[int64]bool{}
	open := map[int64]string{}
	var order []int64
	for _, o := range offers {
		switch {
		case o.EndsAt.Before(now) && o.BookingStatus != events.StatusBooked:
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
}
