package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/notify"
)

// An admin logs a subject access request, downloads everything held about the person as a
// ZIP (recorded in the audit trail), and marks it answered; bad input changes nothing, and
// no one else reaches these pages.
func TestSubjectAccessRequest(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ctx := context.Background()
	today := a.today()
	// An email with a link that works as a key, which the download must not give away.
	if err := notify.Enqueue(ctx, a.pool, notify.Message{ToAddress: f.participant.Email, Subject: "Your calendar",
		Body: "Subscribe: " + a.ts.URL + "/calendar/abcdefghijklmnopqrstuvwxyz012345.ics\n"}); err != nil {
		t.Fatal(err)
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staff := a.as(a.user("staff@riverside.test", auth.RolePartnerStaff, &f.partnerID))
	for _, p := range []string{"/admin/data-requests", "/admin/data-requests/new"} {
		if res := staff.get(p); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("partner staff on %s: %d", p, res.StatusCode)
		}
	}
	date := func(d interface{ Format(string) string }) url.Values {
		return url.Values{"received-day": {d.Format("2")}, "received-month": {d.Format("1")}, "received-year": {d.Format("2006")}}
	}
	with := func(v url.Values, k, val string) url.Values { v.Set(k, val); return v }
	for name, form := range map[string]url.Values{
		"no email":      date(today),
		"unknown email": with(date(today), "email", "nobody@nowhere.test"),
		"future date":   with(date(today.AddDate(0, 0, 2)), "email", f.participant.Email),
		"no date":       {"email": {f.participant.Email}},
		"bad date":      with(url.Values{"received-day": {"31"}, "received-month": {"2"}, "received-year": {"2026"}}, "email", f.participant.Email),
	} {
		res := admin.post("/admin/data-requests", form)
		if res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) == 0 || !strings.HasPrefix(res.text("title"), "Error:") {
			t.Errorf("%s: %d %v", name, res.StatusCode, res.errorSummary())
		}
	}
	if n := a.count(`SELECT count(*) FROM data_requests`); n != 0 {
		t.Fatalf("bad input logged %d requests", n)
	}
	received := today.AddDate(0, 0, -3)
	res := admin.post("/admin/data-requests", with(date(received), "email", strings.ToUpper(f.participant.Email)))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log: %d %v", res.StatusCode, res.errorSummary())
	}
	page := res.Header.Get("Location")
	if got := admin.get("/admin/data-requests").text(`[data-testid="data-requests"]`); !strings.Contains(got, f.participant.Name) || !strings.Contains(got, "To answer") {
		t.Errorf("list: %q", got)
	}
	if res := staff.get(page + "/export.zip"); res.StatusCode == http.StatusOK {
		t.Fatal("partner staff downloaded a person's data")
	}
	dl := admin.get(page + "/export.zip")
	if dl.StatusCode != http.StatusOK || dl.Header.Get("Content-Type") != "application/zip" || !strings.Contains(dl.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("download: %d %s %s", dl.StatusCode, dl.Header.Get("Content-Type"), dl.Header.Get("Cache-Control"))
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(dl.Body)), int64(len(dl.Body)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, zf := range z.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[zf.Name] = string(b)
	}
	for _, name := range []string{"README.txt", "account.json", "enrolments.json", "status_history.json", "progress.json", "bookings.json",
		"requests.json", "letters.json", "submissions.json", "emails.json", "audit.json"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the download has no %s", name)
		}
	}
	var account []map[string]any
	if err := json.Unmarshal([]byte(files["account.json"]), &account); err != nil || len(account) != 1 || account[0]["email"] != f.participant.Email {
		t.Errorf("account.json: %s %v", files["account.json"], err)
	}
	if strings.Contains(files["account.json"], "password") {
		t.Error("the download includes the password hash")
	}
	if !strings.Contains(files["enrolments.json"], "Riverside") {
		t.Errorf("enrolments.json: %s", files["enrolments.json"])
	}
	if strings.Contains(files["emails.json"], "abcdefghijklmnopqrstuvwxyz012345") || !strings.Contains(files["emails.json"], "Your calendar") {
		t.Errorf("emails.json: %s", files["emails.json"])
	}
	if strings.Contains(dl.Body, f.other.Email) {
		t.Error("the download holds someone else's data")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'data_request.exported' AND subject = $1`, fmt.Sprintf("user:%d", f.participant.ID)); n != 1 {
		t.Errorf("%d audit entries for the download", n)
	}
	if res := admin.post(page+"/complete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", res.StatusCode)
	}
	admin.post(page+"/complete", nil)
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'data_request.completed'`); n != 1 {
		t.Errorf("completing twice made %d audit entries", n)
	}
	if res := admin.get("/admin/data-requests/99999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown request: %d", res.StatusCode)
	}
}

// The download holds the submitted text and documents, but the outcome and judgements only
// once they are released.
func TestSubjectAccessExportHoldsMarksOnlyOnceReleased(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	id := a.submitted(f, spec, pam)
	export := func() map[string]string {
		var b bytes.Buffer
		if err := a.srv.personalData.Export(context.Background(), f.participant.ID, &b, a.now()); err != nil {
			t.Fatal(err)
		}
		z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, zf := range z.File {
			rc, _ := zf.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			files[zf.Name] = string(data)
		}
		return files
	}
	type sub struct {
		Passed     *bool            `json:"passed"`
		Judgements []map[string]any `json:"judgements"`
		Texts      []map[string]any `json:"texts"`
		Files      []map[string]any `json:"files"`
	}
	read := func(files map[string]string) sub {
		var subs []sub
		if err := json.Unmarshal([]byte(files["submissions.json"]), &subs); err != nil || len(subs) != 1 {
			t.Fatalf("submissions.json: %s %v", files["submissions.json"], err)
		}
		return subs[0]
	}
	files := export()
	s := read(files)
	if len(s.Texts) == 0 || len(s.Files) == 0 || s.Passed != nil || s.Judgements != nil {
		t.Errorf("before release: %+v", s)
	}
	found := 0
	for name, data := range files {
		if strings.HasPrefix(name, fmt.Sprintf("files/%d/", id)) && strings.HasSuffix(name, "doc.pdf") && data == string(testPDF) {
			found++
		}
	}
	if found != len(spec.DocumentSlots()) {
		t.Errorf("%d of %d documents in the download", found, len(spec.DocumentSlots()))
	}
	a.release(id, spec, true)
	if s := read(export()); s.Passed == nil || !*s.Passed || len(s.Judgements) == 0 {
		t.Errorf("after release: %+v", s)
	}
}
