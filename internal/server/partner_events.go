package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/partner"
)

// eventsBase is where the signed-in staff member's event pages live.
func eventsBase(r *http.Request) string {
	if partnerScope(r) != nil {
		return "/partner/events"
	}
	return "/admin/events"
}

func (s *Server) partnerEvents(w http.ResponseWriter, r *http.Request) error {
	now := time.Now()
	upcoming, err := s.events.Events(r.Context(), partnerScope(r), true, now, 200)
	if err != nil {
		return err
	}
	past, err := s.events.Events(r.Context(), partnerScope(r), false, now, 50)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.EventsList(partner.EventsListView{BasePath: eventsBase(r), Upcoming: upcoming, Past: past}))
}

func (s *Server) eventFromURL(r *http.Request) (events.Event, error) {
	id, err := urlID(r, "event")
	if err != nil {
		return events.Event{}, err
	}
	return s.events.EventByID(r.Context(), id, partnerScope(r))
}

// eventFormChoices fills the activity and cohort choices within the user's scope.
func (s *Server) eventFormChoices(r *http.Request, f *partner.EventForm) error {
	items, err := s.events.SessionItems(r.Context(), partnerScope(r))
	if err != nil {
		return err
	}
	f.Items = []components.Option{{Value: "", Label: "Choose the session"}}
	for _, it := range items {
		f.Items = append(f.Items, components.Option{Value: strconv.FormatInt(it.ID, 10),
			Label: fmt.Sprintf("%s, block %d: %s (%s)", it.CourseName, it.BlockPosition, it.ItemTitle, programme.ItemKind(it.Kind).Label())})
	}
	cohorts, err := s.programme.Cohorts(r.Context(), partnerScope(r))
	if err != nil {
		return err
	}
	groups := map[string]*components.CheckboxGroup{}
	var order []string
	today := programme.Today(time.Now())
	for _, c := range cohorts {
		if c.Stage(today) == "Finished" {
			continue
		}
		g, ok := groups[c.CourseName]
		if !ok {
			g = &components.CheckboxGroup{Legend: c.CourseName}
			groups[c.CourseName] = g
			order = append(order, c.CourseName)
		}
		g.Options = append(g.Options, components.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name + " (" + c.PartnerName + ")"})
	}
	slices.Sort(order)
	f.Cohorts = nil
	for _, name := range order {
		f.Cohorts = append(f.Cohorts, *groups[name])
	}
	if f.CohortIDs == nil {
		f.CohortIDs = map[string]bool{}
	}
	return nil
}

func (s *Server) partnerEventNew(w http.ResponseWriter, r *http.Request) error {
	f := partner.EventForm{BasePath: eventsBase(r), Limit: "limited", Capacity: "30", ClosesHours: "24", CutoffHours: "48", StartTime: "9:30am", EndTime: "3:30pm"}
	if err := s.eventFormChoices(r, &f); err != nil {
		return err
	}
	return s.ok(w, r, partner.EventEdit(f))
}

// partnerEventCopy starts a new event from an existing one: everything but the date.
func (s *Server) partnerEventCopy(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	f := eventFormFrom(e)
	f.BasePath, f.Editing, f.EventID, f.Date = eventsBase(r), false, 0, components.DateValue{}
	f.Opens = components.DateValue{}
	if err := s.eventFormChoices(r, &f); err != nil {
		return err
	}
	return s.ok(w, r, partner.EventEdit(f))
}

func eventFormFrom(e events.Event) partner.EventForm {
	f := partner.EventForm{EventID: e.ID, Editing: true, ItemID: strconv.FormatInt(e.ItemID, 10), ItemLocked: e.ItemTitle,
		CohortIDs: map[string]bool{}, Title: e.Title, Description: e.Description, Facilitator: e.Facilitator,
		Date: components.DateOf(e.StartsAt.In(timefmt.London)), StartTime: timefmt.Clock24(e.StartsAt), EndTime: timefmt.Clock24(e.EndsAt),
		Venue: e.Venue, JoiningLink: e.JoiningLink, Limit: "unlimited",
		Opens:       components.DateOf(e.BookingOpensAt.In(timefmt.London)),
		ClosesHours: strconv.Itoa(int(e.StartsAt.Sub(e.BookingClosesAt).Hours())),
		CutoffHours: strconv.Itoa(int(e.StartsAt.Sub(e.CancellationCutoff).Hours()))}
	if e.Capacity != nil {
		f.Limit, f.Capacity = "limited", strconv.Itoa(*e.Capacity)
	}
	for _, c := range e.Cohorts {
		f.CohortIDs[strconv.FormatInt(c.ID, 10)] = true
	}
	return f
}

var clockPattern = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$`)

// parseClock reads a time of day such as "9:30am", "14:00" or "2pm".
func parseClock(s string) (hour, minute int, ok bool) {
	m := clockPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, 0, false
	}
	hour, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		minute, _ = strconv.Atoi(m[2])
	}
	switch m[3] {
	case "am":
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		if hour == 12 {
			hour = 0
		}
	case "pm":
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		if hour != 12 {
			hour += 12
		}
	}
	return hour, minute, hour <= 23 && minute <= 59
}

// readEventForm reads and checks the event form; problems go into f.Errors.
func readEventForm(r *http.Request, f *partner.EventForm, now time.Time, kindOf func(int64) (events.Kind, bool)) events.NewEvent {
	get := func(k string) string { return field(r, k) }
	if !f.Editing {
		f.ItemID = get("item")
	}
	f.Title, f.Description, f.Facilitator = get("title"), strings.TrimSpace(r.PostForm.Get("description")), get("facilitator")
	f.Date, f.StartTime, f.EndTime = components.DateFrom(get, "date"), get("start_time"), get("end_time")
	f.Venue, f.JoiningLink, f.Limit, f.Capacity = strings.TrimSpace(r.PostForm.Get("venue")), get("joining_link"), get("limit"), get("capacity")
	f.Opens, f.ClosesHours, f.CutoffHours = components.DateFrom(get, "opens"), get("closes_hours"), get("cutoff_hours")
	f.CohortIDs = map[string]bool{}
	var n events.NewEvent
	for _, v := range r.PostForm["cohorts"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || f.CohortIDs[v] {
			continue
		}
		f.CohortIDs[v] = true
		n.CohortIDs = append(n.CohortIDs, id)
	}
	var kind events.Kind
	if f.ItemID == "" {
		f.Errors.Add("item", "Choose the session this event is a date for")
	} else if id, err := strconv.ParseInt(f.ItemID, 10, 64); err != nil {
		f.Errors.Add("item", "Choose one of the sessions listed")
	} else if k, ok := kindOf(id); !ok {
		f.Errors.Add("item", "Choose one of the sessions listed")
	} else {
		n.ItemID, kind = id, k
	}
	if len(n.CohortIDs) == 0 {
		f.Errors.Add("cohorts", "Choose at least one cohort to offer it to")
	}
	f.Errors.Add("title", maxLength("Title", f.Title, 200))
	f.Errors.Add("description", maxLength("Description", f.Description, 5000))
	f.Errors.Add("facilitator", maxLength("Facilitator", f.Facilitator, 200))
	day, p := f.Date.Parse("Date")
	f.Errors.Add("date-day", p)
	sh, sm, okStart := parseClock(f.StartTime)
	eh, em, okEnd := parseClock(f.EndTime)
	switch {
	case f.StartTime == "":
		f.Errors.Add("start_time", "Enter the start time")
	case !okStart:
		f.Errors.Add("start_time", "Start time must be a time, like 9:30am or 14:00")
	}
	switch {
	case f.EndTime == "":
		f.Errors.Add("end_time", "Enter the end time")
	case !okEnd:
		f.Errors.Add("end_time", "End time must be a time, like 3:30pm or 15:30")
	}
	if p == "" && okStart && okEnd {
		n.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), sh, sm, 0, 0, timefmt.London)
		n.EndsAt = time.Date(day.Year(), day.Month(), day.Day(), eh, em, 0, 0, timefmt.London)
		if !n.EndsAt.After(n.StartsAt) {
			f.Errors.Add("end_time", "End time must be after the start time")
		}
		if !f.Editing && !n.StartsAt.After(now) {
			f.Errors.Add("date-day", "Date must be in the future")
		}
	}
	f.Errors.Add("venue", maxLength("Venue address", f.Venue, 1000))
	if f.JoiningLink != "" {
		if u, err := url.Parse(f.JoiningLink); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			f.Errors.Add("joining_link", "Joining link must be a web address starting with https://")
		}
		f.Errors.Add("joining_link", maxLength("Joining link", f.JoiningLink, 1000))
	}
	switch {
	case kind.Online() && f.JoiningLink == "":
		f.Errors.Add("joining_link", "Enter the joining link for this webinar")
	case kind != "" && !kind.Online() && f.Venue == "" && f.JoiningLink == "":
		f.Errors.Add("venue", "Enter the venue address, or a joining link if it is held online")
	}
	switch f.Limit {
	case "limited":
		c, p := wholeNumber("Number of places", f.Capacity, 1, 10000)
		f.Errors.Add("capacity", p)
		n.Capacity = &c
	case "unlimited":
	default:
		f.Errors.Add("limit", "Choose a set number of places or no limit")
	}
	closes, p := wholeNumber("Hours before the start that booking closes", f.ClosesHours, 0, 24*60)
	f.Errors.Add("closes_hours", p)
	cutoff, p := wholeNumber("Hours before the start for cancelling", f.CutoffHours, 0, 24*60)
	f.Errors.Add("cutoff_hours", p)
	n.BookingOpensAt = now
	if !f.Opens.Empty() {
		d, p := f.Opens.Parse("Booking opening date")
		f.Errors.Add("opens-day", p)
		n.BookingOpensAt = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, timefmt.London)
	}
	if !n.StartsAt.IsZero() {
		n.BookingClosesAt = n.StartsAt.Add(-time.Duration(closes) * time.Hour)
		n.CancellationCutoff = n.StartsAt.Add(-time.Duration(cutoff) * time.Hour)
		if f.Errors.For("opens-day") == "" && f.Errors.For("closes_hours") == "" && f.Errors.For("date-day") == "" && !n.BookingOpensAt.Before(n.BookingClosesAt) {
			f.Errors.Add("opens-day", "Booking must open before it closes ("+timefmt.DateTime(n.BookingClosesAt)+")")
		}
	}
	n.Title = f.Title
	n.Description, n.Facilitator, n.Venue, n.JoiningLink = f.Description, f.Facilitator, f.Venue, f.JoiningLink
	return n
}

// itemKinds maps the session items in scope to their kinds, for the form check.
func (s *Server) itemKinds(r *http.Request) (func(int64) (events.Kind, bool), map[int64]string, error) {
	items, err := s.events.SessionItems(r.Context(), partnerScope(r))
	if err != nil {
		return nil, nil, err
	}
	kinds := map[int64]events.Kind{}
	titles := map[int64]string{}
	for _, it := range items {
		kinds[it.ID] = it.Kind
		titles[it.ID] = it.ItemTitle
	}
	return func(id int64) (events.Kind, bool) { k, ok := kinds[id]; return k, ok }, titles, nil
}

// partnerForCohorts is the delivery partner an event belongs to: the user's, or for an admin
// the one partner all the chosen cohorts belong to.
func (s *Server) partnerForCohorts(r *http.Request, ids []int64) (int64, string, error) {
	if scope := partnerScope(r); scope != nil {
		return *scope, "", nil
	}
	var partnerID int64
	for _, id := range ids {
		c, err := s.programme.CohortByID(r.Context(), id, nil)
		if errors.Is(err, database.ErrNotFound) {
			return 0, "Choose cohorts from the list", nil
		}
		if err != nil {
			return 0, "", err
		}
		if partnerID != 0 && c.PartnerID != partnerID {
			return 0, "Choose cohorts of one delivery partner: an event belongs to the partner that runs it", nil
		}
		partnerID = c.PartnerID
	}
	return partnerID, "", nil
}

func (s *Server) partnerEventCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := partner.EventForm{BasePath: eventsBase(r)}
	if err := s.eventFormChoices(r, &f); err != nil {
		return err
	}
	kindOf, titles, err := s.itemKinds(r)
	if err != nil {
		return err
	}
	n := readEventForm(r, &f, time.Now(), kindOf)
	if n.Title == "" {
		n.Title = titles[n.ItemID]
	}
	partnerID, problem, err := s.partnerForCohorts(r, n.CohortIDs)
	if err != nil {
		return err
	}
	f.Errors.Add("cohorts", problem)
	if f.Errors.Any() {
		return s.invalid(w, r, partner.EventEdit(f))
	}
	id, err := s.events.Create(r.Context(), n, partnerID, currentUser(r.Context()).ID)
	if errors.Is(err, events.ErrCohortsNotAllowed) {
		f.Errors.Add("cohorts", "Choose cohorts that run this session's course")
		return s.invalid(w, r, partner.EventEdit(f))
	}
	if errors.Is(err, events.ErrItemNotSession) {
		f.Errors.Add("item", "Choose one of the sessions listed")
		return s.invalid(w, r, partner.EventEdit(f))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d", eventsBase(r), id), "Event scheduled: participants can book it now")
}

func (s *Server) partnerEventEdit(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	f := eventFormFrom(e)
	f.BasePath = eventsBase(r)
	if err := s.eventFormChoices(r, &f); err != nil {
		return err
	}
	return s.ok(w, r, partner.EventEdit(f))
}

func (s *Server) partnerEventUpdate(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := eventFormFrom(e)
	f.BasePath = eventsBase(r)
	if err := s.eventFormChoices(r, &f); err != nil {
		return err
	}
	n := readEventForm(r, &f, time.Now(), func(int64) (events.Kind, bool) { return e.Kind, true })
	if n.Title == "" {
		n.Title = e.ItemTitle
	}
	if f.Errors.Any() {
		return s.invalid(w, r, partner.EventEdit(f))
	}
	err = s.events.Update(r.Context(), e.ID, n, partnerScope(r), currentUser(r.Context()).ID, time.Now())
	var below events.ErrCapacityBelowBooked
	var problem events.Problem
	switch {
	case errors.As(err, &below):
		f.Errors.Add("capacity", "Number of places must be at least "+strconv.Itoa(int(below))+": that many people are booked")
		return s.invalid(w, r, partner.EventEdit(f))
	case errors.Is(err, events.ErrCohortsNotAllowed):
		f.Errors.Add("cohorts", "Choose cohorts of this event's partner that run its course")
		return s.invalid(w, r, partner.EventEdit(f))
	case errors.As(err, &problem):
		return httpError{Status: http.StatusConflict, Message: string(problem)}
	case err != nil:
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d", eventsBase(r), e.ID), "Changes saved: everyone booked has been told")
}

func (s *Server) partnerEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	bookings, err := s.events.Bookings(r.Context(), e.ID)
	if err != nil {
		return err
	}
	history, err := s.events.EventHistory(r.Context(), e.ID, 100)
	if err != nil {
		return err
	}
	v := partner.EventPage{BasePath: eventsBase(r), Event: e, History: history}
	for _, b := range bookings {
		if b.Status == "waiting" {
			v.Waiting = append(v.Waiting, b)
		} else {
			v.Booked = append(v.Booked, b)
		}
	}
	return s.ok(w, r, partner.Event(v))
}

func (s *Server) partnerEventCancelForm(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.CancelEvent(partner.CancelForm{BasePath: eventsBase(r), Event: e}))
}

func (s *Server) partnerEventCancel(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := partner.CancelForm{BasePath: eventsBase(r), Event: e, Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	if f.Reason == "" {
		f.Errors.Add("reason", "Enter the reason: participants see it")
	}
	f.Errors.Add("reason", maxLength("Reason", f.Reason, 1000))
	if f.Errors.Any() {
		return s.invalid(w, r, partner.CancelEvent(f))
	}
	err = s.events.Cancel(r.Context(), e.ID, f.Reason, partnerScope(r), currentUser(r.Context()).ID)
	var problem events.Problem
	if errors.As(err, &problem) {
		return httpError{Status: http.StatusConflict, Message: string(problem)}
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d", eventsBase(r), e.ID), "Event cancelled: everyone booked has been told")
}

func (s *Server) registerView(r *http.Request, e events.Event) (partner.RegisterView, error) {
	bookings, err := s.events.Bookings(r.Context(), e.ID)
	if err != nil {
		return partner.RegisterView{}, err
	}
	v := partner.RegisterView{BasePath: eventsBase(r), Event: e, Marks: map[int64]string{}, Notes: map[int64]string{},
		Open: !programme.Today(time.Now()).Before(programme.Today(e.StartsAt)) && !e.Cancelled()}
	for _, b := range bookings {
		if b.Status == "booked" {
			v.Rows = append(v.Rows, b)
			v.Marks[b.ID], v.Notes[b.ID] = b.Attendance, b.AttendanceNote
		}
	}
	return v, nil
}

func (s *Server) partnerRegister(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	v, err := s.registerView(r, e)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.Register(v))
}

func (s *Server) partnerRegisterSave(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	v, err := s.registerView(r, e)
	if err != nil {
		return err
	}
	var marks []events.Mark
	for _, raw := range r.PostForm["booking"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return badRequest("The register could not be read.")
		}
		m := events.Mark{BookingID: id, Attendance: field(r, "mark-"+raw), Note: field(r, "note-"+raw)}
		v.Marks[id], v.Notes[id] = m.Attendance, m.Note
		if !events.ValidAttendance(m.Attendance) {
			v.Errors.Add("mark-0", "Choose attended, partly attended, absent or excused")
		}
		if p := maxLength("Note", m.Note, 500); p != "" {
			v.Errors.Add("mark-0", p)
		}
		marks = append(marks, m)
	}
	if v.Errors.Any() {
		return s.invalid(w, r, partner.Register(v))
	}
	n, err := s.events.MarkRegister(r.Context(), e.ID, marks, partnerScope(r), currentUser(r.Context()).ID, time.Now())
	var problem events.Problem
	if errors.As(err, &problem) {
		v.Errors.Add("mark-0", string(problem))
		return s.invalid(w, r, partner.Register(v))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d/register", eventsBase(r), e.ID), fmt.Sprintf("Register saved (%d changes)", n))
}

func (s *Server) partnerRegisterCSV(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	bookings, err := s.events.Bookings(r.Context(), e.ID)
	if err != nil {
		return err
	}
	cw := newCSV(w, fmt.Sprintf("register-event-%d.csv", e.ID))
	cw.Write("event", "starts_at", "name", "email", "status", "attendance", "note")
	for _, b := range bookings {
		cw.Write(e.Title, timefmt.ISODateTime(e.StartsAt), b.Name, b.Email, b.Status, b.Attendance, b.AttendanceNote)
	}
	return cw.Flush()
}
