package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/programme"
	"npq/web/pages/participant"
)

func itemHref(blockID, itemID int64) string {
	return "/learn/" + strconv.FormatInt(blockID, 10) + "/" + strconv.FormatInt(itemID, 10)
}

// journeyView turns a participant's blocks into views, with the current block and where
// "continue" goes: the first required activity that can be done now, passing over sessions
// with no date open to book.
func journeyView(blocks []programme.Block, lastItemID int64, today time.Time, sessions map[int64]events.SessionState, catchUps map[int64]events.Offer) ([]participant.BlockView, int, *participant.ContinueLink) {
	current := programme.CurrentBlock(blocks, today)
	rb, ri, ok := programme.ResumeDoable(blocks, lastItemID, today, func(it programme.Item) bool {
		return it.Kind.SelfCompleted() || sessions[it.ID].Doable()
	})
	views := make([]participant.BlockView, len(blocks))
	for i, b := range blocks {
		v := participant.BlockView{ID: b.ID, Position: b.Position, Title: b.Title, OpensOn: b.OpensOn, Open: b.IsOpen(today),
			Current: i == current, Progress: programme.ItemsProgress(b.Items)}
		for j, it := range b.Items {
			v.Items = append(v.Items, participant.ItemView{ID: it.ID, Href: itemHref(b.ID, it.ID), Title: it.Title, Kind: it.Kind,
				Required: it.Required, ExpectedMinutes: it.ExpectedMinutes, Completed: it.Completed, Next: ok && rb == i && ri == j,
				Session: sessions[it.ID], CatchUp: catchUpView(sessions[it.ID], catchUps[it.ID])})
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

// catchUpView is the catch-up a session offers, when the participant needs one.
func catchUpView(st events.SessionState, o events.Offer) *participant.CatchUpView {
	if st != events.SessionCatchUp {
		return nil
	}
	return &participant.CatchUpView{EventID: o.ID, Date: o.StartsAt, RecordingURL: o.CatchUp.RecordingURL, Task: o.CatchUp.Task}
}

func lastItem(e programme.Enrolment) int64 {
	if e.LastItemID == nil {
		return 0
	}
	return *e.LastItemID
}

// journey is an enrolment's blocks as the participant's pages show them on a day.
type journey struct {
	blocks  []programme.Block
	views   []participant.BlockView
	current int // index of the current block, or -1
	cont    *participant.ContinueLink
	offers  []events.Offer // every date of the enrolment's sessions
}

// journeyOf reads an enrolment's blocks, with what is done, and the dates of its sessions,
// and makes their views for today.
func (s *Server) journeyOf(r *http.Request, e programme.Enrolment) (journey, error) {
	blocks, offers, err := s.events.JourneyWithOffers(r.Context(), e, time.Time{})
	if err != nil {
		return journey{}, err
	}
	views, current, cont := journeyView(blocks, lastItem(e), programme.Today(s.now()), events.Sessions(offers, s.now()), events.CatchUps(offers, s.now()))
	return journey{blocks: blocks, views: views, current: current, cont: cont, offers: offers}, nil
}

func (s *Server) participantLearn(w http.ResponseWriter, r *http.Request) error {
	c, ok, err := s.primaryEnrolment(w, r)
	if err != nil || !ok {
		return err
	}
	j, err := s.journeyOf(r, c.chosen)
	if err != nil {
		return err
	}
	st := s.standing(c, c.chosen)
	v := participant.LearnView{Enrolment: enrolmentView(c.chosen), Switcher: c.switcher("/learn"), Standing: st, Blocks: j.views, Continue: j.cont}
	var items []programme.Item
	for _, b := range j.blocks {
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
		return e, nil, 0, false, s.unavailable(w, r, courseChoice{chosen: e})
	}
	j, err := s.journeyOf(r, e)
	if err != nil {
		return e, nil, 0, false, err
	}
	views := j.views
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
	e, block, j, ok, err := s.participantItem(w, r)
	if err != nil || !ok {
		return err
	}
	v, err := s.itemPageView(r, e, block, j)
	if err != nil {
		return err
	}
	return s.ok(w, r, participant.ItemPage(v))
}

// itemPageView is an item's page: its content, whether it is done, and where to go next.
// Reading it notes the item as where the participant left off.
func (s *Server) itemPageView(r *http.Request, e programme.Enrolment, block participant.BlockView, j int) (participant.ItemPageView, error) {
	item := block.Items[j]
	content, err := s.programme.OpenItem(r.Context(), e.ID, item.ID)
	if err != nil {
		return participant.ItemPageView{}, err
	}
	v := participant.ItemPageView{Enrolment: enrolmentView(e), Block: block, Item: item, BodyHTML: programme.RenderMarkdown(content.Body),
		CompletedAt: content.CompletedAt, Source: content.Source, CompleteURL: item.Href + "/complete"}
	if content.CompletedAt != nil && content.Source == programme.SourceParticipant && e.Status == programme.StatusActive {
		v.UndoURL = item.Href + "/undo"
	}
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
	return v, nil
}

func (s *Server) participantItemComplete(w http.ResponseWriter, r *http.Request) error {
	return s.participantItemMark(w, r, true)
}

// participantItemUndo takes back "Mark as done": the item is recorded as not done again,
// and the earlier entries stay in its history.
func (s *Server) participantItemUndo(w http.ResponseWriter, r *http.Request) error {
	return s.participantItemMark(w, r, false)
}

// participantItemMark records the participant marking a self-study item done, or not done.
func (s *Server) participantItemMark(w http.ResponseWriter, r *http.Request, done bool) error {
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
	record, flash := programme.CompleteItem, "Marked as done: "
	if !done {
		record, flash = programme.UncompleteItem, "Marked as not done: "
	}
	if _, err := record(ctx, s.pool, e.ID, item.ID, programme.SourceParticipant, currentUser(ctx).ID); err != nil {
		return err
	}
	if err := s.programme.Touch(ctx, e.ID, item.ID); err != nil && !errors.Is(err, database.ErrNotFound) {
		return err
	}
	return s.seeOther(w, r, item.Href, flash+item.Title)
}
