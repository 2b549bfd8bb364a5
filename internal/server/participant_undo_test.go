package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A participant who marked an activity done by mistake can take it back.
func TestParticipantUndoesMarkAsDone(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	c := a.as(f.participant)
	item := fmt.Sprintf("/learn/%d/%d", f.block1, f.study)
	if c.get(item).Doc.Find(`[data-testid=undo]`).Length() != 0 {
		t.Fatal("undo offered before marking done")
	}
	c.post(item+"/complete", nil)
	page := c.get(item)
	action := page.Doc.Find(`form:has([data-testid=undo])`).AttrOr("action", "")
	if action != item+"/undo" {
		t.Fatalf("undo form action %q", action)
	}
	// Twice, as a double click: one entry.
	for range 2 {
		res := c.post(action, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != item {
			t.Fatalf("undo: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	}
	if n := a.count(`SELECT count(*) FROM item_completions WHERE enrolment_id = $1`, f.enrolment); n != 2 {
		t.Errorf("%d completion entries, want the mark and its undoing", n)
	}
	page = c.get(item)
	if page.text(`[data-testid=completed]`) != "" || !strings.Contains(page.text("main"), "Mark as done") {
		t.Errorf("after undo: %q", page.text("main"))
	}
	if got := c.get("/progress").text("main"); !strings.Contains(got, "0 of 4 required activities done") {
		t.Errorf("progress after undo: %q", got)
	}
	// Not for a session completed by the register, nor someone else's item.
	if res := c.post(fmt.Sprintf("/learn/%d/%d/undo", f.block1, f.webinar), nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("undo a webinar: %d", res.StatusCode)
	}
	stranger := a.as(a.user("stranger@school.test", "participant", nil))
	if res := stranger.post(item+"/undo", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("a stranger's undo: %d", res.StatusCode)
	}
}
