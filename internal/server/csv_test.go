package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
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
	if got := rec.Header().Get("Content-Disposition"); got != `attachment; filename="test.csv"` {
		t.Errorf("disposition %q", got)
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
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

const evilEmail = "=cmd|'/ccalc'!a1@example.test"

// csvCells reads an export and fails the test for any cell a spreadsheet would run.
func csvCells(t *testing.T, res *testResponse) [][]string {
	t.Helper()
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
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
	decide := url.Values{"decision": {"approve"}, "refund": {"none"}}
	dateFields(decide, "effective", today)
	if res := admin.post(res.Header.Get("Location"), decide); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %v", res.StatusCode, res.errorSummary())
	}
	a.evilEmail(f.other)
	csvCells(t, admin.get("/admin/withdrawals.csv"))
}
