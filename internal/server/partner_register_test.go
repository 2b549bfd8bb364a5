package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/events"
	"npq/internal/programme"
)

// registerFixture is an event in the fixture's first cohort that started a minute ago, with
// the people named booked on it (each named "Name <n>" when names is nil); it returns the
// event and its bookings in register order (by name).
func (a *testApp) registerFixture(f *programmeFixture, n int, names ...string) (int64, []int64) {
	a.t.Helper()
	ev := a.scheduleEvent(f, f.webinar, 7, nil)
	store := programme.Store{DB: a.pool}
	for i := range n {
		name := fmt.Sprintf("Person %02d", i+1)
		if i < len(names) {
			name = names[i]
		}
		id, err := store.Enrol(a.t.Context(), programme.NewEnrolment{Email: fmt.Sprintf("person%02d@school%d.test", i+1, i+1), Name: name,
			CohortID: f.cohortID, FundingRoute: programme.FundingScholarship}, 0, "")
		if err != nil {
			a.t.Fatal(err)
		}
		if _, err := a.srv.events.Book(a.t.Context(), id, ev, 0, a.now()); err != nil {
			a.t.Fatal(err)
		}
	}
	if _, err := a.pool.Exec(a.t.Context(), `UPDATE events SET starts_at = $2, ends_at = $2::timestamptz + interval '1 hour', booking_closes_at = $2,
		cancellation_cutoff = $2::timestamptz - interval '1 hour', booking_opens_at = $2::timestamptz - interval '2 days' WHERE id = $1`, ev, a.now().Add(-time.Minute)); err != nil {
		a.t.Fatal(err)
	}
	rows, err := a.pool.Query(a.t.Context(), `SELECT b.id FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN users u ON u.id = n.user_id
		WHERE b.event_id = $1 ORDER BY u.name, b.id`, ev)
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id) //nolint:errcheck
		ids = append(ids, id)
	}
	return ev, ids
}

// registerForm is the register as the page submits it: every booking, each with a mark.
func registerForm(ids []int64, marks map[int64]string) url.Values {
	form := url.Values{}
	for _, id := range ids {
		s := strconv.FormatInt(id, 10)
		form.Add("booking", s)
		form.Set("mark-"+s, marks[id])
		form.Set("note-"+s, "")
	}
	return form
}

func TestRegisterIsACompactTableTellingNamesakesApart(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev, ids := a.registerFixture(f, 3, "Amara Iqbal", "Amara Iqbal", "Ben Cole")
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	n, res := a.queriesFor(staff, fmt.Sprintf("/partner/events/%d/register", ev))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("register: %d", res.StatusCode)
	}
	if n > 5 {
		t.Errorf("the register took %d queries, want at most 5", n)
	}
	rows := res.Doc.Find(`[data-testid="register-row"]`)
	if rows.Length() != 3 {
		t.Fatalf("%d rows, want 3", rows.Length())
	}
	// The two Amara Iqbals are told apart by their second line, and the select says whose it is.
	first, second := rows.Eq(0), rows.Eq(1)
	if first.Find(`[data-testid="register-who"]`).Text() == second.Find(`[data-testid="register-who"]`).Text() {
		t.Error("two people with the same name look the same")
	}
	sel := fmt.Sprintf("#mark-%d", ids[0])
	if label := res.text(fmt.Sprintf(`label[for="mark-%d"]`, ids[0])); !strings.Contains(label, "Amara Iqbal") || !strings.Contains(label, "@school") {
		t.Errorf("select label: %q", label)
	}
	if res.Doc.Find(sel+` option`).Length() != 5 {
		t.Errorf("the select offers %d choices, want not marked and four marks", res.Doc.Find(sel+` option`).Length())
	}
	// Names open the participant's record; notes wait behind "Add note".
	var user int64
	a.pool.QueryRow(t.Context(), `SELECT n.user_id FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id WHERE b.id = $1`, ids[0]).Scan(&user) //nolint:errcheck
	if href, _ := first.Find("a").Attr("href"); href != fmt.Sprintf("/partner/participants/%d", user) {
		t.Errorf("name links to %q", href)
	}
	if first.Find("details[open]").Length() != 0 || !strings.Contains(first.Find("summary").Text(), "Add note") {
		t.Errorf("note: %q", first.Find("details").Text())
	}
	if res.Doc.Find(`[data-testid="register-actions"] [data-testid="register-save"]`).Length() != 1 ||
		res.Doc.Find(`[data-testid="register-mark-rest"]`).Length() != 1 {
		t.Error("the bar has no save or mark-the-rest button")
	}
	if got := res.text(`[data-testid="register-counts"]`); got != "3 booked, 3 not yet marked." {
		t.Errorf("counts: %q", got)
	}
	// Admins reach the admin participant record.
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	adminPage := admin.get(fmt.Sprintf("/admin/events/%d/register", ev))
	if href, _ := adminPage.Doc.Find(`[data-testid="register-row"] a`).First().Attr("href"); href != fmt.Sprintf("/admin/participants/%d", user) {
		t.Errorf("admin name links to %q", href)
	}
	// Another partner's staff cannot see it.
	other := a.as(a.user("hal@hillside.test", auth.RolePartnerStaff, &f.partner2))
	if res := other.get(fmt.Sprintf("/partner/events/%d/register", ev)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another partner's register: %d", res.StatusCode)
	}
	if res := other.post(fmt.Sprintf("/partner/events/%d/register", ev), registerForm(ids, nil)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another partner saving the register: %d", res.StatusCode)
	}
}

func TestRegisterMarkTheRestThenExceptions(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev, ids := a.registerFixture(f, 5)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	path := fmt.Sprintf("/partner/events/%d/register", ev)
	// An exception chosen before marking the rest is kept.
	form := registerForm(ids, map[int64]string{ids[1]: "excused"})
	form.Set("action", "mark-rest")
	res := staff.post(path, form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark the rest: %d %v", res.StatusCode, res.errorSummary())
	}
	marks := func() string {
		t.Helper()
		var got []string
		for _, id := range ids {
			var m string
			a.pool.QueryRow(t.Context(), `SELECT coalesce(attendance, '') FROM bookings WHERE id = $1`, id).Scan(&m) //nolint:errcheck
			got = append(got, m)
		}
		return strings.Join(got, ",")
	}
	if got := marks(); got != "attended,excused,attended,attended,attended" {
		t.Fatalf("after marking the rest: %s", got)
	}
	page := staff.get(path)
	if !strings.Contains(page.text(`[data-testid="flash"]`), "Everyone not yet marked is marked as attended (5 changes)") {
		t.Errorf("flash: %q", page.text(`[data-testid="flash"]`))
	}
	if page.Doc.Find(`[data-testid="register-mark-rest"]`).Length() != 0 {
		t.Error("mark the rest is offered when everyone is marked")
	}
	// Then the exceptions, with a note.
	form = registerForm(ids, map[int64]string{ids[0]: "attended", ids[1]: "excused", ids[2]: "absent", ids[3]: "partial", ids[4]: "attended"})
	form.Set(fmt.Sprintf("note-%d", ids[3]), "Left at the break")
	if res := staff.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("exceptions: %d %v", res.StatusCode, res.errorSummary())
	}
	if got := marks(); got != "attended,excused,absent,partial,attended" {
		t.Fatalf("after the exceptions: %s", got)
	}
	// The same form again (a double submission) changes nothing and adds no history.
	history := a.count(`SELECT count(*) FROM booking_history h JOIN bookings b ON b.id = h.booking_id WHERE b.event_id = $1`, ev)
	if res := staff.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("again: %d", res.StatusCode)
	}
	if !strings.Contains(staff.get(path).text(`[data-testid="flash"]`), "Register saved (no changes)") {
		t.Error("a second save reports changes")
	}
	if after := a.count(`SELECT count(*) FROM booking_history h JOIN bookings b ON b.id = h.booking_id WHERE b.event_id = $1`, ev); after != history {
		t.Errorf("a repeated save added %d history entries", after-history)
	}
	// The note shows open, under "Note".
	page = staff.get(path)
	row := page.Doc.Find(`[data-testid="register-row"]`).Eq(3)
	if row.Find("details[open]").Length() != 1 || row.Find(fmt.Sprintf("#note-%d", ids[3])).AttrOr("value", "") != "Left at the break" {
		t.Errorf("note row: %q", row.Text())
	}
}

func TestRegisterBadInputKeepsValuesAndChangesNothing(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev, ids := a.registerFixture(f, 3, "Amara Iqbal", "Ben Cole", "Cara Diaz")
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	path := fmt.Sprintf("/partner/events/%d/register", ev)
	before := a.count(`SELECT count(*) FROM bookings WHERE event_id = $1 AND attendance IS NOT NULL`, ev)

	form := registerForm(ids, map[int64]string{ids[0]: "absent", ids[1]: "present-ish", ids[2]: "attended"})
	form.Set(fmt.Sprintf("note-%d", ids[2]), strings.Repeat("x", events.MaxNoteLength+1))
	res := staff.post(path, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad register: %d", res.StatusCode)
	}
	if !strings.HasPrefix(res.text("title"), "Error: ") {
		t.Errorf("title %q", res.text("title"))
	}
	want := []string{"Choose attended, partly attended, absent or excused for Ben Cole", "The note for Cara Diaz must be 500 characters or fewer"}
	if got := res.errorSummary(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("error summary %q, want %q", got, want)
	}
	if href, _ := res.Doc.Find(`.govuk-error-summary a`).First().Attr("href"); href != fmt.Sprintf("#mark-%d", ids[1]) {
		t.Errorf("summary links to %q", href)
	}
	// Values are kept: Amara's absent and the long note (in an open disclosure).
	if v, _ := res.Doc.Find(fmt.Sprintf("#mark-%d option[selected]", ids[0])).Attr("value"); v != "absent" {
		t.Errorf("kept mark %q", v)
	}
	if res.Doc.Find(fmt.Sprintf(`details[open] #note-%d`, ids[2])).Length() != 1 {
		t.Error("the note with a problem is hidden")
	}
	if after := a.count(`SELECT count(*) FROM bookings WHERE event_id = $1 AND attendance IS NOT NULL`, ev); after != before {
		t.Error("a register with problems was saved")
	}

	for name, form := range map[string]url.Values{
		"booking not a number": {"booking": {"abc"}},
		"negative booking":     {"booking": {"-4"}},
	} {
		if res := staff.post(path, form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	// A booking that is not on this register is refused with the register shown again.
	res = staff.post(path, url.Values{"booking": {"999999"}, "mark-999999": {"attended"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "no longer booked") {
		t.Errorf("someone not booked: %d %v", res.StatusCode, res.errorSummary())
	}
	// Before the day the register is not open.
	later := a.scheduleEvent(f, f.webinar, 3, nil)
	res = staff.post(fmt.Sprintf("/partner/events/%d/register", later), url.Values{})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("register before the day: %d", res.StatusCode)
	}
}
