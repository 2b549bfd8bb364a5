package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/lifecycle"
	"npq/internal/programme"
)

// Every cell a spreadsheet could run as a formula is written as text.
func TestCSVWriterNeutralisesEveryCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"pam@school.test", "pam@school.test"},
		{"=cmd|'/Ccalc'!A1@example.test", "'=cmd|'/Ccalc'!A1@example.test"},
		{"+44 20 7946 0000", "'+44 20 7946 0000"},
		{"-1+1", "'-1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"'already quoted", "'already quoted"},
		{"a=b", "a=b"},
		{"2026-01-31", "2026-01-31"},
	}
	rec := httptest.NewRecorder()
	cw := newCSV(rec, "test.csv")
	for _, tt := range tests {
		cw.Write(tt.in, "-x")
	}
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", got)
	}
	if got := rec.Header().Get("Content-Disposition"); got != `attachment; filename="test.csv"; filename*=UTF-8''test.csv` {
		t.Errorf("disposition %q", got)
	}
	body, ok := strings.CutPrefix(rec.Body.String(), "\ufeff")
	if !ok {
		t.Error("no byte-order mark for Excel")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(tests) {
		t.Fatalf("%d rows", len(rows))
	}
	for i, tt := range tests {
		if got := rows[i]; got[0] != tt.want || got[1] != "'-x" {
			t.Errorf("%q: got %q, want %q", tt.in, got, []string{tt.want, "'-x"})
		}
	}
}

func TestCSVFileName(t *testing.T) {
	on := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC) // still 1 December in London (GMT)
	for _, tt := range []struct {
		kind  string
		parts []string
		want  string
	}{
		{"roster", []string{"NPQSL", "NPQSL Spring 2026"}, "roster-npqsl-spring-2026-2026-12-01.csv"},
		{"roster", []string{"NPQH", "Barnsley & Doncaster: Autumn"}, "roster-npqh-barnsley-doncaster-autumn-2026-12-01.csv"},
		{"register", []string{"NPQH", "Block 3 · Webinar", ""}, "register-npqh-block-3-webinar-2026-12-01.csv"},
		{"roster", []string{"npqh", "Zoë's \"cohort\"/../x"}, "roster-npqh-zoë-s-cohort-x-2026-12-01.csv"},
		{"withdrawals", nil, "withdrawals-2026-12-01.csv"},
		{"roster", []string{strings.Repeat("long ", 30)}, "roster-" + strings.TrimSuffix(strings.Repeat("long-", 12), "-") + "-2026-12-01.csv"},
	} {
		if got := csvFileName(tt.kind, on, tt.parts...); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.parts, got, tt.want)
		}
	}
	// A name outside ASCII travels as filename* and falls back to underscores.
	rec := httptest.NewRecorder()
	newCSV(rec, "roster-zoë-2026-12-01.csv")
	if got := rec.Header().Get("Content-Disposition"); got != `attachment; filename="roster-zo_-2026-12-01.csv"; filename*=UTF-8''roster-zo%C3%AB-2026-12-01.csv` {
		t.Errorf("disposition %q", got)
	}
}

// readCSV reads an export back as Excel would: it must start with the UTF-8 byte-order mark.
func readCSV(t *testing.T, res *testResponse) [][]string {
	t.Helper()
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	body, ok := strings.CutPrefix(res.Body, "\ufeff")
	if !ok {
		t.Errorf("no byte-order mark: %q", res.Body[:min(20, len(res.Body))])
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

const evilEmail = "=cmd|'/ccalc'!a1@example.test"

// csvCells reads an export and fails the test for any cell a spreadsheet would run.
func csvCells(t *testing.T, res *testResponse) [][]string {
	t.Helper()
	rows := readCSV(t, res)
	found := false
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q could run as a formula", cell)
			}
			found = found || cell == "'"+evilEmail
		}
	}
	if !found {
		t.Errorf("the email is not in the export as text:\n%s", res.Body)
	}
	return rows
}

func (a *testApp) evilEmail(u auth.User) {
	a.t.Helper()
	if _, err := a.pool.Exec(a.t.Context(), `UPDATE users SET email = $1, name = '@SUM(1+1)' WHERE id = $2`, evilEmail, u.ID); err != nil {
		a.t.Fatal(err)
	}
}

func TestRosterCSVNeutralisesFormulas(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	a.evilEmail(f.participant)
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	csvCells(t, staff.get(fmt.Sprintf("/partner/cohorts/%d/roster.csv", f.cohortID)))
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	csvCells(t, admin.get(fmt.Sprintf("/admin/cohorts/%d/roster.csv", f.cohortID)))
}

func TestRegisterCSVNeutralisesFormulas(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, new(10))
	if res := a.as(f.participant).post(fmt.Sprintf("/events/%d/book", ev), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("book: %d", res.StatusCode)
	}
	a.evilEmail(f.participant)
	a.pool.Exec(t.Context(), `UPDATE events SET title = '-2+3' WHERE id = $1`, ev) //nolint:errcheck
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	csvCells(t, staff.get(fmt.Sprintf("/partner/events/%d/register.csv", ev)))
}

func TestDecisionsCSVNeutralisesFormulas(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	form := url.Values{"kind": {"withdrawal"}, "withdraw_reason": {"quality-of-programme-structure-not-suitable."}}
	today := a.today()
	dateFields(form, "starts_on", today)
	res := admin.post(fmt.Sprintf("/admin/enrolments/%d/requests", f.enrolment2), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %v", res.StatusCode, res.errorSummary())
	}
	decide := url.Values{"decision": {"approve"}, "refund": {"none"}, "confirm": {"yes"}}
	dateFields(decide, "effective", today)
	if res := admin.post(res.Header.Get("Location"), decide); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %v", res.StatusCode, res.errorSummary())
	}
	a.evilEmail(f.other)
	csvCells(t, admin.get("/admin/withdrawals.csv"))
}

// The decisions export says what the pages say, names its file by kind and day, and keeps
// DfE's codes in columns of their own.
func TestDecisionsCSVLabelsAndName(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	form := url.Values{"kind": {"withdrawal"}, "withdraw_reason": {"quality-of-programme-structure-not-suitable."}}
	today := a.today()
	dateFields(form, "starts_on", today)
	res := admin.post(fmt.Sprintf("/admin/enrolments/%d/requests", f.enrolment2), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %v", res.StatusCode, res.errorSummary())
	}
	decide := url.Values{"decision": {"approve"}, "refund": {"none"}, "confirm": {"yes"}}
	dateFields(decide, "effective", today)
	if res := admin.post(res.Header.Get("Location"), decide); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %v", res.StatusCode, res.errorSummary())
	}
	res = admin.get("/admin/withdrawals.csv")
	if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="withdrawals-`+today.Format("2006-01-02")+`.csv"`) {
		t.Errorf("file name: %q", got)
	}
	rows := readCSV(t, res)
	if len(rows) != 2 {
		t.Fatalf("rows: %q", rows)
	}
	cells := map[string]string{}
	for i, h := range rows[0] {
		cells[h] = rows[1][i]
	}
	for h, want := range map[string]string{"Email": "olu@school.test", "Course": "NPQ in Headship", "Cohort": "NPQH Hillside",
		"Funding": "Self-funded", "Status": "Withdrawn", "Reason": lifecycle.ReasonLabel(lifecycle.KindWithdrawal, "quality-of-programme-structure-not-suitable."),
		"DfE reason code": "quality-of-programme-structure-not-suitable.", "Refund": "No refund"} {
		if cells[h] != want {
			t.Errorf("%s: %q, want %q", h, cells[h], want)
		}
	}
}

// A register for an event shared by two cohorts says which cohort each person is in, and
// the file is named after the course, the event and its day.
func TestRegisterCSVNamesCohortsAndLabels(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	s := programme.Store{DB: a.pool}
	today := a.today()
	second, err := s.CreateCohort(t.Context(), programme.NewCohort{CourseID: f.courseID, PartnerID: f.partnerID, Name: "NPQH Riverside spring",
		ScheduleIdentifier: "npq-leadership-spring", StartsOn: today.AddDate(0, -1, 0), StudyEndsOn: today.AddDate(1, 5, 0),
		AssessmentOpensOn: today.AddDate(1, 5, 0), AssessmentClosesOn: today.AddDate(1, 8, 0),
		BlockOpens: map[int64]time.Time{f.block1: today.AddDate(0, -1, 0), f.block2: today.AddDate(0, 1, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	sol := a.user("sol@school.test", auth.RoleParticipant, nil)
	if _, err := s.Enrol(t.Context(), enrolIn(sol.Email, second), 0, a.ts.URL); err != nil {
		t.Fatal(err)
	}
	ev := a.scheduleEvent(f, f.webinar, 7, new(10), f.cohortID, second)
	for _, u := range []auth.User{f.participant, sol} {
		if res := a.as(u).post(fmt.Sprintf("/events/%d/book", ev), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s books: %d", u.Email, res.StatusCode)
		}
	}
	staff := a.as(a.user("sam@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	res := staff.get(fmt.Sprintf("/partner/events/%d/register.csv", ev))
	want := "register-npqh-webinar-7-" + today.AddDate(0, 0, 7).Format("2006-01-02") + ".csv"
	if got := res.Header.Get("Content-Disposition"); !strings.Contains(got, `filename="`+want+`"`) {
		t.Errorf("file name: %q, want %q", got, want)
	}
	rows := readCSV(t, res)
	if got := strings.Join(rows[0], "|"); got != "Event|Starts|Name|Email|School|Cohort|Place|Attendance|Note" {
		t.Errorf("header: %q", got)
	}
	cohorts := map[string]string{}
	for _, r := range rows[1:] {
		cohorts[r[3]] = r[5]
		if r[6] != "Booked" || r[7] != "Not marked" {
			t.Errorf("row: %q", r)
		}
	}
	if cohorts["pam@school.test"] != "NPQH Riverside" || cohorts["sol@school.test"] != "NPQH Riverside spring" {
		t.Errorf("cohorts: %v", cohorts)
	}
}
