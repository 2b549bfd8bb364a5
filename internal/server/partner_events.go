package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/listing"
	"npq/internal/plural"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/partner"
)

// eventsBase is where the signed-in staff member's event pages live.
func eventsBase(r *http.Request) string {
	if scopeFor(r).All() {
		return "/admin/events"
	}
	return "/partner/events"
}

func (s *Server) partnerEvents(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	v := partner.EventsListView{BasePath: eventsBase(r), Admin: scopeFor(r).All()}
	f, err := readEventsFilter(r, &v)
	if err != nil {
		return err
	}
	o, err := s.listChoices(r)
	if err != nil {
		return err
	}
	v.Choices.Courses, v.Choices.Cohorts, v.Choices.Partners, v.Choices.CohortHint = o.courses, o.cohorts, o.partners, o.cohortHint
	v.Choices.Kinds, v.Choices.Statuses = eventKindChoices(), eventStatusChoices()
	if v.Errors.Any() {
		return s.invalid(w, r, partner.EventsList(v))
	}
	rows, err := s.events.EventsPage(r.Context(), scopeFor(r), f, s.now(), req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, events.EventKey)
	v.Rows, v.Pages = page.Rows, seekPager(r, page)
	v.Sorted = components.SortedBy{Column: "Date", Ascending: f.Status.Soonest(), Words: "latest first"}
	if f.Status.Soonest() {
		v.Sorted.Words = "soonest first"
	}
	return s.ok(w, r, partner.EventsList(v))
}

// readEventsFilter reads the events list's filters from the address into v and a filter;
// a date that is not real goes into v.Errors, and anything no form of ours sends is 400.
func readEventsFilter(r *http.Request, v *partner.EventsListView) (events.EventFilter, error) {
	q := r.URL.Query()
	v.Filter = partner.EventsFilter{Query: strings.TrimSpace(q.Get("q")), Course: q.Get("course"), Cohort: q.Get("cohort"),
		Partner: q.Get("partner"), From: q.Get("from"), To: q.Get("to"), Kind: q.Get("kind"), Status: q.Get("status")}
	req, _ := listing.Read(q)
	f := events.EventFilter{Query: req.Query}
	var okStatus, okKind bool
	f.Status, okStatus = events.ParseListStatus(v.Filter.Status)
	f.Kind, okKind = events.ParseKind(v.Filter.Kind)
	if !okStatus || !okKind {
		return f, badRequest("The list could not be filtered.")
	}
	var err error
	for _, id := range []struct {
		name string
		to   *int64
	}{{"course", &f.CourseID}, {"cohort", &f.CohortID}, {"partner", &f.PartnerID}} {
		if *id.to, err = filterID(r, id.name); err != nil {
			return f, err
		}
	}
	f.From, f.To = filterDates(v.Filter.From, v.Filter.To, &v.Errors)
	return f, nil
}

// eventKindChoices are the kind filter's options.
func eventKindChoices() []components.Option {
	opts := []components.Option{{Value: "", Label: "Any kind"}}
	for _, k := range events.Kinds {
		opts = append(opts, components.Option{Value: string(k), Label: programme.ItemKind(k).Label()})
	}
	return opts
}

// eventStatusChoices are the status filter's options.
func eventStatusChoices() []components.Option {
	var opts []components.Option
	for _, st := range events.ListStatuses {
		opts = append(opts, components.Option{Value: string(st), Label: st.Label()})
	}
	return opts
}

func (s *Server) eventFromURL(r *http.Request) (events.Event, error) {
	id, err := urlID(r, "event")
	if err != nil {
		return events.Event{}, err
	}
	return s.events.EventByID(r.Context(), id, scopeFor(r))
}

// eventFormChoices fills the activity and cohort choices within the user's scope.
func (s *Server) eventFormChoices(r *http.Request, f *partner.EventForm) error {
	items, err := s.events.SessionItems(r.Context(), scopeFor(r))
	if err != nil {
		return err
	}
	f.Items = []components.Option{{Value: "", Label: "Choose the session"}}
	for _, it := range items {
		f.Items = append(f.Items, components.Option{Value: strconv.FormatInt(it.ID, 10),
			Label: fmt.Sprintf("%s, block %d: %s (%s)", it.CourseName, it.BlockPosition, it.ItemTitle, programme.ItemKind(it.Kind).Label())})
	}
	cohorts, err := s.programme.Cohorts(r.Context(), scopeFor(r))
	if err != nil {
		return err
	}
	groups := map[string]*components.CheckboxGroup{}
	var order []string
	today := programme.Today(s.now())
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
	f.CopyOf = partner.EventName(e)
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

// eventFields are the event form's fields in the order their problems are listed.
var eventFields = []string{"item", "cohorts", "title", "description", "facilitator", "date-day", "start_time", "end_time",
	"venue", "joining_link", "limit", "capacity", "closes_hours", "cutoff_hours", "opens-day"}

// checkEventForm reads the event form into f and checks it at now: problems go into f.Errors.
func checkEventForm(r *http.Request, f *partner.EventForm, now time.Time, kindOf func(int64) (events.Kind, bool)) events.NewEvent {
	d, ps := readEventForm(r, f, now, kindOf)
	ps.Merge(d.Check(now))
	addProblems(&f.Errors, ps.Sorted(eventFields...))
	return d.NewEvent
}

// readEventForm reads the event form into f and a draft, with the problems reading it.
func readEventForm(r *http.Request, f *partner.EventForm, now time.Time, kindOf func(int64) (events.Kind, bool)) (events.EventDraft, problem.Problems) {
	get := func(k string) string { return field(r, k) }
	if !f.Editing {
		f.ItemID = get("item")
	}
	f.Title, f.Description, f.Facilitator = get("title"), strings.TrimSpace(r.PostForm.Get("description")), get("facilitator")
	f.Date, f.StartTime, f.EndTime = components.DateFrom(get, "date"), get("start_time"), get("end_time")
	f.Venue, f.JoiningLink, f.Limit, f.Capacity = strings.TrimSpace(r.PostForm.Get("venue")), get("joining_link"), get("limit"), get("capacity")
	f.Opens, f.ClosesHours, f.CutoffHours = components.DateFrom(get, "opens"), get("closes_hours"), get("cutoff_hours")
	var ps problem.Problems
	d := events.EventDraft{Scheduling: !f.Editing, NewEvent: events.NewEvent{Title: f.Title, Description: f.Description,
		Facilitator: f.Facilitator, Venue: f.Venue, JoiningLink: f.JoiningLink}}
	d.ItemID, d.Kind = readSession(&ps, f.ItemID, kindOf)
	f.CohortIDs, d.CohortIDs = chosenIDs(r.PostForm["cohorts"])
	day := readDate(&ps, "date-day", "Date", f.Date)
	sh, sm, okStart := readClock(&ps, "start_time", "Start time", f.StartTime, "9:30am or 14:00")
	eh, em, okEnd := readClock(&ps, "end_time", "End time", f.EndTime, "3:30pm or 15:30")
	if !day.IsZero() && okStart && okEnd {
		d.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), sh, sm, 0, 0, timefmt.London)
		d.EndsAt = time.Date(day.Year(), day.Month(), day.Day(), eh, em, 0, 0, timefmt.London)
	}
	switch f.Limit {
	case "limited":
		c, p := wholeNumber("Number of places", f.Capacity, 1, 10000)
		ps.Add("capacity", p)
		d.Capacity = &c
	case "unlimited":
	default:
		ps.Add("limit", "Choose a set number of places or no limit")
	}
	closes, closesProblem := wholeNumber("Hours before the start that booking closes", f.ClosesHours, 0, 24*60)
	ps.Add("closes_hours", closesProblem)
	cutoff, cutoffProblem := wholeNumber("Hours before the start for cancelling", f.CutoffHours, 0, 24*60)
	ps.Add("cutoff_hours", cutoffProblem)
	d.BookingOpensAt = now
	if !f.Opens.Empty() {
		d.BookingOpensAt = readDay(&ps, "opens-day", "Booking opening date", f.Opens)
	}
	if !d.StartsAt.IsZero() && closesProblem == "" {
		d.BookingClosesAt = d.StartsAt.Add(-time.Duration(closes) * time.Hour)
	}
	if !d.StartsAt.IsZero() {
		d.CancellationCutoff = d.StartsAt.Add(-time.Duration(cutoff) * time.Hour)
	}
	return d, ps
}

// readSession reads the chosen session: its id and kind, or zero values with a problem.
func readSession(ps *problem.Problems, value string, kindOf func(int64) (events.Kind, bool)) (int64, events.Kind) {
	if value == "" {
		ps.Add("item", "Choose the session this event is a date for")
		return 0, ""
	}
	if id, err := strconv.ParseInt(value, 10, 64); err == nil {
		if kind, ok := kindOf(id); ok {
			return id, kind
		}
	}
	ps.Add("item", "Choose one of the sessions listed")
	return 0, ""
}

// itemKinds maps the session items in scope to their kinds, for the form check.
func (s *Server) itemKinds(r *http.Request) (func(int64) (events.Kind, bool), map[int64]string, error) {
	items, err := s.events.SessionItems(r.Context(), scopeFor(r))
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
	sc := scopeFor(r)
	if !sc.All() {
		return sc.PartnerID(), "", nil
	}
	var partnerID int64
	for _, id := range ids {
		c, err := s.programme.CohortByID(r.Context(), id, sc)
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
	n := checkEventForm(r, &f, s.now(), kindOf)
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
	id, err := s.events.Create(r.Context(), n, scopeFor(r), partnerID, currentUser(r.Context()).ID)
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

// eventEditForm is the event in the URL with its edit form filled in from it.
func (s *Server) eventEditForm(r *http.Request) (events.Event, partner.EventForm, error) {
	e, err := s.eventFromURL(r)
	if err != nil {
		return e, partner.EventForm{}, err
	}
	f := eventFormFrom(e)
	f.BasePath = eventsBase(r)
	return e, f, s.eventFormChoices(r, &f)
}

func (s *Server) partnerEventEdit(w http.ResponseWriter, r *http.Request) error {
	_, f, err := s.eventEditForm(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, partner.EventEdit(f))
}

func (s *Server) partnerEventUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	e, f, err := s.eventEditForm(r)
	if err != nil {
		return err
	}
	n := checkEventForm(r, &f, s.now(), func(int64) (events.Kind, bool) { return e.Kind, true })
	if n.Title == "" {
		n.Title = e.ItemTitle
	}
	if f.Errors.Any() {
		return s.invalid(w, r, partner.EventEdit(f))
	}
	err = s.events.Update(r.Context(), e.ID, n, scopeFor(r), currentUser(r.Context()).ID, s.now())
	var below events.CapacityBelowBookedError
	switch {
	case errors.As(err, &below):
		f.Errors.Add("capacity", "Number of places must be at least "+plural.Number(int(below))+": "+plural.Count(int(below), "person is", "people are")+" booked")
		return s.invalid(w, r, partner.EventEdit(f))
	case errors.Is(err, events.ErrCohortsNotAllowed):
		f.Errors.Add("cohorts", "Choose cohorts of this event's partner that run its course")
		return s.invalid(w, r, partner.EventEdit(f))
	case err != nil:
		return err // a refusal, such as a cancelled event, is answered 409
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d", eventsBase(r), e.ID), "Changes saved: everyone booked has been told")
}

func (s *Server) partnerEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	bookings, err := s.events.Bookings(r.Context(), e.ID, scopeFor(r))
	if err != nil {
		return err
	}
	history, err := s.events.EventHistory(r.Context(), e.ID, scopeFor(r), 100)
	if err != nil {
		return err
	}
	v := partner.EventPage{BasePath: eventsBase(r), Event: e, History: history, Started: !s.now().Before(e.StartsAt)}
	if v.Started {
		if v.CatchUp, err = s.events.CatchUpOf(r.Context(), e.ID, scopeFor(r)); err != nil {
			return err
		}
	}
	for _, b := range bookings {
		if b.Status == events.StatusWaiting {
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
	// A refusal, such as an event already cancelled, is answered 409.
	if err := s.events.Cancel(r.Context(), e.ID, f.Reason, scopeFor(r), currentUser(r.Context()).ID); err != nil {
		return err
	}
	return s.seeOther(w, r, fmt.Sprintf("%s/%d", eventsBase(r), e.ID), "Event cancelled: everyone booked has been told")
}

func (s *Server) partnerRegisterCSV(w http.ResponseWriter, r *http.Request) error {
	e, err := s.eventFromURL(r)
	if err != nil {
		return err
	}
	reg, err := s.events.RegisterForExport(r.Context(), e.ID, scopeFor(r))
	if err != nil {
		return err
	}
	cw := newCSV(w, csvFileName("register", e.StartsAt, reg.CourseCode, e.Title))
	cw.Write("Event", "Starts", "Name", "Email", "School", "Cohort", "Place", "Attendance", "Note")
	for _, l := range reg.Lines {
		attendance := ""
		if l.Status == events.StatusBooked {
			attendance = events.AttendanceLabel(l.Attendance)
		}
		cw.Write(e.Title, timefmt.ISODateTime(e.StartsAt), l.Name, l.Email, l.School, l.CohortName, l.Status.Label(), attendance, l.Note)
	}
	return cw.Flush()
}
