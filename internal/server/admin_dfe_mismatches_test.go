package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/dfe/reconcile"
)

// An application accepted here is read back from DfE with no mismatch; once DfE defers the
// participant, the page lists the difference with what to do, and the enrolment's DfE record
// shows DfE's copy and the mismatch. Only admins see it.
func TestDfEMismatches(t *testing.T) {
	d := newDfEApp(t)
	ctx := context.Background()
	admin, _ := d.signedIn(auth.RoleProviderAdmin)
	if res := admin.get("/admin/dfe/mismatches"); res.StatusCode != http.StatusOK || !strings.Contains(res.text(`[data-testid="checked"]`), "Not compared yet") {
		t.Fatalf("before a sync: %d %q", res.StatusCode, res.text(`[data-testid="checked"]`))
	}
	id := d.application("Amara Okafor", "amara@school.example")
	if res := admin.post("/admin/dfe/applications/"+id+"/accept", url.Values{"cohort": {itoa(d.f.cohortID)}, "funded_place": {"yes"}, "confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	sync := func() {
		t.Helper()
		if _, err := reconcile.Sync(ctx, d.pool, d.srv.dfe, d.now()); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	n, res := d.queriesFor(admin, "/admin/dfe/mismatches")
	if res.StatusCode != http.StatusOK || n > 5 || !strings.Contains(res.text(`[data-testid="checked"]`), "Our records and DfE's agree") ||
		res.Doc.Find(`[data-testid="mismatch-row"]`).Length() != 0 || res.Doc.Find(`[data-testid="dfe-off"]`).Length() != 0 {
		t.Fatalf("after accepting: %d, %d queries, %q", res.StatusCode, n, res.text(`[data-testid="checked"]`))
	}

	var enrolment int64
	var participant string
	if err := d.pool.QueryRow(ctx, `SELECT e.id, u.dfe_participant_id FROM enrolments e JOIN users u ON u.id = e.user_id
		WHERE e.dfe_application_id = $1`, id).Scan(&enrolment, &participant); err != nil {
		t.Fatal(err)
	}
	if _, err := d.srv.dfe.Defer(ctx, participant, "npq-headship", "career-break"); err != nil {
		t.Fatal(err)
	}
	sync()
	res = admin.get("/admin/dfe/mismatches")
	rows := res.Doc.Find(`[data-testid="mismatch-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "Training status") || !strings.Contains(rows.Text(), "deferred") ||
		!strings.Contains(rows.Text(), "Amara Okafor") || !strings.Contains(res.text(`[data-testid="checked"]`), "1 mismatch") {
		t.Fatalf("after DfE deferred them: %q / %q", res.text(`[data-testid="checked"]`), rows.Text())
	}
	if href, _ := rows.Find("a").Attr("href"); href != "/admin/enrolments/"+itoa(enrolment) {
		t.Errorf("the row links to %q", href)
	}
	for path, want := range map[string]int{"/admin/dfe/mismatches?kind=training-status&q=amara": 1, "/admin/dfe/mismatches?kind=schedule": 0,
		"/admin/dfe/mismatches?q=" + participant: 1, "/admin/dfe/mismatches?q=nobody": 0} {
		if got := admin.get(path).Doc.Find(`[data-testid="mismatch-row"]`).Length(); got != want {
			t.Errorf("%s: %d rows, want %d", path, got, want)
		}
	}
	for _, path := range []string{"/admin/dfe/mismatches?kind=nope", "/admin/dfe/mismatches?kind=%00", "/admin/dfe/mismatches?after=99999999999999999999999"} {
		if res := admin.get(path); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", path, res.StatusCode)
		}
	}

	res = admin.get("/admin/enrolments/" + itoa(enrolment))
	if got := res.text(`[data-testid="at-dfe"]`); !strings.Contains(got, "deferred") || !strings.Contains(got, "npq-leadership-autumn") {
		t.Errorf("DfE's copy on the enrolment page: %q", got)
	}
	if got := res.text(`[data-testid="enrolment-mismatches"]`); !strings.Contains(got, "Training status") {
		t.Errorf("mismatches on the enrolment page: %q", got)
	}

	staff := d.as(d.user("sam@riverside.test", auth.RolePartnerStaff, &d.f.partnerID))
	if res := staff.get("/admin/dfe/mismatches"); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Errorf("partner staff: %d", res.StatusCode)
	}
}
