package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/programme"
)

// positions lists the titles of a block's activities in order, or of a course's blocks.
func (a *testApp) positions(sql string, id int64) string {
	a.t.Helper()
	var s string
	if err := a.pool.QueryRow(a.t.Context(), sql, id).Scan(&s); err != nil {
		a.t.Fatal(err)
	}
	return s
}

const (
	itemOrder  = `SELECT string_agg(title, '|' ORDER BY position) FROM block_items WHERE block_id = $1`
	blockOrder = `SELECT string_agg(title, '|' ORDER BY position) FROM blocks WHERE course_id = $1`
)

func TestAdminMovesBlocksAndActivities(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	course := fmt.Sprintf("/admin/courses/%d", f.courseID)
	item := func(id int64) string { return fmt.Sprintf("%s/blocks/%d/items/%d", course, f.block1, id) }

	page := admin.get(course)
	first := page.Doc.Find(fmt.Sprintf(`#item-%d`, f.intro))
	if first.Find(`button[value="up"]`).Length() != 0 || first.Find(`button[value="down"]`).Length() != 1 {
		t.Errorf("the first activity's move buttons: %q", first.Find("button").Text())
	}
	if label := first.Find(`button[value="down"]`).Text(); label != "Move down Introduction and diagnostic" {
		t.Errorf("move button names %q", label)
	}

	res := admin.post(item(f.webinar)+"/move", url.Values{"direction": {"up"}, "from": {"3"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("%s#item-%d", course, f.webinar) {
		t.Fatalf("move up: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := a.positions(itemOrder, f.block1); got != "Introduction and diagnostic|Webinar|Self-study: the evidence|Further reading|Optional workshop" {
		t.Errorf("after moving the webinar up: %s", got)
	}
	admin.post(item(f.intro)+"/move", url.Values{"direction": {"down"}, "from": {"1"}})
	if got := a.positions(itemOrder, f.block1); got != "Webinar|Introduction and diagnostic|Self-study: the evidence|Further reading|Optional workshop" {
		t.Errorf("after moving the introduction down: %s", got)
	}
	// The same button pressed twice (a double submission) moves it once.
	admin.post(item(f.intro)+"/move", url.Values{"direction": {"down"}, "from": {"1"}})
	if got := a.positions(itemOrder, f.block1); got != "Webinar|Introduction and diagnostic|Self-study: the evidence|Further reading|Optional workshop" {
		t.Errorf("after a repeated move: %s", got)
	}
	// Already first: refused with a message, nothing changed.
	res = admin.post(item(f.webinar)+"/move", url.Values{"direction": {"up"}, "from": {"1"}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(admin.get(res.Header.Get("Location")).text(`[data-testid="problem"]`), "already first") {
		t.Errorf("moving the first up: %d", res.StatusCode)
	}
	// Blocks.
	admin.post(fmt.Sprintf("%s/blocks/%d/move", course, f.block2), url.Values{"direction": {"up"}, "from": {"2"}})
	if got := a.positions(blockOrder, f.courseID); got != "Leading culture|Leading improvement" {
		t.Errorf("after moving block 2 up: %s", got)
	}
	if got := a.as(f.participant).get("/progress").text("main"); strings.Index(got, "Leading culture") > strings.Index(got, "Leading improvement") {
		t.Errorf("participants see the old order: %q", got)
	}
	res = admin.post(fmt.Sprintf("%s/blocks/%d/move", course, f.block1), url.Values{"direction": {"down"}, "from": {"2"}})
	if !strings.Contains(admin.get(res.Header.Get("Location")).text(`[data-testid="problem"]`), "already last") {
		t.Error("moving the last block down was not refused")
	}

	// Bad input.
	for name, tt := range map[string]struct {
		path string
		form url.Values
		want int
	}{
		"no position":             {item(f.intro) + "/move", url.Values{"direction": {"up"}}, http.StatusBadRequest},
		"position not a number":   {item(f.intro) + "/move", url.Values{"direction": {"up"}, "from": {"x"}}, http.StatusBadRequest},
		"no direction":            {item(f.intro) + "/move", url.Values{"from": {"2"}}, http.StatusBadRequest},
		"sideways":                {item(f.intro) + "/move", url.Values{"direction": {"left"}, "from": {"2"}}, http.StatusBadRequest},
		"item of another block":   {fmt.Sprintf("%s/blocks/%d/items/%d/move", course, f.block2, f.intro), url.Values{"direction": {"up"}, "from": {"2"}}, http.StatusNotFound},
		"block of another course": {fmt.Sprintf("/admin/courses/%d/blocks/%d/move", f.courseID+100, f.block2), url.Values{"direction": {"up"}, "from": {"2"}}, http.StatusNotFound},
		"not a number":            {course + "/blocks/abc/move", url.Values{"direction": {"up"}, "from": {"2"}}, http.StatusNotFound},
	} {
		if res := admin.post(tt.path, tt.form); res.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", name, res.StatusCode, tt.want)
		}
	}
	// Partner staff cannot.
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	if res := staff.post(item(f.intro)+"/move", url.Values{"direction": {"down"}, "from": {"2"}}); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Errorf("partner staff moving an activity: %d", res.StatusCode)
	}
}

func TestAdminRemovesOnlyWhatNothingDependsOn(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	course := fmt.Sprintf("/admin/courses/%d", f.courseID)
	item := func(id int64) string { return fmt.Sprintf("%s/blocks/%d/items/%d", course, f.block1, id) }

	// Further reading: nothing depends on it, so removing it is asked, then done.
	n, ask := a.queriesFor(admin, item(f.reading)+"/remove")
	if ask.StatusCode != http.StatusOK || ask.Doc.Find(`[data-testid="remove"]`).Length() != 1 || !strings.Contains(ask.text(`[data-testid="remove-detail"]`), "cannot be undone") {
		t.Fatalf("remove question: %d %q", ask.StatusCode, ask.text("main"))
	}
	if n > 5 {
		t.Errorf("the remove question took %d queries", n)
	}
	res := admin.post(item(f.reading)+"/remove", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if got := a.positions(itemOrder, f.block1); got != "Introduction and diagnostic|Self-study: the evidence|Webinar|Optional workshop" {
		t.Errorf("after removing: %s", got)
	}
	if got := a.count(`SELECT max(position) FROM block_items WHERE block_id = $1`, f.block1); got != 4 {
		t.Errorf("positions not closed up: last is %d", got)
	}
	if a.count(`SELECT count(*) FROM audit_log WHERE action = 'course.item_removed' AND subject = $1 AND detail->>'title' = 'Further reading'`,
		fmt.Sprintf("course:%d", f.courseID)) != 1 {
		t.Error("the removal is not in the audit trail")
	}
	// Removing it again: not found.
	if res := admin.post(item(f.reading)+"/remove", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("removing twice: %d", res.StatusCode)
	}

	// The introduction has a completion; the webinar has an event with a booking.
	if res := a.as(f.participant).post(fmt.Sprintf("/learn/%d/%d/complete", f.block1, f.intro), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", res.StatusCode)
	}
	ev := a.scheduleEvent(f, f.webinar, 7, nil)
	a.as(f.participant).post(fmt.Sprintf("/events/%d/book", ev), nil)
	for id, want := range map[int64]string{
		f.intro:   "You cannot remove this activity because a participant has a completion recorded for it.",
		f.webinar: "You cannot remove this activity because an event was scheduled for it and a participant booked a place on one.",
	} {
		ask := admin.get(item(id) + "/remove")
		if got := ask.text(`[data-testid="refusal"]`); !strings.Contains(got, want) || ask.Doc.Find(`[data-testid="remove"]`).Length() != 0 ||
			ask.Doc.Find(`[data-testid="archive"]`).Length() != 1 {
			t.Errorf("refusal %q, want %q with archive offered", got, want)
		}
		res := admin.post(item(id)+"/remove", nil)
		if res.StatusCode != http.StatusSeeOther || !strings.Contains(admin.get(res.Header.Get("Location")).text(`[data-testid="problem"]`), want) {
			t.Errorf("removing anyway: %d", res.StatusCode)
		}
	}
	if got := a.count(`SELECT count(*) FROM block_items WHERE id IN ($1, $2)`, f.intro, f.webinar); got != 2 {
		t.Error("an activity something depends on was removed")
	}
	// Blocks with cohort dates are refused; a new empty block is not.
	if got := admin.get(fmt.Sprintf("%s/blocks/%d/remove", course, f.block2)).text(`[data-testid="refusal"]`); !strings.Contains(got, "You cannot remove block 2 because 2 cohorts have dates for it.") {
		t.Errorf("block refusal: %q", got)
	}
	spare, err := programme.Store{DB: a.pool}.AddBlock(t.Context(), f.courseID, "Spare", "")
	if err != nil {
		t.Fatal(err)
	}
	if res := admin.post(fmt.Sprintf("%s/blocks/%d/remove", course, spare), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("remove an empty block: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM blocks WHERE id = $1`, spare) != 0 {
		t.Error("the empty block is still there")
	}
}

func TestAdminArchivesAndRestores(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	course := fmt.Sprintf("/admin/courses/%d", f.courseID)
	pam := a.as(f.participant)
	block := fmt.Sprintf("/learn/%d", f.block1)
	if !strings.Contains(pam.get(block).text("main"), "Optional workshop") {
		t.Fatal("the workshop is not on the block page to begin with")
	}
	workshop := fmt.Sprintf("%s/blocks/%d/items/%d", course, f.block1, f.workshop)
	res := admin.post(workshop+"/archive", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	if strings.Contains(pam.get(block).text("main"), "Optional workshop") {
		t.Error("participants still see an archived activity")
	}
	if a.count(`SELECT count(*) FROM audit_log WHERE action = 'course.item_archived' AND subject = $1`, fmt.Sprintf("course:%d", f.courseID)) != 1 {
		t.Error("archiving is not in the audit trail")
	}
	page := admin.get(course)
	if page.Doc.Find(fmt.Sprintf(`#item-%d [data-testid="archived"]`, f.workshop)).Length() != 1 {
		t.Error("the course page does not mark the activity archived")
	}
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	if strings.Contains(staff.get("/partner/events/new").text("main"), "Optional workshop") {
		t.Error("events can be scheduled for an archived activity")
	}
	// Twice is harmless; restoring brings it back.
	admin.post(workshop+"/archive", nil)
	admin.post(workshop+"/restore", nil)
	if !strings.Contains(pam.get(block).text("main"), "Optional workshop") {
		t.Error("a restored activity is still hidden")
	}

	// An archived block is left out of new cohorts and hidden from participants.
	admin.post(fmt.Sprintf("%s/blocks/%d/archive", course, f.block2), nil)
	propose := admin.post("/admin/cohorts", url.Values{"course": {fmt.Sprint(f.courseID)}, "partner": {fmt.Sprint(f.partnerID)},
		"name": {"NPQH Spring"}, "schedule": {"npq-leadership-spring"}, "starts_on-day": {"1"}, "starts_on-month": {"2"}, "starts_on-year": {"2027"}})
	if got := propose.text(`[data-testid="proposed-dates"]`); strings.Contains(got, "Leading culture") || !strings.Contains(got, "Leading improvement") {
		t.Errorf("proposal with an archived block: %q", got)
	}
	if strings.Contains(pam.get("/progress").text("main"), "Leading culture") {
		t.Error("participants still see an archived block")
	}
	if res := admin.post(fmt.Sprintf("%s/blocks/%d/archive", course, f.block2+1000), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("archive an unknown block: %d", res.StatusCode)
	}
}

func TestArchivedActivityEventsAreNotOffered(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	ev := a.scheduleEvent(f, f.workshop, 7, nil)
	beaUser := a.user("bea@school.test", auth.RoleParticipant, nil)
	other, err := a.srv.programme.Enrol(t.Context(), enrolIn("bea@school.test", f.cohortID), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.srv.events.Book(t.Context(), other, ev, 0, a.now()); err != nil {
		t.Fatal(err)
	}
	admin.post(fmt.Sprintf("/admin/courses/%d/blocks/%d/items/%d/archive", f.courseID, f.block1, f.workshop), nil)
	pam := a.as(f.participant)
	if strings.Contains(pam.get("/events").text("main"), "Webinar 7") {
		t.Error("an archived activity's event is still offered")
	}
	if res := pam.post(fmt.Sprintf("/events/%d/book", ev), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("booking an archived activity's event: %d", res.StatusCode)
	}
	// Someone already booked still sees their place.
	bea := a.as(beaUser)
	if !strings.Contains(bea.get(fmt.Sprintf("/events/%d", ev)).text("main"), "Webinar 7") {
		t.Error("a booked participant lost sight of their place")
	}
}
