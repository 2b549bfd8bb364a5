package server

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/programme"
	"npq/web/pages/participant"
)

func enrolmentView(e programme.Enrolment) participant.EnrolmentView {
	return participant.EnrolmentView{ID: e.ID, CourseName: e.CourseName, CohortName: e.CohortName, PartnerName: e.PartnerName,
		Status: e.Status, StartsOn: e.StartsOn, StudyEndsOn: e.StudyEndsOn}
}

func itemHref(blockID, itemID int64) string {
	return "/learn/" + strconv.FormatInt(blockID, 10) + "/" + strconv.FormatInt(itemID, 10)
}

// journeyView turns a participant's blocks into views, with the current block and where
// "continue" goes.
func journeyView(blocks []programme.Block, lastItemID int64, today time.Time) ([]participant.BlockView, int, *participant.ContinueLink) {
	current := programme.CurrentBlock(blocks, today)
	rb, ri, ok := programme.Resume(blocks, lastItemID, today)
	views := make([]participant.BlockView, len(blocks))
	for i, b := range blocks {
		v := participant.BlockView{ID: b.ID, Position: b.Position, Title: b.Title, OpensOn: b.OpensOn, Open: b.IsOpen(today),
			Current: i == current, Progress: programme.ItemsProgress(b.Items)}
		for j, it := range b.Items {
			v.Items = append(v.Items, participant.ItemView{ID: it.ID, Href: itemHref(b.ID, it.ID), Title: it.Title, Kind: it.Kind,
				Required: it.Required, ExpectedMinutes: it.ExpectedMinutes, Completed: it.Completed, Next: ok && rb == i && ri == j})
		}
		views[i] = v
	}
	var cont *participant.ContinueLink
	if ok {
		it := blocks[rb].Items[ri]
		cont = &participant.ContinueLink{Href: itemHref(blocks[rb].ID, it.ID), BlockTitle: blocks[rb].Title, ItemTitle: it.Title}
	}
	return views, current, cont
}

func lastItem(e programme.Enrolment) int64 {
	if e.LastItemID == nil {
		return 0
	}
	return *e.LastItemID
}

func (s *Server) participantHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	v := participant.HomeView{Name: u.Name}
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
	if v.Due, err = s.assessment.DueFor(ctx, u.ID, programme.Today(time.Now())); err != nil {
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
			views, current, cont := journeyView(blocks, lastItem(e), programme.Today(time.Now()))
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

// primaryEnrolment is the enrolment the Progress and Learn pages show, or a page saying the
// participant has none or may not see content.
func (s *Server) primaryEnrolment(w http.ResponseWriter, r *http.Request) (programme.Enrolment, bool, error) {
	enrolments, err := s.programme.EnrolmentsForUser(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return programme.Enrolment{}, false, err
	}
	if len(enrolments) == 0 {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return programme.Enrolment{}, false, nil
	}
	e := enrolments[0]
	if !e.Status.CanSeeContent() {
		s.render(w, r, http.StatusForbidden, participant.Unavailable(participant.UnavailableView{Enrolment: enrolmentView(e)}))
		return e, false, nil
	}
	return e, true, nil
}

func (s *Server) participantProgress(w http.ResponseWriter, r *http.Request) error {
	e, ok, err := s.primaryEnrolment(w, r)
	if err != nil || !ok {
		return err
	}
	blocks, err := s.programme.Journey(r.Context(), e)
	if err != nil {
		return err
	}
	views, _, cont := journeyView(blocks, lastItem(e), programme.Today(time.Now()))
	return s.ok(w, r, participant.Progress(participant.ProgressView{Enrolment: enrolmentView(e), Overall: programme.CourseProgress(blocks),
		Blocks: views, Continue: cont}))
}

func (s *Server) participantLearn(w http.ResponseWriter, r *http.Request) error {
	e, ok, err := s.primaryEnrolment(w, r)
	if err != nil || !ok {
		return err
	}
	blocks, err := s.programme.Journey(r.Context(), e)
	if err != nil {
		return err
	}
	views, _, cont := journeyView(blocks, lastItem(e), programme.Today(time.Now()))
	v := participant.LearnView{Enrolment: enrolmentView(e), Blocks: views, Continue: cont}
	var items []programme.Item
	for _, b := range blocks {
		items = append(items, b.Items...)
	}
	overview := programme.Overview(items)
	total := 0
	for _, cat := range programme.OverviewCategories {
		if overview[cat] > 0 {
			v.Overview = append(v.Overview, participant.OverviewLine{Category: cat, Minutes: overview[cat]})
			total += overview[cat]
		}
	}
	if total > 0 {
		v.Overview = append(v.Overview, participant.OverviewLine{Category: "Total time", Minutes: total})
	}
	return s.ok(w, r, participant.Learn(v))
}

// participantBlock finds the participant's enrolment and journey for the block in the URL,
// refusing blocks that are not theirs (404), not open yet, or content they may not see.
func (s *Server) participantBlock(w http.ResponseWriter, r *http.Request) (programme.Enrolment, []participant.BlockView, int, bool, error) {
	blockID, err := strconv.ParseInt(chi.URLParam(r, "block"), 10, 64)
	if err != nil {
		return programme.Enrolment{}, nil, 0, false, errNotFound
	}
	e, err := s.programme.EnrolmentForBlock(r.Context(), currentUser(r.Context()).ID, blockID)
	if err != nil {
		return e, nil, 0, false, err
	}
	if !e.Status.CanSeeContent() {
		s.render(w, r, http.StatusForbidden, participant.Unavailable(participant.UnavailableView{Enrolment: enrolmentView(e)}))
		return e, nil, 0, false, nil
	}
	blocks, err := s.programme.Journey(r.Context(), e)
	if err != nil {
		return e, nil, 0, false, err
	}
	views, _, _ := journeyView(blocks, lastItem(e), programme.Today(time.Now()))
	for i, b := range views {
		if b.ID == blockID {
			if !b.Open {
				s.render(w, r, http.StatusForbidden, participant.NotOpen(participant.BlockPageView{Enrolment: enrolmentView(e), Block: b}))
				return e, nil, 0, false, nil
			}
			return e, views, i, true, nil
		}
	}
	return e, nil, 0, false, errNotFound
}

func (s *Server) participantBlockPage(w http.ResponseWriter, r *http.Request) error {
	e, views, i, ok, err := s.participantBlock(w, r)
	if err != nil || !ok {
		return err
	}
	return s.ok(w, r, participant.Block(participant.BlockPageView{Enrolment: enrolmentView(e), Block: views[i]}))
}

// participantItem finds the item in the URL within an open block of the participant's.
func (s *Server) participantItem(w http.ResponseWriter, r *http.Request) (programme.Enrolment, participant.BlockView, int, bool, error) {
	e, views, i, ok, err := s.participantBlock(w, r)
	if err != nil || !ok {
		return e, participant.BlockView{}, 0, ok, err
	}
	itemID, err := strconv.ParseInt(chi.URLParam(r, "item"), 10, 64)
	if err != nil {
		return e, participant.BlockView{}, 0, false, errNotFound
	}
	for j, it := range views[i].Items {
		if it.ID == itemID {
			return e, views[i], j, true, nil
		}
	}
	return e, participant.BlockView{}, 0, false, errNotFound
}

func (s *Server) participantItemPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, block, j, ok, err := s.participantItem(w, r)
	if err != nil || !ok {
		return err
	}
	item := block.Items[j]
	content, err := s.programme.ItemContentFor(ctx, e.ID, item.ID)
	if err != nil {
		return err
	}
	if err := s.programme.Touch(ctx, e.ID, item.ID); err != nil {
		return err
	}
	v := participant.ItemPageView{Enrolment: enrolmentView(e), Block: block, Item: item, BodyHTML: programme.RenderMarkdown(content.Body),
		CompletedAt: content.CompletedAt, Source: content.Source, CompleteURL: item.Href + "/complete"}
	if content.Body == "" {
		v.BodyHTML = ""
	}
	if j > 0 {
		v.Previous = &block.Items[j-1]
	}
	if j+1 < len(block.Items) {
		v.NextItem = &block.Items[j+1]
	}
	for _, st := range content.Statements {
		v.Statements = append(v.Statements, participant.StatementView{
			Href:      "/frameworks/" + st.FrameworkSlug + "#" + frameworks.Anchor(st.Key),
			Framework: st.QualificationCode + " " + st.Edition, Area: strconv.Itoa(st.AreaNumber) + ". " + st.AreaTitle,
			Label: st.Label, Text: st.Text})
	}
	return s.ok(w, r, participant.ItemPage(v))
}

func (s *Server) participantItemComplete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, block, j, ok, err := s.participantItem(w, r)
	if err != nil || !ok {
		return err
	}
	item := block.Items[j]
	if !item.Kind.SelfCompleted() {
		return httpError{Status: http.StatusUnprocessableEntity, Message: "This activity is completed when your attendance is recorded, not by marking it done."}
	}
	if e.Status != programme.StatusActive {
		return httpError{Status: http.StatusForbidden, Message: "Only an active enrolment can mark activities done."}
	}
	if _, err := programme.CompleteItem(ctx, s.pool, e.ID, item.ID, programme.SourceParticipant, currentUser(ctx).ID); err != nil {
		return err
	}
	if err := s.programme.Touch(ctx, e.ID, item.ID); err != nil && !errors.Is(err, database.ErrNotFound) {
		return err
	}
	return s.seeOther(w, r, item.Href, "Marked as done: "+item.Title)
}

// homeEvents fills Home's calendar: upcoming bookings and waiting-list places, and the
// required sessions with dates open to book that the participant has not booked.
func (s *Server) homeEvents(r *http.Request, e programme.Enrolment, v *participant.HomeView) error {
	now := time.Now()
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
		case o.BookingStatus == "booked" || o.BookingStatus == "waiting":
			booked[o.ItemID] = booked[o.ItemID] || o.BookingStatus == "booked"
			where := o.Venue
			if o.Kind.Online() {
				where = "Online"
			}
			v.Events = append(v.Events, participant.HomeEvent{Title: o.Title, StartsAt: o.StartsAt, Where: where,
				Href: "/events/" + strconv.FormatInt(o.ID, 10), Waiting: o.BookingStatus == "waiting"})
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
