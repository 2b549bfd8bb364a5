package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
)

func TestAdminCorrectsDfEIdentifiers(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	page := "/admin/enrolments/" + itoa(f.enrolment)
	res := admin.get(page)
	if !strings.Contains(res.text(`[data-testid="dfe-identifiers"]`), "Not known") {
		t.Fatalf("DfE section: %q", res.text(`[data-testid="dfe-identifiers"]`))
	}
	n, res := a.queriesFor(admin, page+"/dfe")
	if res.StatusCode != http.StatusOK || n > 5 {
		t.Fatalf("form: %d, %d queries", res.StatusCode, n)
	}
	good := url.Values{"participant_id": {"7A8FEF46-3c43-42c0-b3d5-1ba5904ba562"}, "trn": {"1234567"},
		"application_id": {"00000000-0000-4000-8000-000000000001"}, "course": {"npq-headship"}, "cohort": {"2026"},
		"schedule": {"npq-leadership-autumn"}, "funded_place": {"yes"}}
	for name, edit := range map[string]func(url.Values){
		"participant id": func(v url.Values) { v.Set("participant_id", "12") },
		"trn":            func(v url.Values) { v.Set("trn", "12a") },
		"application id": func(v url.Values) { v.Set("application_id", "x") },
		"course":         func(v url.Values) { v.Set("course", "npq-cooking") },
		"cohort":         func(v url.Values) { v.Set("cohort", "soon") },
		"schedule":       func(v url.Values) { v.Set("schedule", "npq-summer") },
		"funded place":   func(v url.Values) { v.Set("funded_place", "maybe") },
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		edit(form)
		res := admin.post(page+"/dfe", form)
		if res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 1 {
			t.Errorf("bad %s: %d %v", name, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM enrolments WHERE dfe_application_id IS NOT NULL`); n != 0 {
		t.Fatal("a bad form changed the enrolment")
	}
	if res := admin.post(page+"/dfe", good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %v", res.StatusCode, res.errorSummary())
	}
	res = admin.get(page)
	if got := res.text(`[data-testid="dfe-identifiers"]`); !strings.Contains(got, "7a8fef46-3c43-42c0-b3d5-1ba5904ba562") || !strings.Contains(got, "npq-headship") {
		t.Fatalf("DfE section after saving: %q", got)
	}
	// The same application id on another enrolment: 422 on its field.
	other := "/admin/enrolments/" + itoa(f.enrolment2) + "/dfe"
	res = admin.post(other, url.Values{"application_id": {"00000000-0000-4000-8000-000000000001"}})
	if res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 1 || !strings.Contains(res.errorSummary()[0], "Another enrolment") {
		t.Fatalf("duplicate: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'dfe.identifiers_changed'`); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	// Partner staff cannot see or change them.
	partner, _ := a.signedIn(auth.RolePartnerStaff)
	if res := partner.get(page + "/dfe"); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
		t.Errorf("partner staff: %d", res.StatusCode)
	}
}

func TestAdminSetsAPartnersDfEID(t *testing.T) {
	a := newTestApp(t)
	id := a.partner("Riverside Hub")
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	path := "/admin/partners/" + itoa(id)
	if res := admin.post(path+"/dfe", url.Values{"dfe_id": {"hub"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bad id: %d", res.StatusCode)
	}
	if res := admin.post(path+"/dfe", url.Values{"dfe_id": {"7a8fef46-3c43-42c0-b3d5-1ba5904ba562"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	res := admin.get(path)
	if v, _ := res.Doc.Find(`#dfe_id`).Attr("value"); v != "7a8fef46-3c43-42c0-b3d5-1ba5904ba562" {
		t.Fatalf("partner page shows %q", v)
	}
}
