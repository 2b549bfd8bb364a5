package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/todo"
)

// todoFixture has something of every kind to do at both partners of the programme fixture.
type todoFixture struct {
	*programmeFixture
	staff  *testClient // Riverside's partner staff
	admin  *testClient
	marker auth.User
}

func (a *testApp) todoFixture() *todoFixture {
	a.t.Helper()
	ctx := context.Background()
	f := &todoFixture{programmeFixture: a.programmeFixture()}
	exec := func(sql string, args ...any) {
		a.t.Helper()
		if _, err := a.pool.Exec(ctx, sql, args...); err != nil {
			a.t.Fatalf("%s: %v", sql, err)
		}
	}
	enrol := func(email string, cohort int64) int64 {
		a.t.Helper()
		id, err := a.srv.programme.Enrol(ctx, enrolIn(email, cohort), 0, "")
		if err != nil {
			a.t.Fatal(err)
		}
		return id
	}
	ann, ben, cat := enrol("ann@school.test", f.cohortID), enrol("ben@school.test", f.cohortID), enrol("cat@school.test", f.cohortID)
	// Ann was active yesterday; everyone else in the two cohorts (started a month ago) never was.
	exec(`UPDATE enrolments SET last_activity_at = $2 WHERE id = $1`, ann, a.now().Add(-24*time.Hour))
	// A cohort that starts next month: its participant is not inactive.
	var future int64
	if err := a.pool.QueryRow(ctx, `INSERT INTO cohorts (course_id, delivery_partner_id, name, schedule_identifier, starts_on, study_ends_on, assessment_opens_on, assessment_closes_on)
		SELECT course_id, delivery_partner_id, 'NPQH Riverside next', schedule_identifier, $2::date + 30, study_ends_on + 30, assessment_opens_on + 30, assessment_closes_on + 30
		FROM cohorts WHERE id = $1 RETURNING id`, f.cohortID, a.today()).Scan(&future); err != nil {
		a.t.Fatal(err)
	}
	enrol("dee@school.test", future)

	// Registers: a past webinar at each partner with an unmarked place; one at Riverside fully
	// marked and one cancelled, which need nothing.
	past := func(cohort, enrolment int64, days int) int64 {
		ev := a.scheduleEvent(f.programmeFixture, f.webinar, 7, new(10), cohort)
		if _, err := a.srv.events.Book(ctx, enrolment, ev, 0, a.now()); err != nil {
			a.t.Fatal(err)
		}
		at := a.now().AddDate(0, 0, -days)
		exec(`UPDATE events SET starts_at = $2, ends_at = $2::timestamptz + interval '1 hour', booking_closes_at = $2,
			cancellation_cutoff = $2::timestamptz - interval '1 hour', booking_opens_at = $2::timestamptz - interval '2 days' WHERE id = $1`, ev, at)
		return ev
	}
	past(f.cohortID, f.enrolment, 3)
	past(f.cohort2, f.enrolment2, 5)
	marked := past(f.cohortID, ann, 4)
	exec(`UPDATE bookings SET attendance = 'attended' WHERE event_id = $1`, marked)
	cancelled := past(f.cohortID, ben, 6)
	exec(`UPDATE events SET cancelled_at = now() WHERE id = $1`, cancelled)
	exec(`UPDATE bookings SET status = 'cancelled' WHERE event_id = $1`, cancelled)

	// Unbooked: a webinar at Riverside closing in three days that Pam (booked on the past one)
	// and Ann (booked too) need not book, but Ben and Cat must.
	a.scheduleEvent(f.programmeFixture, f.webinar, 4, new(20), f.cohortID)
	// At Hillside a webinar with plenty of room and time: no pressure.
	a.scheduleEvent(f.programmeFixture, f.webinar, 40, new(20), f.cohort2)

	admin := a.user("admin@provider.test", auth.RoleProviderAdmin, nil)
	// An open request (Olu, Hillside), a return due from Ben's deferral, unanswered.
	exec(`INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, planned_return_on, source, created_at)
		VALUES ($1, 'deferral', 'bereavement', $2, $2::date + 90, 'participant', $3)`, f.enrolment2, a.today(), a.now().AddDate(0, 0, -6))
	exec(`INSERT INTO status_requests (enrolment_id, kind, reason, starts_on, planned_return_on, source, state, decided_by, decided_at, effective_on, return_on)
		VALUES ($1, 'deferral', 'parental-leave', $2::date - 200, $2::date + 20, 'participant', 'approved', $3, now(), $2::date - 200, $2::date + 20)`, ben, a.today(), admin.ID)
	// Submissions: Cat's waits for a marker, Pam's first marking is overdue, Olu's outcome is ready.
	submission := func(enrolment int64, stage, number string, days int) int64 {
		var id int64
		if err := a.pool.QueryRow(ctx, `INSERT INTO submissions (enrolment_id, attempt, stage, candidate_number, submitted_at, passed)
			VALUES ($1, 1, $2, $3, $4, true) RETURNING id`, enrolment, stage, number, a.now().AddDate(0, 0, -days)).Scan(&id); err != nil {
			a.t.Fatal(err)
		}
		return id
	}
	submission(cat, "submitted", "C-0001", 2)
	late := submission(f.enrolment, "in_marking", "C-0002", 40)
	f.marker = a.marker("marker@markers.test", 0)
	exec(`INSERT INTO allocations (submission_id, role, marker_id, allocated_at) VALUES ($1, 'first', $2, $3)`, late, f.marker.ID, a.now().AddDate(0, 0, -30))
	submission(f.enrolment2, "ready", "C-0003", 50)
	// Mail: one failed, one sent.
	exec(`INSERT INTO outbox (to_address, subject, body, created_at, attempts, last_error) VALUES ('olu@school.test', 'Your booking', 'b', $1, 2, 'connection refused')`, a.now().AddDate(0, 0, -1))
	exec(`INSERT INTO outbox (to_address, subject, body, sent_at) VALUES ('pam@school.test', 'Sent', 'b', now())`)

	f.staff = a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	f.admin = a.as(admin)
	return f
}

// todoLines reads a page's to-do list: label -> (href, age).
func todoLines(res *testResponse) map[string][2]string {
	out := map[string][2]string{}
	res.Doc.Find(`[data-testid="todo-item"]`).Each(func(_ int, s *goquery.Selection) {
		a := s.Find("a")
		out[strings.TrimSpace(a.Text())] = [2]string{a.AttrOr("href", ""), strings.TrimSpace(s.Find(`[data-testid="todo-age"]`).Text())}
	})
	return out
}

var todoLeadingCount = regexp.MustCompile(`^(\d+) `)

// followTodo follows every line of a to-do list and checks its list shows exactly as many rows
// as the line counted, returning the rows' text by label.
func followTodo(t *testing.T, c *testClient, lines map[string][2]string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for label, line := range lines {
		m := todoLeadingCount.FindStringSubmatch(label)
		if m == nil {
			t.Errorf("%q has no count", label)
			continue
		}
		n, _ := strconv.Atoi(m[1])
		res := c.get(line[0])
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", line[0], res.StatusCode)
			continue
		}
		rows := res.Doc.Find(`[data-testid="todo-row"]`)
		if rows.Length() != n {
			t.Errorf("%q links to %s, which shows %d rows", label, line[0], rows.Length())
		}
		if got := res.text(`[data-testid="todo-total"]`); !strings.HasPrefix(got, m[1]+" in all") {
			t.Errorf("%s total: %q", line[0], got)
		}
		rows.Each(func(_ int, s *goquery.Selection) {
			out[label] = append(out[label], strings.Join(strings.Fields(s.Text()), " "))
		})
	}
	return out
}

func TestPartnerHomeOpensOnWhatNeedsDoing(t *testing.T) {
	a := newTestApp(t)
	f := a.todoFixture()
	n, res := a.queriesFor(f.staff, "/partner")
	if n > 5 {
		t.Errorf("/partner ran %d queries", n)
	}
	lines := todoLines(res)
	want := map[string]string{
		"1 register not taken for a past event":                                  "oldest 3 days",
		"2 bookings missing on required sessions that are filling up or closing": "booking closes in 4 days",
		"3 participants not active for 14 days or more":                          "oldest 30 days",
	}
	if len(lines) != len(want) {
		t.Errorf("to-do lines: %v", lines)
	}
	for label, age := range want {
		if l, ok := lines[label]; !ok || l[1] != age {
			t.Errorf("%q: %v (have %v)", label, l, lines)
		}
	}
	rows := followTodo(t, f.staff, lines)
	all := strings.Join(rows["3 participants not active for 14 days or more"], "|")
	for _, who := range []string{"pam@", "ben@", "cat@"} {
		if !strings.Contains(all, who) {
			t.Errorf("inactive list lacks %s: %s", who, all)
		}
	}
	for _, who := range []string{"ann@", "dee@", "olu@", "Hillside"} {
		if strings.Contains(strings.Join(append(append(rows["1 register not taken for a past event"], all), rows["2 bookings missing on required sessions that are filling up or closing"]...), "|"), who) {
			t.Errorf("a partner's to-do shows %s", who)
		}
	}
	// The register line leads to the register; the people lines can be emailed.
	list := f.staff.get("/partner/todo/unbooked")
	if href := list.Doc.Find(`[data-testid="message-all"]`).AttrOr("href", ""); !strings.HasPrefix(href, "/partner/messages/new?") || strings.Count(href, "to=") != 2 {
		t.Errorf("message link: %q", href)
	}
	if href := f.staff.get("/partner/todo/registers").Doc.Find(`[data-testid="todo-row"] a`).First().AttrOr("href", ""); !regexp.MustCompile(`^/partner/events/\d+/register$`).MatchString(href) {
		t.Errorf("register link: %q", href)
	}
	// Lists partner staff do not have, and kinds that do not exist, are not found.
	for _, p := range []string{"/partner/todo/requests", "/partner/todo/failed-mail", "/partner/todo/nonsense", "/admin/todo/registers"} {
		if res := f.staff.get(p); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/partner/todo/registers", "/partner/todo/unbooked", "/partner/todo/inactive"} {
		if n, _ := a.queriesFor(f.staff, p); n > 5 {
			t.Errorf("%s ran %d queries", p, n)
		}
	}
}

func TestAdminOverviewOpensOnWhatNeedsDoing(t *testing.T) {
	a := newTestApp(t)
	f := a.todoFixture()
	n, res := a.queriesFor(f.admin, "/admin")
	if n > 5 {
		t.Errorf("/admin ran %d queries", n)
	}
	lines := todoLines(res)
	want := map[string]string{
		"1 deferral or withdrawal request to decide":                             "oldest 6 days",
		"1 return from deferral due and unanswered":                              "return due in 20 days",
		"1 submission without a marker":                                          "oldest 2 days",
		"1 marking allocation overdue":                                           fmt.Sprintf("oldest %d days overdue", todo.Days(assessment.MarkingDue(a.now().AddDate(0, 0, -30)), a.now())),
		"1 outcome ready to release":                                             "oldest 50 days",
		"1 email that failed to send":                                            "oldest 1 day",
		"2 registers not taken for past events":                                  "oldest 5 days",
		"2 bookings missing on required sessions that are filling up or closing": "booking closes in 4 days",
		"4 participants not active for 14 days or more":                          "oldest 30 days",
	}
	if len(lines) != len(want) {
		t.Errorf("to-do lines: %v", lines)
	}
	for label, age := range want {
		if l, ok := lines[label]; !ok || l[1] != age {
			t.Errorf("%q: %v", label, l)
		}
	}
	if res.Doc.Find(`.govuk-summary-list`).Length() != 1 {
		t.Error("the overview's figures are gone")
	}
	rows := followTodo(t, f.admin, lines)
	if got := strings.Join(rows["2 registers not taken for past events"], "|"); !strings.Contains(got, "Riverside Hub") || !strings.Contains(got, "Hillside Trust") {
		t.Errorf("admin registers: %s", got)
	}
	for _, p := range []string{"/admin/todo/requests", "/admin/todo/unbooked", "/admin/todo/overdue"} {
		if n, _ := a.queriesFor(f.admin, p); n > 5 {
			t.Errorf("%s ran %d queries", p, n)
		}
	}
}

func TestNothingNeedsDoing(t *testing.T) {
	a := newTestApp(t)
	staff, _ := a.signedIn(auth.RolePartnerStaff)
	res := staff.get("/partner")
	if res.StatusCode != 200 || res.text(`[data-testid="todo-empty"]`) != "Nothing needs doing." || res.Doc.Find(`[data-testid="todo-item"]`).Length() != 0 {
		t.Errorf("empty to-do: %d %q", res.StatusCode, res.text("main"))
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if res := admin.get("/admin"); res.text(`[data-testid="todo-empty"]`) != "Nothing needs doing." {
		t.Errorf("empty admin to-do: %q", res.text("main"))
	}
	if res := admin.get("/admin/todo/inactive"); res.StatusCode != 200 || res.text(`[data-testid="todo-rows-empty"]`) == "" {
		t.Errorf("empty list: %d", res.StatusCode)
	}
}

// A long to-do list pages by keyset, keeping every row exactly once, and refuses pages that
// cannot exist.
func TestTodoListPages(t *testing.T) {
	a := newTestApp(t)
	f := a.todoFixture()
	for i := range 12 {
		if _, err := a.srv.programme.Enrol(t.Context(), enrolIn(fmt.Sprintf("many%02d@school.test", i), f.cohortID), 0, ""); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	var firstPage []string
	next, pages := "/partner/todo/inactive?size=10", 0
	for next != "" && pages < 5 {
		res := f.staff.get(next)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", next, res.StatusCode)
		}
		pages++
		res.Doc.Find(`[data-testid="todo-row"]`).Each(func(_ int, s *goquery.Selection) {
			seen[strings.Fields(s.Text())[1]]++
			if pages == 1 {
				firstPage = append(firstPage, strings.Fields(s.Text())[1])
			}
		})
		if pages == 1 && !strings.HasPrefix(res.text(`[data-testid="todo-total"]`), "15 in all, 10 on this page") {
			t.Errorf("total: %q", res.text(`[data-testid="todo-total"]`))
		}
		if pages == 2 {
			prev := res.Doc.Find(`a[rel="prev"]`).AttrOr("href", "")
			back := f.staff.get(prev)
			var again []string
			back.Doc.Find(`[data-testid="todo-row"]`).Each(func(_ int, s *goquery.Selection) { again = append(again, strings.Fields(s.Text())[1]) })
			if strings.Join(again, ",") != strings.Join(firstPage, ",") {
				t.Errorf("back to page 1: %v, was %v", again, firstPage)
			}
		}
		next = res.Doc.Find(`a[rel="next"]`).AttrOr("href", "")
	}
	if pages != 2 || len(seen) != 15 {
		t.Errorf("%d pages, %d people: %v", pages, len(seen), seen)
	}
	for who, n := range seen {
		if n != 1 {
			t.Errorf("%s shown %d times", who, n)
		}
	}
	for _, bad := range []string{"?size=3", "?size=abc", "?after=!!!", "?after=WyJ4Il0", "?before=WyJ4IiwiIiwiMSIsIiJd"} {
		if res := f.staff.get("/partner/todo/inactive" + bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}
