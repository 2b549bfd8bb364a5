package server

import (
	"net/http"
	"strconv"

	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/web/layout"
	"npq/web/pages/participant"
)

func enrolmentView(e programme.Enrolment) participant.EnrolmentView {
	return participant.EnrolmentView{ID: e.ID, CourseName: e.CourseName, CohortName: e.CohortName, PartnerName: e.PartnerName,
		ContactName: e.PartnerContactName, ContactEmail: e.PartnerContactEmail, Status: e.Status, StartsOn: e.StartsOn, StudyEndsOn: e.StudyEndsOn}
}

// courseChoice is a participant's enrolments and the one a page is about.
type courseChoice struct {
	all    []programme.Enrolment
	chosen programme.Enrolment
	named  bool // the URL named the course
	// facts are the facts behind the standing of each enrolment, by id.
	facts map[int64]lifecycle.CourseFacts
}

// chooseCourse reads the participant's enrolments and picks the one the URL's ?course= names
// (an enrolment id of their own; anything else is a 404), or else the primary enrolment: the
// first active one, then the newest. ok is false when they have none.
func (s *Server) chooseCourse(r *http.Request) (courseChoice, bool, error) {
	enrolments, facts, err := s.lifecycle.EnrolmentsWithFacts(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return courseChoice{}, false, err
	}
	c, err := pickCourse(enrolments, r.URL.Query().Get("course"))
	c.facts = facts
	if c.named && len(enrolments) > 1 {
		m := layout.MetaFrom(r.Context())
		m.Nav = navWithCourse(m.Nav, c.chosen.ID)
	}
	return c, err == nil && len(enrolments) > 0, err
}

// navWithCourse makes the header's course pages keep the course a page is about, so a
// participant with two courses stays on the one they chose. Home shows every course.
func navWithCourse(nav []layout.NavItem, enrolmentID int64) []layout.NavItem {
	out := make([]layout.NavItem, len(nav))
	for i, item := range nav {
		out[i] = item
		if item.Href != "/home" {
			out[i].Href = participant.CourseHref(item.Href, enrolmentID)
		}
	}
	return out
}

// pickCourse chooses among a participant's enrolments by the course parameter's value.
func pickCourse(enrolments []programme.Enrolment, param string) (courseChoice, error) {
	c := courseChoice{all: enrolments}
	if param == "" {
		if len(enrolments) > 0 {
			c.chosen = enrolments[0]
		}
		return c, nil
	}
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return c, errNotFound
	}
	for _, e := range enrolments {
		if e.ID == id {
			c.chosen, c.named = e, true
			return c, nil
		}
	}
	return c, errNotFound
}

// chosenID is the enrolment id the URL named, or 0.
func (c courseChoice) chosenID() int64 {
	if c.named {
		return c.chosen.ID
	}
	return 0
}

// pick makes the enrolment with id the chosen one, when it is among the participant's.
func (c *courseChoice) pick(id int64) {
	for _, e := range c.all {
		if e.ID == id {
			c.chosen = e
		}
	}
}

// switcher lists the participant's courses with links to the same page for each; it is empty
// when they have one course.
func (c courseChoice) switcher(path string) participant.CourseSwitcher {
	if len(c.all) < 2 {
		return participant.CourseSwitcher{}
	}
	sw := participant.CourseSwitcher{}
	for _, e := range c.all {
		sw.Courses = append(sw.Courses, participant.CourseLink{Name: e.CourseName, Status: e.Status,
			Href: participant.CourseHref(path, e.ID), Current: e.ID == c.chosen.ID})
	}
	return sw
}

// primaryEnrolment is the enrolment the Progress and Learn pages show (the one the URL
// chooses), or a page saying the participant has none or may not see content.
func (s *Server) primaryEnrolment(w http.ResponseWriter, r *http.Request) (courseChoice, bool, error) {
	c, ok, err := s.chooseCourse(r)
	if err != nil {
		return c, false, err
	}
	if !ok {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return c, false, nil
	}
	if !c.chosen.Status.CanSeeContent() {
		return c, false, s.unavailable(w, r, c)
	}
	return c, true, nil
}

// unavailable answers a page whose course content the participant may not see now, saying
// where they stand on it.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, c courseChoice) error {
	st := s.standing(c, c.chosen)
	s.render(w, r, http.StatusForbidden, participant.Unavailable(participant.UnavailableView{Enrolment: enrolmentView(c.chosen),
		Switcher: c.switcher(r.URL.Path), Standing: st}))
	return nil
}

// standing is where the participant stands on one of the enrolments of c, as every
// participant page says it.
func (s *Server) standing(c courseChoice, e programme.Enrolment) lifecycle.StandingView {
	return lifecycle.StandingOf(c.facts[e.ID], programme.Today(s.now()))
}
