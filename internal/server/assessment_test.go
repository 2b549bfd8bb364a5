package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/problem"
	"npq/internal/programme"
)

var testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// assessmentFixture opens the fixture's assessment window and returns the NPQH specification.
func (a *testApp) assessmentFixture(f *programmeFixture) assessment.Spec {
	a.t.Helper()
	ctx := context.Background()
	today := a.today()
	if _, err := a.pool.Exec(ctx, `UPDATE cohorts SET study_ends_on = $1, assessment_opens_on = $1, assessment_closes_on = $2 WHERE course_id = $3`,
		today.AddDate(0, 0, -1), today.AddDate(0, 1, 0), f.courseID); err != nil {
		a.t.Fatal(err)
	}
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	spec, err := assessment.SpecFor(ctx, a.pool, provider, "NPQH")
	if err != nil {
		a.t.Fatal(err)
	}
	return spec
}

// draftForm is a draft that meets every rule: within the limits, every criterion tagged.
func draftForm(spec assessment.Spec) url.Values {
	form := url.Values{}
	for _, t := range spec.Tasks {
		var b strings.Builder
		for _, c := range spec.Criteria {
			if c.Task == t.Key {
				b.WriteString("Evidence for [" + c.Code + "]. ")
			}
		}
		b.WriteString(strings.Repeat("evidence ", 1000))
		form.Set("text-"+t.Key, b.String())
	}
	return form
}

// uploadFile posts a supporting document into a slot.
func (c *testClient) uploadFile(slot, name string, data []byte) *testResponse {
	c.a.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("slot", slot) //nolint:errcheck
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data) //nolint:errcheck
	w.Close()
	req, _ := http.NewRequest("POST", c.a.ts.URL+"/assessment/upload", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func (a *testApp) submission(enrolment int64) (id int64, stage string) {
	a.t.Helper()
	a.pool.QueryRow(context.Background(), `SELECT id, stage FROM submissions WHERE enrolment_id = $1 ORDER BY attempt DESC LIMIT 1`, enrolment).Scan(&id, &stage) //nolint:errcheck
	return id, stage
}

// submitted drafts, documents and submits a complete assessment for the fixture participant.
func (a *testApp) submitted(f *programmeFixture, spec assessment.Spec, pam *testClient) int64 {
	a.t.Helper()
	return a.submittedDraft(f, spec, pam, draftForm(spec))
}

// submittedDraft is submitted with the texts of draft.
func (a *testApp) submittedDraft(f *programmeFixture, spec assessment.Spec, pam *testClient, draft url.Values) int64 {
	a.t.Helper()
	if res := pam.post("/assessment/start", nil); res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("start: %d", res.StatusCode)
	}
	if res := pam.post("/assessment", draft); res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("save: %d %v", res.StatusCode, res.errorSummary())
	}
	for _, sl := range spec.DocumentSlots() {
		if res := pam.uploadFile(sl.Key(), "doc.pdf", testPDF); res.StatusCode != http.StatusSeeOther {
			a.t.Fatalf("upload %s: %d %v", sl.Key(), res.StatusCode, res.errorSummary())
		}
	}
	if res := pam.post("/assessment/submit", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("submit: %d", res.StatusCode)
	}
	id, stage := a.submission(f.enrolment)
	if stage != "submitted" {
		a.t.Fatalf("stage %s", stage)
	}
	return id
}

func TestParticipantDraftsChecksAndSubmits(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	pam := a.as(f.participant)

	// Before the window opens there is nothing to start.
	res := pam.get("/assessment")
	if res.StatusCode != 200 || res.text("[data-testid=not-open]") == "" {
		t.Fatalf("before the window: %d %q", res.StatusCode, res.text("main"))
	}
	pam.post("/assessment/start", nil)
	if n := a.count(`SELECT count(*) FROM submissions`); n != 0 {
		t.Fatal("a draft was started before the window opened")
	}
	if pam.get("/home").text("[data-testid=assessment-due]") != "" {
		t.Error("home points to an assessment before its window")
	}
	spec := a.assessmentFixture(f)
	if got := pam.get("/home").text("[data-testid=assessment-due]"); !strings.Contains(got, "Start your assessment") {
		t.Errorf("home: %q", got)
	}
	if res := pam.post("/assessment/start", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", res.StatusCode)
	}
	if got := pam.get("/home").text("[data-testid=assessment-due]"); !strings.Contains(got, "Carry on") {
		t.Errorf("home with a draft: %q", got)
	}
	pam.post("/assessment/start", nil) // repeated: still one draft
	id, stage := a.submission(f.enrolment)
	if a.count(`SELECT count(*) FROM submissions`) != 1 || stage != "draft" {
		t.Fatalf("drafts: %d, stage %s", a.count(`SELECT count(*) FROM submissions`), stage)
	}

	if res := pam.post("/assessment", url.Values{"text-task-1": {strings.Repeat("a", 200001)}}); res.StatusCode != http.StatusUnprocessableEntity ||
		a.count(`SELECT count(*) FROM submission_texts`) != 0 {
		t.Errorf("a text over 200,000 characters: %d %v", res.StatusCode, res.errorSummary())
	}
	// An over-long draft is saved, and the check says what stops it being submitted.
	over := draftForm(spec)
	over.Set("text-task-1", over.Get("text-task-1")+strings.Repeat(" more", 3500))
	if res := pam.post("/assessment", over); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	res = pam.get("/assessment")
	findings := res.text("[data-testid=findings]")
	for _, want := range []string{"the limit is 4,000", "Criterion 5.3.2 requires a Curriculum-led Budget and none was attached"} {
		if !strings.Contains(findings, want) {
			t.Errorf("check lacks %q: %s", want, findings)
		}
	}
	if counts := res.text("[data-testid=word-counts]"); !strings.Contains(counts, "(limit 4000)") || !strings.Contains(counts, "Task 2: ") {
		t.Errorf("word counts in the check: %q", counts)
	}
	if res.text("[data-testid=cannot-submit]") == "" || strings.Contains(res.Body, `action="/assessment/submit"`) {
		t.Error("a draft breaking the hard rules offers submission")
	}
	if got := res.text("[data-testid=count-task-1]"); !strings.HasPrefix(got, strconv.Itoa(assessment.WordCount(over.Get("text-task-1")))) {
		t.Errorf("word count %q", got)
	}
	pam.post("/assessment/submit", url.Values{"confirm": {"yes"}})
	if _, stage := a.submission(f.enrolment); stage != "draft" {
		t.Fatal("a draft over the limit was submitted")
	}

	// Uploads are checked by content: disguised, empty and unknown slots are refused.
	slot := spec.DocumentSlots()[0].Key()
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"budget.pdf", []byte("MZ\x90\x00 not really a pdf"), "must be a PDF"},
		{"budget.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "does not match its contents"},
		{"budget.pdf", []byte{}, "The selected file is empty"},
	} {
		res := pam.uploadFile(slot, tt.name, tt.data)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), tt.want) {
			t.Errorf("%q: %d %v", tt.data, res.StatusCode, res.errorSummary())
		}
	}
	if res := pam.uploadFile("no-such-slot", "a.pdf", testPDF); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown slot: %d", res.StatusCode)
	}
	big := append(append([]byte{}, testPDF...), make([]byte, assessment.MaxUploadBytes+2<<20)...)
	if res := pam.uploadFile(slot, "big.pdf", big); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "smaller than 25 MB") {
		t.Errorf("too large: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM submission_files`); n != 0 {
		t.Fatalf("%d bad files stored", n)
	}

	// Put right: within the limit, every document attached.
	pam.post("/assessment", draftForm(spec))
	for _, sl := range spec.DocumentSlots() {
		if res := pam.uploadFile(sl.Key(), "evidence.pdf", testPDF); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %v", res.StatusCode, res.errorSummary())
		}
	}
	var fileID int64
	a.pool.QueryRow(context.Background(), `SELECT min(id) FROM submission_files`).Scan(&fileID) //nolint:errcheck
	dl := pam.get("/assessment/files/" + strconv.FormatInt(fileID, 10))
	if dl.StatusCode != 200 || dl.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") || dl.Body != string(testPDF) {
		t.Errorf("download: %d %s %s", dl.StatusCode, dl.Header.Get("Content-Type"), dl.Header.Get("Content-Disposition"))
	}
	// Another participant cannot see it.
	if res := a.as(f.other).get("/assessment/files/" + strconv.FormatInt(fileID, 10)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another participant's file: %d", res.StatusCode)
	}
	res = pam.get("/assessment")
	if res.text("[data-testid=check-ok]") == "" {
		t.Fatalf("check: %s", res.text("[data-testid=findings]"))
	}
	// Submitting needs the confirmation.
	if res := pam.post("/assessment/submit", nil); res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 1 {
		t.Fatalf("unconfirmed submit: %d", res.StatusCode)
	}
	if res := pam.post("/assessment/submit", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	if _, stage := a.submission(f.enrolment); stage != "submitted" {
		t.Fatalf("stage %s", stage)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject LIKE 'Assessment submitted%'`, f.participant.Email); n != 1 {
		t.Errorf("%d confirmations", n)
	}
	// Final: no more changes.
	before := a.count(`SELECT count(*) FROM submission_texts WHERE body LIKE '%changed%'`)
	res = pam.post("/assessment", url.Values{"text-task-1": {"changed"}})
	pam.post("/assessment/files/"+strconv.FormatInt(fileID, 10)+"/remove", nil)
	if res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM submission_texts WHERE body LIKE '%changed%'`) != before ||
		a.count(`SELECT count(*) FROM submission_files WHERE removed_at IS NOT NULL`) != 0 {
		t.Error("a submitted assessment changed")
	}
	if pam.get("/home").text("[data-testid=assessment-due]") != "" {
		t.Error("home still asks for a submitted assessment")
	}
	res = pam.get("/assessment")
	if res.text("[data-testid=submitted]") == "" || !strings.Contains(res.Body, fmt.Sprint(id)) && res.text("[data-testid=stage]") != "Submitted: being marked" {
		t.Errorf("after submitting: %s", res.text("main"))
	}
}

func TestExtensionsAndDeadlines(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	// The deadline passes.
	today := a.today()
	if _, err := a.pool.Exec(context.Background(), `UPDATE cohorts SET starts_on = $1, study_ends_on = $2, assessment_opens_on = $2, assessment_closes_on = $3 WHERE course_id = $4`,
		today.AddDate(0, -3, 0), today.AddDate(0, -2, 0), today.AddDate(0, 0, -1), f.courseID); err != nil {
		t.Fatal(err)
	}
	pam.post("/assessment", draftForm(spec))
	for _, sl := range spec.DocumentSlots() {
		pam.uploadFile(sl.Key(), "d.pdf", testPDF)
	}
	pam.post("/assessment/submit", url.Values{"confirm": {"yes"}})
	if _, stage := a.submission(f.enrolment); stage != "draft" {
		t.Fatal("submitted after the deadline")
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	path := "/admin/enrolments/" + strconv.FormatInt(f.enrolment, 10) + "/extension"
	if res := admin.post(path, url.Values{"deadline-day": {"1"}, "deadline-month": {"1"}, "deadline-year": {"2020"}}); res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 2 {
		t.Fatalf("past deadline, no reason: %d %v", res.StatusCode, res.errorSummary())
	}
	next := today.AddDate(0, 0, 7)
	res := admin.post(path, url.Values{"deadline-day": {strconv.Itoa(next.Day())}, "deadline-month": {strconv.Itoa(int(next.Month()))}, "deadline-year": {strconv.Itoa(next.Year())}, "reason": {"Bereavement"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("extend: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := pam.post("/assessment/submit", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	if _, stage := a.submission(f.enrolment); stage != "submitted" {
		t.Fatalf("with an extension: %s", stage)
	}
	if !strings.Contains(pam.get("/assessment").text("[data-testid=window]"), "extended") {
		t.Error("the participant is not told of the extension")
	}
}

// marker is an assessor account, optionally working for a delivery partner.
func (a *testApp) marker(email string, partner int64) auth.User {
	a.t.Helper()
	u := a.user(email, auth.RoleAssessor, nil)
	if partner != 0 {
		a.pool.Exec(context.Background(), `INSERT INTO marker_affiliations (user_id, delivery_partner_id) VALUES ($1, $2)`, u.ID, partner) //nolint:errcheck
	}
	return u
}

func allMarks(spec assessment.Spec, version string, action string, notMet ...string) url.Values {
	form := url.Values{"version": {version}, "action": {action}, "feedback": {"Well argued throughout."}}
	for _, c := range spec.Criteria {
		j := "met"
		for _, n := range notMet {
			if c.Code == n {
				j = "not_met"
			}
		}
		form.Set("j-"+c.Key(), j)
		form.Set("c-"+c.Key(), "Marker note on "+c.Code)
	}
	return form
}

func version(res *testResponse) string {
	v, _ := res.Doc.Find("input[name=version]").Attr("value")
	return v
}

func TestMarkingModerationAndRelease(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	id := a.submitted(f, spec, pam)
	sid := strconv.FormatInt(id, 10)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	own := a.marker("own@markers.test", f.partnerID)
	first := a.marker("first@markers.test", f.partner2)
	second := a.marker("second@markers.test", 0)
	moderator := a.marker("moderator@markers.test", 0)

	// Never a marker from the participant's own delivery partner.
	res := admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"first"}, "marker": {fmt.Sprint(own.ID)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "works for the participant's delivery partner") {
		t.Fatalf("own-partner marker: %d %v", res.StatusCode, res.errorSummary())
	}
	// Second markers wait for a sampled submission.
	if res := admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"second"}, "marker": {fmt.Sprint(second.ID)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("second marker before first marking: %d", res.StatusCode)
	}
	// Automatic allocation skips the conflicted marker and spreads the load.
	if res := admin.post("/admin/assessment/auto-allocate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM allocations WHERE submission_id = $1 AND marker_id = $2`, id, own.ID); n != 0 {
		t.Fatal("auto-allocation chose the participant's own partner's marker")
	}
	if res := admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"first"}, "marker": {fmt.Sprint(first.ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("allocate: %d %v", res.StatusCode, res.errorSummary())
	}
	if _, stage := a.submission(f.enrolment); stage != "in_marking" {
		t.Fatalf("stage %s", stage)
	}

	// Anonymous: the marker sees the candidate number, never the name.
	fm := a.as(first)
	var candidate string
	a.pool.QueryRow(context.Background(), `SELECT candidate_number FROM submissions WHERE id = $1`, id).Scan(&candidate) //nolint:errcheck
	list := fm.get("/marking")
	sheet := fm.get("/marking/" + sid + "/first")
	if !strings.Contains(list.Body, candidate) || sheet.StatusCode != 200 {
		t.Fatalf("marking pages: %d", sheet.StatusCode)
	}
	for _, page := range []*testResponse{list, sheet} {
		for _, secret := range []string{f.participant.Name, f.participant.Email, "Riverside"} {
			if strings.Contains(page.Body, secret) {
				t.Errorf("a marking page shows %q", secret)
			}
		}
	}
	// Other assessors see nothing of it.
	for _, path := range []string{"/marking/" + sid + "/first", "/marking/" + sid + "/second"} {
		if res := a.as(second).get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s for an unallocated assessor: %d", path, res.StatusCode)
		}
	}
	if res := a.as(second).post("/marking/"+sid+"/first", allMarks(spec, "0", "complete")); res.StatusCode != http.StatusNotFound {
		t.Errorf("unallocated marker saving: %d", res.StatusCode)
	}

	// Drafts save; completing needs every judgement; a stale page cannot overwrite.
	v := version(sheet)
	draft := allMarks(spec, v, "save")
	draft.Del("j-" + spec.Criteria[0].Key())
	if res := fm.post("/marking/"+sid+"/first", draft); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save draft: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := fm.post("/marking/"+sid+"/first", allMarks(spec, v, "complete", "1.3.1")); res.StatusCode != http.StatusSeeOther ||
		a.count(`SELECT count(*) FROM marks WHERE submission_id = $1 AND judgement = 'not_met'`, id) != 0 {
		t.Fatal("a stale page overwrote newer marks")
	}
	incomplete := draft
	incomplete.Set("version", version(fm.get("/marking/"+sid+"/first")))
	incomplete.Set("action", "complete")
	fm.post("/marking/"+sid+"/first", incomplete)
	if _, stage := a.submission(f.enrolment); stage != "in_marking" {
		t.Fatal("marking completed with a criterion unjudged")
	}
	if res := fm.post("/marking/"+sid+"/first", url.Values{"version": {"x"}, "action": {"save"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed version: %d", res.StatusCode)
	}
	bad := allMarks(spec, version(fm.get("/marking/"+sid+"/first")), "save")
	bad.Set("j-"+spec.Criteria[0].Key(), "excellent")
	if res := fm.post("/marking/"+sid+"/first", bad); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("off-scale judgement: %d", res.StatusCode)
	}
	// One criterion not met: a fail, so it is sampled for second marking.
	res = fm.post("/marking/"+sid+"/first", allMarks(spec, version(fm.get("/marking/"+sid+"/first")), "complete", "1.3.1"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", res.StatusCode)
	}
	if _, stage := a.submission(f.enrolment); stage != "moderation" {
		t.Fatalf("a fail is not sampled: %s", stage)
	}
	if res := fm.post("/marking/"+sid+"/first", allMarks(spec, version(fm.get("/marking/"+sid+"/first")), "save")); res.StatusCode != http.StatusSeeOther ||
		a.count(`SELECT count(*) FROM marks WHERE submission_id = $1 AND role = 'first' AND judgement = 'not_met'`, id) != 1 {
		t.Error("completed first marks changed")
	}
	if res := admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"first"}, "marker": {fmt.Sprint(second.ID)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reallocating completed first marking: %d", res.StatusCode)
	}
	if res := admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"second"}, "marker": {fmt.Sprint(first.ID)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("first marker as second marker: %d", res.StatusCode)
	}
	admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"second"}, "marker": {fmt.Sprint(second.ID)}})
	sm := a.as(second)
	page := sm.get("/marking/" + sid + "/second")
	if strings.Contains(page.Body, "Marker note on 1.3.1") {
		t.Error("the second marker sees the first marker's marks")
	}
	// The second marker disagrees on 1.3.1: a moderator decides.
	sm.post("/marking/"+sid+"/second", allMarks(spec, version(page), "complete"))
	if _, stage := a.submission(f.enrolment); stage != "moderation" {
		t.Fatalf("disagreement resolved without a moderator: %s", stage)
	}
	admin.post("/admin/assessment/"+sid+"/allocate", url.Values{"role": {"moderator"}, "marker": {fmt.Sprint(moderator.ID)}})
	mm := a.as(moderator)
	page = mm.get("/marking/" + sid + "/moderator")
	if n := page.Doc.Find("[data-testid=criterion]").Length(); n != 1 || !strings.Contains(page.text("[data-testid=criterion]"), "1.3.1") {
		t.Fatalf("moderator sees %d criteria", n)
	}
	res = mm.post("/marking/"+sid+"/moderator", url.Values{"version": {version(page)}, "action": {"complete"}, "j-" + spec.Criteria[0].Key(): {"met"}, "feedback": {"Moderated."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("moderate: %d", res.StatusCode)
	}
	var passed bool
	a.pool.QueryRow(context.Background(), `SELECT passed FROM submissions WHERE id = $1`, id).Scan(&passed) //nolint:errcheck
	if _, stage := a.submission(f.enrolment); stage != "ready" || !passed {
		t.Fatalf("after moderation: %s passed=%v", stage, passed)
	}
	// All marks and comments are kept.
	if n := a.count(`SELECT count(*) FROM marks WHERE submission_id = $1`, id); n != 2*len(spec.Criteria)+1 {
		t.Errorf("%d marks kept", n)
	}
	if pam.get("/assessment").text("[data-testid=outcome]") != "" {
		t.Fatal("the outcome shows before release")
	}

	// Release.
	if res := admin.post("/admin/assessment/release", url.Values{"release": {"x"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed release: %d", res.StatusCode)
	}
	if res := admin.post("/admin/assessment/release", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty release: %d", res.StatusCode)
	}
	// Releasing is checked first: who, and what it does. Nothing changes until confirmed.
	mail := a.count(`SELECT count(*) FROM outbox`)
	check := admin.post("/admin/assessment/release", url.Values{"release": {sid}})
	if check.StatusCode != http.StatusOK || !strings.Contains(check.text("[data-testid=release-batch]"), f.participant.Name) {
		t.Fatalf("release check: %d %v", check.StatusCode, check.errorSummary())
	}
	if got := check.text("[data-testid=consequences]"); !strings.Contains(got, "1 person sees their outcome") || !strings.Contains(got, "DfE will be told the outcome: 1 passed, 0 failed.") {
		t.Errorf("release consequences: %q", got)
	}
	if got := check.text("[data-testid=confirm]"); got != "Release 1 outcome" {
		t.Errorf("confirm button %q", got)
	}
	if _, stage := a.submission(f.enrolment); stage != "ready" || a.count(`SELECT count(*) FROM outbox`) != mail {
		t.Fatalf("checking the release changed things: %s", stage)
	}
	if back := admin.post("/admin/assessment/release", url.Values{"release": {sid}, "change": {"yes"}}); back.StatusCode != http.StatusOK ||
		back.Doc.Find(`input[name=release][value="`+sid+`"][checked]`).Length() != 1 {
		t.Errorf("Change: %d, the outcome is not ticked", back.StatusCode)
	}
	if res := admin.post("/admin/assessment/release", url.Values{"release": {sid}, "confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", res.StatusCode)
	}
	if got := admin.get("/admin/assessment").text("[data-testid=flash] .govuk-notification-banner__heading"); got != "Released 1 outcome" {
		t.Errorf("flash %q", got)
	}
	if n := a.count(`SELECT count(*) FROM enrolments WHERE id = $1 AND status = 'completed'`, f.enrolment); n != 1 {
		t.Error("a pass did not complete the enrolment")
	}
	if n := a.count(`SELECT count(*) FROM submissions WHERE id = $1 AND dfe_outcome = 'passed'`, id); n != 1 {
		t.Error("no DfE outcome")
	}
	if res := admin.post("/admin/assessment/release", url.Values{"release": {sid}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(strings.Join(res.errorSummary(), ""), "is not ready for release") {
		t.Errorf("checking a released outcome again: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := admin.post("/admin/assessment/release", url.Values{"release": {sid}, "confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM enrolment_status_history WHERE enrolment_id = $1 AND status = 'completed'`, f.enrolment) != 1 {
		t.Error("releasing twice changed something")
	}
	out := pam.get("/assessment")
	if !strings.Contains(out.text("[data-testid=outcome]"), "You passed") || !strings.Contains(out.text("[data-testid=judgements]"), "Marker note on 2.3.1") ||
		!strings.Contains(out.text("main"), "Moderated.") {
		t.Errorf("participant outcome: %s", out.text("main"))
	}
	if res := admin.get("/admin/assessment/reports"); !strings.Contains(res.text("[data-testid=agreement]"), "Test assessor") || !strings.Contains(res.text("[data-testid=by-partner]"), "Riverside Hub") {
		t.Errorf("reports: %s", res.text("main"))
	}
	if res := admin.get("/admin/assessment?stage=nonsense"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad stage filter: %d", res.StatusCode)
	}
}

// Two markers saving the same sheet at once: one wins, the other is told; nothing is lost silently.
func TestConcurrentMarkSaves(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	id := a.submitted(f, spec, a.as(f.participant))
	m := a.marker("first@markers.test", 0)
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider}
	ctx := context.Background()
	if err := st.Allocate(ctx, id, assessment.RoleFirst, m.ID, 0); err != nil {
		t.Fatal(err)
	}
	sheet, _ := st.Sheet(ctx, id, assessment.RoleFirst)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			j := assessment.Met
			if i%2 == 1 {
				j = assessment.NotMet
			}
			marks := map[string]assessment.Mark{}
			for _, c := range spec.Criteria {
				marks[c.Key()] = assessment.Mark{Judgement: j, Comment: fmt.Sprint("writer ", i)}
			}
			errs[i] = st.SaveSheet(ctx, id, assessment.RoleFirst, m.ID, assessment.SheetInput{Marks: marks, Version: sheet.Version}, a.now())
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, assessment.ErrStale):
		default:
			t.Fatal(err)
		}
	}
	after, _ := st.Sheet(ctx, id, assessment.RoleFirst)
	if ok != 1 || after.Version != sheet.Version+1 || a.count(`SELECT count(DISTINCT comment) FROM marks WHERE submission_id = $1`, id) != 1 {
		t.Errorf("%d saves succeeded; version %d -> %d", ok, sheet.Version, after.Version)
	}
}

func TestResubmissionAfterAFail(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	id := a.submitted(f, spec, pam)
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider}
	ctx := context.Background()
	m1, m2 := a.marker("m1@markers.test", 0), a.marker("m2@markers.test", 0)
	fail := func(id int64) {
		t.Helper()
		marks := map[string]assessment.Mark{}
		for _, c := range spec.Criteria {
			marks[c.Key()] = assessment.Mark{Judgement: assessment.Met}
		}
		marks[spec.Criteria[0].Key()] = assessment.Mark{Judgement: assessment.NotMet, Comment: "Not evidenced."}
		for _, x := range []struct {
			role string
			m    auth.User
		}{{assessment.RoleFirst, m1}, {assessment.RoleSecond, m2}} {
			if err := st.Allocate(ctx, id, x.role, x.m.ID, 0); err != nil {
				t.Fatal(err)
			}
			sh, _ := st.Sheet(ctx, id, x.role)
			if err := st.SaveSheet(ctx, id, x.role, x.m.ID, assessment.SheetInput{Marks: marks, Version: sh.Version, Complete: true}, a.now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Release(ctx, []int64{id}, 0, a.now()); err != nil {
			t.Fatal(err)
		}
	}
	fail(id)
	res := pam.get("/assessment")
	if !strings.Contains(res.text("[data-testid=outcome]"), "criterion "+spec.Criteria[0].Code+" was judged not met") {
		t.Fatalf("fail outcome: %s", res.text("main"))
	}
	if a.count(`SELECT count(*) FROM enrolments WHERE id = $1 AND status = 'active'`, f.enrolment) != 1 ||
		a.count(`SELECT count(*) FROM submissions WHERE id = $1 AND dfe_outcome = 'failed'`, id) != 1 {
		t.Error("a fail changed the enrolment or lacks its DfE outcome")
	}
	if res := pam.post("/assessment/start", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	id2, stage := a.submission(f.enrolment)
	if id2 == id || stage != "draft" || a.count(`SELECT count(*) FROM submission_texts WHERE submission_id = $1`, id2) != len(spec.Tasks) {
		t.Fatalf("resubmission: %d %s", id2, stage)
	}
	for _, sl := range spec.DocumentSlots() {
		pam.uploadFile(sl.Key(), "d.pdf", testPDF)
	}
	pam.post("/assessment/submit", url.Values{"confirm": {"yes"}})
	fail(id2)
	// Two attempts is the course's limit.
	pam.post("/assessment/start", nil)
	if n := a.count(`SELECT count(*) FROM submissions WHERE enrolment_id = $1`, f.enrolment); n != 2 {
		t.Errorf("%d attempts", n)
	}
}

// The admins' and markers' lists run the same number of queries however many submissions there are.
func TestAssessmentListsQueryCountIsBounded(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	ctx := context.Background()
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider}
	s := programme.Store{DB: a.pool}
	m := a.marker("first@markers.test", 0)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	mc := a.as(m)
	submit := func(enrolment int64) {
		t.Helper()
		id, err := st.StartAttempt(ctx, enrolment, a.now())
		if err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{}
		for k, v := range draftForm(spec) {
			texts[strings.TrimPrefix(k, "text-")] = v[0]
		}
		if err := st.SaveDraft(ctx, id, texts); err != nil {
			t.Fatal(err)
		}
		for _, sl := range spec.DocumentSlots() {
			if err := st.AddFile(ctx, id, sl.Key(), "d.pdf", "application/pdf", testPDF); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Submit(ctx, id, a.now()); err != nil {
			t.Fatal(err)
		}
	}
	submit(f.enrolment)
	st.AutoAllocate(ctx, 0)                  //nolint:errcheck
	a.queriesFor(admin, "/admin/assessment") // the first view fills what the app keeps for a minute (the cohort filter)
	adminBefore, _ := a.queriesFor(admin, "/admin/assessment")
	markerBefore, _ := a.queriesFor(mc, "/marking")
	for i := range 10 {
		id, err := s.Enrol(ctx, enrolIn(fmt.Sprintf("many%d@school.test", i), f.cohort2), 0, a.ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		submit(id)
	}
	if done, _, err := st.AutoAllocate(ctx, 0); err != nil || done != 10 {
		t.Fatalf("auto-allocated %d: %v", done, err)
	}
	adminAfter, res := a.queriesFor(admin, "/admin/assessment")
	markerAfter, list := a.queriesFor(mc, "/marking")
	if res.Doc.Find(`[data-testid="submissions"] tbody tr`).Length() != 11 || list.Doc.Find(`[data-testid="allocated"] tbody tr`).Length() != 11 {
		t.Fatal("not every submission is listed")
	}
	t.Logf("admin list %d queries, marker list %d", adminAfter, markerAfter)
	if adminAfter != adminBefore || markerAfter != markerBefore || adminAfter > 12 {
		t.Errorf("admin list: %d queries with 1, %d with 11; marker list: %d, %d", adminBefore, adminAfter, markerBefore, markerAfter)
	}
}

func TestAssessmentSettingsAndAssessorPartners(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	path := fmt.Sprintf("/admin/courses/%d/assessment", f.courseID)
	if res := admin.get(path); res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	for _, bad := range []url.Values{{"attempts": {"0"}, "sample": {"20"}}, {"attempts": {"two"}, "sample": {"20"}}, {"attempts": {"2"}, "sample": {"101"}}} {
		if res := admin.post(path, bad); res.StatusCode != http.StatusUnprocessableEntity || len(res.errorSummary()) != 1 {
			t.Errorf("%v: %d %v", bad, res.StatusCode, res.errorSummary())
		}
	}
	if res := admin.post(path, url.Values{"attempts": {"1"}, "sample": {"100"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM courses WHERE id = $1 AND assessment_attempts = 1 AND sample_percent = 100 AND NOT no_own_partner_markers`, f.courseID); n != 1 {
		t.Fatal("settings not saved")
	}
	admin.post(path, url.Values{"attempts": {"1"}, "sample": {"100"}, "no_own_partner": {"yes"}})

	// An assessor recorded as working for the participant's partner is not allocated.
	m := a.marker("m@markers.test", 0)
	if res := admin.post(fmt.Sprintf("/admin/assessment/assessors/%d", m.ID), url.Values{"partner": {"999999"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown partner: %d", res.StatusCode)
	}
	if res := admin.post(fmt.Sprintf("/admin/assessment/assessors/%d", f.participant.ID), url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a participant as assessor: %d", res.StatusCode)
	}
	if res := admin.post(fmt.Sprintf("/admin/assessment/assessors/%d", m.ID), url.Values{"partner": {fmt.Sprint(f.partnerID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	if !strings.Contains(admin.get("/admin/assessment/assessors").Body, "checked") {
		t.Error("the assessors page does not show the partner")
	}
	id := a.submitted(f, spec, a.as(f.participant))
	if res := admin.post(fmt.Sprintf("/admin/assessment/%d/allocate", id), url.Values{"role": {"first"}, "marker": {fmt.Sprint(m.ID)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("conflicted marker allocated: %d", res.StatusCode)
	}
	done := a.count(`SELECT count(*) FROM allocations`)
	admin.post("/admin/assessment/auto-allocate", nil)
	if a.count(`SELECT count(*) FROM allocations`) != done {
		t.Error("auto-allocation used the conflicted marker")
	}
}

// A moderator allocated early has nothing to decide until the second marker finishes.
func TestModeratorWaitsForTheSecondMarker(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	id := a.submitted(f, spec, a.as(f.participant))
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider}
	ctx := context.Background()
	m1, m2, mod := a.marker("m1@markers.test", 0), a.marker("m2@markers.test", 0), a.marker("mod@markers.test", 0)
	st.Allocate(ctx, id, assessment.RoleFirst, m1.ID, 0) //nolint:errcheck
	marks := map[string]assessment.Mark{}
	for _, c := range spec.Criteria {
		marks[c.Key()] = assessment.Mark{Judgement: assessment.NotMet}
	}
	if err := st.SaveSheet(ctx, id, assessment.RoleFirst, m1.ID, assessment.SheetInput{Marks: marks, Complete: true}, a.now()); err != nil {
		t.Fatal(err)
	}
	st.Allocate(ctx, id, assessment.RoleSecond, m2.ID, 0) //nolint:errcheck
	if err := st.Allocate(ctx, id, assessment.RoleModerator, mod.ID, 0); err != nil {
		t.Fatal(err)
	}
	page := a.as(mod).get(fmt.Sprintf("/marking/%d/moderator", id))
	if page.text("[data-testid=nothing-to-moderate]") == "" || page.Doc.Find("[data-testid=criterion]").Length() != 0 {
		t.Errorf("early moderator page: %s", page.text("main"))
	}
	err := st.SaveSheet(ctx, id, assessment.RoleModerator, mod.ID, assessment.SheetInput{Complete: true}, a.now())
	if _, ok := problem.As(err); !ok {
		t.Errorf("early moderation: %v", err)
	}
	if _, stage := a.submission(f.enrolment); stage != "moderation" {
		t.Errorf("stage %s", stage)
	}
}

// An admin can take on moderation themselves, but not marking.
func TestAdminModerates(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	id := a.submitted(f, spec, a.as(f.participant))
	provider, _ := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	st := assessment.Store{DB: a.pool, Provider: provider}
	ctx := context.Background()
	admin, me := a.signedIn(auth.RoleProviderAdmin)
	path := fmt.Sprintf("/admin/assessment/%d", id)
	if res := admin.post(path+"/allocate", url.Values{"role": {"first"}, "marker": {fmt.Sprint(me.ID)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("admin as first marker: %d", res.StatusCode)
	}
	m1, m2 := a.marker("m1@markers.test", 0), a.marker("m2@markers.test", 0)
	for i, m := range []auth.User{m1, m2} {
		role := []string{assessment.RoleFirst, assessment.RoleSecond}[i]
		if err := st.Allocate(ctx, id, role, m.ID, 0); err != nil {
			t.Fatal(err)
		}
		marks := map[string]assessment.Mark{}
		for _, c := range spec.Criteria {
			marks[c.Key()] = assessment.Mark{Judgement: assessment.Met}
		}
		if i == 0 {
			marks[spec.Criteria[1].Key()] = assessment.Mark{Judgement: assessment.NotMet}
		}
		sh, _ := st.Sheet(ctx, id, role)
		if err := st.SaveSheet(ctx, id, role, m.ID, assessment.SheetInput{Marks: marks, Version: sh.Version, Complete: true}, a.now()); err != nil {
			t.Fatal(err)
		}
	}
	if res := admin.get(path + "/moderate"); res.StatusCode != http.StatusNotFound {
		t.Errorf("moderating before allocation: %d", res.StatusCode)
	}
	if res := admin.post(path+"/allocate", url.Values{"role": {"moderator"}, "marker": {fmt.Sprint(me.ID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin as moderator: %d %v", res.StatusCode, res.errorSummary())
	}
	if admin.get(path).text("[data-testid=moderate]") == "" {
		t.Error("no link to moderate")
	}
	page := admin.get(path + "/moderate")
	if page.Doc.Find("[data-testid=criterion]").Length() != 1 {
		t.Fatalf("moderation page: %s", page.text("main"))
	}
	res := admin.post(path+"/moderate", url.Values{"version": {version(page)}, "action": {"complete"}, "j-" + spec.Criteria[1].Key(): {"not_met"}, "c-" + spec.Criteria[1].Key(): {"Agreed: not evidenced."}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("moderate: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var passed bool
	a.pool.QueryRow(ctx, `SELECT passed FROM submissions WHERE id = $1`, id).Scan(&passed) //nolint:errcheck
	if _, stage := a.submission(f.enrolment); stage != "ready" || passed {
		t.Errorf("after the admin's moderation: %s passed=%v", stage, passed)
	}
}
