package server

import (
	"net/http"
	"strconv"

	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/pages/partner"
)

// engagementView reads a cohort's engagement, its attendance and the lists of people to
// chase: the cohort, then the rest at once (and who has not booked the sessions under
// pressure, when there are any).
func (s *Server) engagementView(r *http.Request) (partner.EngagementView, error) {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return partner.EngagementView{}, err
	}
	now := s.now()
	en, err := s.events.EngagementFor(r.Context(), c.ID, scopeFor(r), now)
	if err != nil {
		return partner.EngagementView{}, err
	}
	area := messageArea(r)
	v := partner.EngagementView{Cohort: c, Area: area, BasePath: area + "/cohorts/" + strconv.FormatInt(c.ID, 10), Path: r.URL.RequestURI(),
		Engagement: en, InactiveDays: programme.InactiveDays}
	if n, err := strconv.Atoi(r.URL.Query().Get("inactive")); err == nil && n >= 1 && n <= 365 {
		v.InactiveDays = n
	}
	for _, p := range en.Enrolled {
		var blocks []programme.Block
		if p.FirstBlockOpens != nil {
			blocks = []programme.Block{{OpensOn: *p.FirstBlockOpens}}
		}
		e := programme.RosterEntry{EnrolmentID: p.EnrolmentID, UserID: p.UserID, Name: p.Name, Email: p.Email, Status: programme.Status(p.Status),
			LastActivityAt: p.LastActivityAt, ActiveFrom: programme.ActiveFrom(p.StartsOn, p.CohortStartsOn, blocks)}
		if e.Inactive(now, v.InactiveDays) {
			v.Inactive = append(v.Inactive, e)
		}
	}
	return v, nil
}

func (s *Server) partnerEngagement(w http.ResponseWriter, r *http.Request) error {
	v, err := s.engagementView(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Engagement(v))
}

// partnerEngagementCSV downloads one of the engagement lists: ?list=unbooked&item={id},
// ?list=no-shows or ?list=inactive&inactive={days}.
func (s *Server) partnerEngagementCSV(w http.ResponseWriter, r *http.Request) error {
	v, err := s.engagementView(r)
	if err != nil {
		return err
	}
	var what, detail string
	var lines []partner.PersonLine
	switch q := r.URL.Query(); q.Get("list") {
	case "unbooked":
		item, err := strconv.ParseInt(q.Get("item"), 10, 64)
		if err != nil {
			return badRequest("Choose a session from the engagement page.")
		}
		u, ok := v.Unbooked(item)
		if !ok {
			return errNotFound
		}
		what, lines = "not booked "+u.ItemTitle, v.UnbookedLines(u)
	case "no-shows":
		what, detail, lines = "no-shows", "Missed", v.NoShowLines()
	case "inactive":
		what, detail, lines = "not active", "Last active", v.InactiveLines()
	default:
		return badRequest("Choose a list from the engagement page.")
	}
	out := newCSV(w, v.CSVName(what, s.now().In(timefmt.London).Format("2006-01-02")))
	head := []string{"Name", "Email", "Course", "Cohort"}
	if detail != "" {
		head = append(head, detail)
	}
	out.Write(head...)
	for _, p := range lines {
		row := []string{p.Name, p.Email, v.Cohort.CourseName, v.Cohort.Name}
		if detail != "" {
			row = append(row, p.Detail)
		}
		out.Write(row...)
	}
	return out.Flush()
}
