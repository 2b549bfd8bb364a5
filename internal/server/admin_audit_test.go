package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
	"npq/internal/listing"
	"npq/internal/timefmt"
)

func TestAuditLogRefusesUpdateAndDelete(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	if _, err := a.pool.Exec(ctx, `INSERT INTO audit_log (action, subject) VALUES ('test.entry', 'x')`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pool.Exec(ctx, `UPDATE audit_log SET action = 'changed'`); err == nil {
		t.Error("an audit entry was changed")
	}
	if _, err := a.pool.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("an audit entry was deleted")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'test.entry'`); n != 1 {
		t.Errorf("%d entries after the refused changes, want 1", n)
	}
}

func TestSignInsAreAuditedWithAddressAndRequestID(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RolePartnerStaff)
	c := a.client()
	if res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {"not the password"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: status %d", res.StatusCode)
	}
	c.post("/sign-in", url.Values{"email": {"nobody@school.test"}, "password": {"not the password"}})
	c.signIn(u.Email, testPassword)
	c.post("/sign-out", nil)

	type row struct{ action, subject, ip, requestID string }
	rows, err := a.pool.Query(context.Background(), `SELECT action, subject, ip, request_id FROM audit_log
		WHERE action LIKE 'sign%' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.action, &r.subject, &r.ip, &r.requestID); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []string{"sign_in.failed", "sign_in.failed", "sign_in.succeeded", "sign_out"}
	if len(got) != len(want) {
		t.Fatalf("entries %+v, want actions %v", got, want)
	}
	for i, r := range got {
		if r.action != want[i] || r.ip != "127.0.0.1" || len(r.requestID) != 16 {
			t.Errorf("entry %d = %+v, want %s from 127.0.0.1 with a request id", i, r, want[i])
		}
	}
	if got[0].subject == "" || got[1].subject != "" {
		t.Errorf("subjects %q and %q: want the account for a known email, none for an unknown one", got[0].subject, got[1].subject)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'sign_in.succeeded' AND actor_id = $1 AND subject_user_id = $1`, u.ID); n != 1 {
		t.Errorf("%d successful sign-ins by and about the account, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND last_sign_in_at IS NOT NULL`, u.ID); n != 1 {
		t.Error("the last sign-in time was not kept")
	}
}

func TestCSVExportsAreAudited(t *testing.T) {
	a := newTestApp(t)
	c, admin := a.signedIn(auth.RoleProviderAdmin)
	if res := c.get("/admin/deferrals.csv"); res.StatusCode != http.StatusOK {
		t.Fatalf("export: status %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'export.csv' AND actor_id = $1 AND subject = '/admin/deferrals.csv'`, admin.ID); n != 1 {
		t.Errorf("%d export entries, want 1", n)
	}
}

func TestAuditTrailShowsWhoDidWhatFromWhere(t *testing.T) {
	a := newTestApp(t)
	admin, me := a.signedIn(auth.RoleProviderAdmin)
	staffUser := a.userFor(auth.RolePartnerStaff)
	admin.post(fmt.Sprintf("/admin/users/%d/deactivate", staffUser.ID), nil)

	n, res := a.queriesFor(admin, "/admin/audit")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("audit page: %d", res.StatusCode)
	}
	if n > 5 {
		t.Errorf("the audit page ran %d queries, want at most 5", n)
	}
	first := res.Doc.Find(`[data-testid="entry"]`).First()
	if got := strings.TrimSpace(first.Find(`[data-testid="what"]`).Text()); !strings.HasPrefix(got, "Deactivated an account") {
		t.Errorf("newest entry = %q, want the deactivation", got)
	}
	if got := first.Find(`[data-testid="who"] a`).AttrOr("href", ""); got != fmt.Sprintf("/admin/users/%d", me.ID) {
		t.Errorf("who links to %q", got)
	}
	if got := first.Find(`[data-testid="about"] a`).First().AttrOr("href", ""); got != fmt.Sprintf("/admin/users/%d", staffUser.ID) {
		t.Errorf("about links to %q", got)
	}
	if first.Find(`[data-testid="ip"]`).Text() != "127.0.0.1" || len(first.Find(`[data-testid="request-id"]`).Text()) != 16 {
		t.Errorf("address %q and request id %q", first.Find(`[data-testid="ip"]`).Text(), first.Find(`[data-testid="request-id"]`).Text())
	}
	if res.Doc.Find(`th[aria-sort="descending"]`).Length() != 1 {
		t.Error("the sort is not shown")
	}

	// Filters stay in the address.
	res = admin.get("/admin/audit?kind=account&person=" + url.QueryEscape(staffUser.Email))
	if got := res.Doc.Find(`[data-testid="entry"]`).Length(); got != 1 {
		t.Errorf("%d account entries about the staff member, want 1", got)
	}
	if res.Doc.Find(`select[name="kind"] option[value="account"][selected]`).Length() != 1 || res.Doc.Find(`input[name="person"]`).AttrOr("value", "") != staffUser.Email {
		t.Error("the filter form does not show the filters")
	}
	res = admin.get(fmt.Sprintf("/admin/audit?kind=sign-in&actor=%d", me.ID))
	if got := res.Doc.Find(`[data-testid="entry"]`).Length(); got != 1 {
		t.Errorf("%d sign-ins by the admin, want 1", got)
	}
	today := a.now().In(timefmt.London).Format(time.DateOnly)
	yesterday := a.now().In(timefmt.London).AddDate(0, 0, -1).Format(time.DateOnly)
	if got := admin.get("/admin/audit?from=" + today + "&to=" + today).Doc.Find(`[data-testid="entry"]`).Length(); got != 2 {
		t.Errorf("%d entries today", got)
	}
	if got := admin.get("/admin/audit?to=" + yesterday).Doc.Find(`[data-testid="no-entries"]`).Length(); got != 1 {
		t.Error("entries before today were found")
	}
}

func TestAuditTrailRefusesBadFilters(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	for _, c := range []struct {
		query string
		want  string
	}{
		{"from=2026-13-45", "real date"},
		{"to=yesterday", "real date"},
		{"from=2026-09-02&to=2026-09-01", "same as or after"},
		{"kind=everything", "Select one of the kinds"},
		{"actor=" + strings.Repeat("a", 300), "254 characters"},
	} {
		res := admin.get("/admin/audit?" + c.query)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), c.want) {
			t.Errorf("%s: %d %v, want 422 with %q", c.query, res.StatusCode, res.errorSummary(), c.want)
		}
	}
	for _, q := range []string{"after=nonsense", "size=5", "size=x", "after=" + listing.Cursor{"yesterday", "1"}.String(),
		"before=" + listing.Cursor{"1"}.String()} {
		if res := admin.get("/admin/audit?" + q); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, res.StatusCode)
		}
	}
}

func TestAuditTrailPagesByKeyset(t *testing.T) {
	a := newTestApp(t)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if _, err := a.pool.Exec(context.Background(), `INSERT INTO audit_log (action, subject, at)
		SELECT 'event.created', 'event:' || g, now() - g * interval '1 minute' FROM generate_series(1, 25) g`); err != nil {
		t.Fatal(err)
	}
	res := admin.get("/admin/audit?kind=event&size=10")
	seen := map[string]bool{}
	pages := 0
	for {
		pages++
		res.Doc.Find(`[data-testid="about"]`).Each(func(_ int, s *goquery.Selection) { seen[strings.TrimSpace(s.Text())] = true })
		next := res.Doc.Find(`a[rel="next"]`).AttrOr("href", "")
		if next == "" || pages > 5 {
			break
		}
		if !strings.Contains(next, "kind=event") || !strings.Contains(next, "size=10") {
			t.Fatalf("the next link %q dropped the filters", next)
		}
		res = admin.get(next)
	}
	if pages != 3 || len(seen) != 25 {
		t.Errorf("%d pages with %d different entries, want 3 pages with 25", pages, len(seen))
	}
	prev := res.Doc.Find(`a[rel="prev"]`).AttrOr("href", "")
	back := admin.get(prev)
	if got := back.Doc.Find(`[data-testid="entry"]`).Length(); got != 10 || back.Doc.Find(`a[rel="prev"]`).Length() != 1 {
		t.Errorf("the previous page has %d entries", got)
	}
}

func TestAuditTrailCSVExportIsItselfAudited(t *testing.T) {
	a := newTestApp(t)
	admin, me := a.signedIn(auth.RoleProviderAdmin)
	res := admin.get("/admin/audit.csv?kind=sign-in")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	records, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 || records[1][4] != "sign_in.succeeded" || records[1][11] != "127.0.0.1" {
		t.Errorf("CSV rows %v", records)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'export.csv' AND subject = '/admin/audit.csv' AND actor_id = $1
		AND detail->>'query' = 'kind=sign-in'`, me.ID); n != 1 {
		t.Errorf("%d audit exports recorded, want 1", n)
	}
	if res := admin.get("/admin/audit.csv?from=nonsense"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("CSV with a bad filter: %d, want 400", res.StatusCode)
	}
}

func TestAuditTrailIsForAdminsOnly(t *testing.T) {
	a := newTestApp(t)
	for _, role := range []auth.Role{auth.RolePartnerStaff, auth.RoleParticipant, auth.RoleAssessor} {
		c, _ := a.signedIn(role)
		for _, p := range []string{"/admin/audit", "/admin/audit.csv", "/admin/users"} {
			if res := c.get(p); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %s = %d, want 403", role, p, res.StatusCode)
			}
		}
	}
}
