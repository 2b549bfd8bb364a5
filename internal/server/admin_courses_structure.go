package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"npq/internal/programme"
	"npq/web/pages/admin"
)

// courseStructureRoutes registers moving, archiving and removing a course's blocks and
// activities.
func (s *Server) courseStructureRoutes(r chi.Router) {
	block := "/admin/courses/{course}/blocks/{block}"
	s.handle(r, "POST", block+"/move", admins, s.adminBlockMove)
	s.handle(r, "GET", block+"/remove", admins, s.adminStructureRemoveForm)
	s.handle(r, "POST", block+"/remove", admins, s.adminStructureRemove)
	s.handle(r, "POST", block+"/archive", admins, s.adminStructureArchive(true))
	s.handle(r, "POST", block+"/restore", admins, s.adminStructureArchive(false))
	item := block + "/items/{item}"
	s.handle(r, "POST", item+"/move", admins, s.adminItemMove)
	s.handle(r, "GET", item+"/remove", admins, s.adminStructureRemoveForm)
	s.handle(r, "POST", item+"/remove", admins, s.adminStructureRemove)
	s.handle(r, "POST", item+"/archive", admins, s.adminStructureArchive(true))
	s.handle(r, "POST", item+"/restore", admins, s.adminStructureArchive(false))
}

// structurePart is the block, or the activity of a block, in the URL.
type structurePart struct {
	course, block, item int64 // item is 0 for a block
}

func (p structurePart) coursePath() string {
	return "/admin/courses/" + strconv.FormatInt(p.course, 10)
}

func (p structurePart) path() string {
	b := p.coursePath() + "/blocks/" + strconv.FormatInt(p.block, 10)
	if p.item == 0 {
		return b
	}
	return b + "/items/" + strconv.FormatInt(p.item, 10)
}

// anchor is where the course page shows the part.
func (p structurePart) anchor() string {
	if p.item == 0 {
		return p.coursePath() + "#block-" + strconv.FormatInt(p.block, 10)
	}
	return p.coursePath() + "#item-" + strconv.FormatInt(p.item, 10)
}

func structurePartFromURL(r *http.Request) (structurePart, error) {
	var p structurePart
	var err error
	if p.course, err = urlID(r, "course"); err != nil {
		return p, err
	}
	if p.block, err = urlID(r, "block"); err != nil {
		return p, err
	}
	if chi.URLParam(r, "item") != "" {
		p.item, err = urlID(r, "item")
	}
	return p, err
}

// readMove reads the move buttons: the position moved from, and the direction, up (earlier)
// or down.
func readMove(r *http.Request) (int, bool, error) {
	if err := parseForm(r); err != nil {
		return 0, false, err
	}
	from, err := strconv.Atoi(r.PostForm.Get("from"))
	if err != nil || from < 1 {
		return 0, false, badRequest("The position to move from could not be read.")
	}
	switch r.PostForm.Get("direction") {
	case "up":
		return from, true, nil
	case "down":
		return from, false, nil
	}
	return 0, false, badRequest("Choose to move it up or down.")
}

func (s *Server) adminBlockMove(w http.ResponseWriter, r *http.Request) error {
	p, err := structurePartFromURL(r)
	if err != nil {
		return err
	}
	from, up, err := readMove(r)
	if err != nil {
		return err
	}
	err = s.programme.MoveBlock(r.Context(), p.course, p.block, from, up)
	return s.seeOtherAfter(w, r, err, p.anchor(), "Block moved "+upOrDown(up))
}

func (s *Server) adminItemMove(w http.ResponseWriter, r *http.Request) error {
	p, err := structurePartFromURL(r)
	if err != nil {
		return err
	}
	from, up, err := readMove(r)
	if err != nil {
		return err
	}
	err = s.programme.MoveItem(r.Context(), p.course, p.block, p.item, from, up)
	return s.seeOtherAfter(w, r, err, p.anchor(), "Activity moved "+upOrDown(up))
}

func upOrDown(up bool) string {
	if up {
		return "up"
	}
	return "down"
}

// removePage is the question before removing a block or an activity, or the reason it
// cannot be removed, with archiving offered instead.
func (s *Server) removePage(r *http.Request, p structurePart) (admin.RemovePage, error) {
	part, err := s.programme.PartOf(r.Context(), p.course, p.block, p.item)
	if err != nil {
		return admin.RemovePage{}, err
	}
	block := "block " + strconv.Itoa(part.BlockPosition)
	v := admin.RemovePage{CourseName: part.CourseName, CoursePath: p.coursePath(), Path: p.path(), Archived: part.Archived}
	var u programme.Usage
	if p.item == 0 {
		v.Kind, v.Name, v.Detail = "block", block+": "+part.BlockTitle, removeBlockDetail(part.BlockItems)
		u, err = s.programme.BlockUsage(r.Context(), p.course, p.block)
		v.Refusal = u.RemovalRefusal(block)
	} else {
		v.Kind, v.Name = "activity", part.ItemTitle
		v.Detail = "It is removed from " + block + ", with the framework statements it covers; the activities after it move up one place."
		u, err = s.programme.ItemUsage(r.Context(), p.course, p.block, p.item)
		v.Refusal = u.RemovalRefusal("this activity")
	}
	return v, err
}

func removeBlockDetail(items int) string {
	what := "It has no activities"
	switch {
	case items == 1:
		what = "Its 1 activity is removed with it"
	case items > 1:
		what = "Its " + strconv.Itoa(items) + " activities are removed with it"
	}
	return what + "; the blocks after it move up one place."
}

func (s *Server) adminStructureRemoveForm(w http.ResponseWriter, r *http.Request) error {
	p, err := structurePartFromURL(r)
	if err != nil {
		return err
	}
	v, err := s.removePage(r, p)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.RemoveStructure(v))
}

// adminStructureRemove removes the block or activity; the store refuses, with the reason,
// when anything depends on it.
func (s *Server) adminStructureRemove(w http.ResponseWriter, r *http.Request) error {
	p, err := structurePartFromURL(r)
	if err != nil {
		return err
	}
	if p.item == 0 {
		err = s.programme.RemoveBlock(r.Context(), p.course, p.block, currentUser(r.Context()).ID)
	} else {
		err = s.programme.RemoveItem(r.Context(), p.course, p.block, p.item, currentUser(r.Context()).ID)
	}
	if err != nil {
		return backTo(p.path()+"/remove", err)
	}
	what := "Block removed"
	if p.item != 0 {
		what = "Activity removed"
	}
	return s.seeOther(w, r, p.coursePath(), what)
}

// adminStructureArchive archives a block or activity (hidden from participants and from new
// cohorts, kept for history), or restores it.
func (s *Server) adminStructureArchive(archive bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := structurePartFromURL(r)
		if err != nil {
			return err
		}
		if p.item == 0 {
			err = s.programme.ArchiveBlock(r.Context(), p.course, p.block, archive, currentUser(r.Context()).ID)
		} else {
			err = s.programme.ArchiveItem(r.Context(), p.course, p.block, p.item, archive, currentUser(r.Context()).ID)
		}
		if err != nil {
			return err
		}
		what := "Block"
		if p.item != 0 {
			what = "Activity"
		}
		if archive {
			return s.seeOther(w, r, p.anchor(), what+" archived: participants and new cohorts no longer see it")
		}
		return s.seeOther(w, r, p.anchor(), what+" restored: participants see it again")
	}
}
