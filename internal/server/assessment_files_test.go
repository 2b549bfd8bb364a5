package server

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/problem"
)

// A save with no form in it is refused and leaves the draft as it was.
func TestDraftSaveWithoutAFormKeepsTheDraft(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	if res := pam.post("/assessment", draftForm(spec)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	pam.get("/assessment") // shows the flash
	id, _ := a.submission(f.enrolment)
	body := func() string {
		var b string
		a.pool.QueryRow(context.Background(), `SELECT string_agg(body, '|' ORDER BY task_key) FROM submission_texts WHERE submission_id = $1`, id).Scan(&b) //nolint:errcheck
		return b
	}
	before := body()
	for _, tt := range []struct{ contentType, body string }{
		{"", ""},
		{"application/x-www-form-urlencoded", ""},
		{"application/json", `{"text-task-1": "x"}`},
		{"text/plain", "text-task-1=x"},
		{"application/x-www-form-urlencoded", "text-task-99=x&other=y"},
	} {
		req, _ := http.NewRequest("POST", a.ts.URL+"/assessment", strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		res := pam.do(req)
		if res.StatusCode != http.StatusBadRequest || strings.Contains(res.Body, "draft is saved") {
			t.Errorf("%q %q: %d", tt.contentType, tt.body, res.StatusCode)
		}
		if body() != before {
			t.Fatalf("%q %q changed the draft", tt.contentType, tt.body)
		}
	}
}

// officeBomb is a .docx whose parts unpack to far more than it weighs.
func officeBomb(t *testing.T, unpacked int) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create("word/document.xml")
	w.Write([]byte("<xml/>")) //nolint:errcheck
	w, _ = z.Create("word/media/zeros.bin")
	zeros := make([]byte, 1<<20)
	for range unpacked >> 20 {
		w.Write(zeros) //nolint:errcheck
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Uploaded names are cleaned and shortened; archives that unpack to too much are refused.
func TestUploadNamesAndUnpackedSize(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	slot := spec.DocumentSlots()[0].Key()
	for _, tt := range []struct{ name, want string }{
		{`..\..\windows\evil.pdf`, "evil.pdf"},
		{strings.Repeat("n", 300) + ".pdf", strings.Repeat("n", assessment.MaxFileNameLength-4) + ".pdf"},
		{strings.Repeat("long name ", 500) + ".pdf", strings.TrimRight(strings.Repeat("long name ", 10)[:assessment.MaxFileNameLength-4], " ") + ".pdf"},
	} {
		if res := pam.uploadFile(slot, tt.name, testPDF); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload %q: %d %v", tt.name, res.StatusCode, res.errorSummary())
		}
		var got string
		a.pool.QueryRow(context.Background(), `SELECT file_name FROM submission_files ORDER BY id DESC LIMIT 1`).Scan(&got) //nolint:errcheck
		if got != tt.want {
			t.Errorf("%.40q stored as %q, want %q", tt.name, got, tt.want)
		}
	}
	before := a.count(`SELECT count(*) FROM submission_files`)
	res := pam.uploadFile(slot, "plan.docx", officeBomb(t, 200<<20))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "too large once unpacked") {
		t.Errorf("a zip bomb: %d %v", res.StatusCode, res.errorSummary())
	}
	if a.count(`SELECT count(*) FROM submission_files`) != before {
		t.Error("the zip bomb was stored")
	}
}

// A removed file's bytes are deleted; the record that it was there stays.
func TestRemovedFilesLeaveNoBytes(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	slot := spec.DocumentSlots()[0].Key()
	big := append(append([]byte{}, testPDF...), make([]byte, 1<<20)...)
	for range 4 {
		if res := pam.uploadFile(slot, "evidence.pdf", big); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %v", res.StatusCode, res.errorSummary())
		}
		var id int64
		a.pool.QueryRow(context.Background(), `SELECT max(id) FROM submission_files`).Scan(&id) //nolint:errcheck
		if res := pam.post(fmt.Sprintf("/assessment/files/%d/remove", id), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", res.StatusCode)
		}
		if res := pam.get(fmt.Sprintf("/assessment/files/%d", id)); res.StatusCode != http.StatusNotFound {
			t.Errorf("a removed file downloads: %d", res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM submission_files WHERE removed_at IS NOT NULL`); n != 4 {
		t.Errorf("%d removals recorded", n)
	}
	if n := a.count(`SELECT coalesce(sum(octet_length(data)), 0)::int FROM submission_files`); n != 0 {
		t.Errorf("%d bytes of removed files kept", n)
	}
}

// Each submission's documents share a quota; the upload that would pass it is refused clearly.
func TestUploadQuota(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	id, _ := a.submission(f.enrolment)
	slots := spec.DocumentSlots()
	// Most of the quota is already used (recorded sizes count, not the bytes stored here).
	if _, err := a.pool.Exec(context.Background(), `INSERT INTO submission_files (submission_id, slot_key, file_name, content_type, size, sha256, data)
		VALUES ($1, $2, 'earlier.pdf', 'application/pdf', $3, '', $4)`, id, slots[1].Key(), assessment.MaxStorageBytes-(2<<20), testPDF); err != nil {
		t.Fatal(err)
	}
	three := append(append([]byte{}, testPDF...), make([]byte, 3<<20)...)
	res := pam.uploadFile(slots[0].Key(), "three.pdf", three)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(res.errorSummary(), " "), "50 MB") {
		t.Errorf("over the quota: %d %v", res.StatusCode, res.errorSummary())
	}
	if n := a.count(`SELECT count(*) FROM submission_files`); n != 1 {
		t.Errorf("%d files after a refused upload", n)
	}
	if res := pam.uploadFile(slots[0].Key(), "small.pdf", testPDF); res.StatusCode != http.StatusSeeOther {
		t.Errorf("within the quota: %d %v", res.StatusCode, res.errorSummary())
	}
}

// Uploads at the same moment cannot together pass the quota.
func TestParallelUploadsKeepToTheQuota(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	id, _ := a.submission(f.enrolment)
	slots := spec.DocumentSlots()
	ctx := context.Background()
	if _, err := a.pool.Exec(ctx, `INSERT INTO submission_files (submission_id, slot_key, file_name, content_type, size, sha256, data)
		VALUES ($1, $2, 'earlier.pdf', 'application/pdf', $3, '', $4)`, id, slots[1].Key(), assessment.MaxStorageBytes-(10<<20), testPDF); err != nil {
		t.Fatal(err)
	}
	six := append(append([]byte{}, testPDF...), make([]byte, 6<<20)...)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = a.srv.assessment.AddFile(ctx, id, slots[0].Key(), "six.pdf", "application/pdf", six) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var p problem.Problem
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &p):
			t.Errorf("unexpected: %v", err)
		}
	}
	used := a.count(`SELECT sum(size)::int FROM submission_files WHERE submission_id = $1 AND removed_at IS NULL`, id)
	if ok != 1 || used > assessment.MaxStorageBytes {
		t.Errorf("%d uploads stored, %d bytes used", ok, used)
	}
}

// pdfBy is a PDF whose document information names its author.
func pdfBy(author string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Author (" + author + ") /Creator (Microsoft Word) >> endobj\n" +
		"trailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n")
}

// docxBy is a Word document whose core properties name its author.
func docxBy(t *testing.T, author string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Budget plan</w:t></w:r></w:p></w:body></w:document>`,
		"docProps/core.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			`<dc:creator>` + author + `</dc:creator><cp:lastModifiedBy>` + author + `</cp:lastModifiedBy></cp:coreProperties>`,
	} {
		w, _ := z.Create(name)
		w.Write([]byte(body)) //nolint:errcheck
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Markers and moderators see and download files named by candidate number and document, never
// as the participant named them; author details are stripped from Office documents, and a
// file that still names the participant is flagged to them and to admins.
func TestMarkersSeeFilesByCandidateNumber(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	ctx := context.Background()
	a.pool.Exec(ctx, `UPDATE users SET name = 'Zara Ahmed' WHERE id = $1`, f.participant.ID) //nolint:errcheck
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	if got := pam.get("/assessment").text("[data-testid=anonymity-warning]"); !strings.Contains(got, "name") {
		t.Errorf("no warning to keep names out of files: %q", got)
	}
	pam.post("/assessment", draftForm(spec))
	slots := spec.DocumentSlots()
	for i, sl := range slots {
		name, data := "Zara-"+sl.Document+".docx", docxBy(t, "Zara Ahmed")
		if i == 0 {
			name, data = "Zara-"+sl.Document+".pdf", pdfBy("ZARA AHMED")
		}
		if res := pam.uploadFile(sl.Key(), name, data); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload %s: %d %v", name, res.StatusCode, res.errorSummary())
		}
	}
	page := pam.get("/assessment")
	if n := page.Doc.Find("[data-testid=names-you]").Length(); n != 1 {
		t.Errorf("%d files flagged to the participant, want the PDF only", n)
	}
	if !strings.Contains(page.text("main"), "Zara-"+slots[0].Document+".pdf") {
		t.Error("the participant does not see their own file name")
	}
	if res := pam.post("/assessment/submit", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	id, _ := a.submission(f.enrolment)
	var candidate string
	a.pool.QueryRow(ctx, `SELECT candidate_number FROM submissions WHERE id = $1`, id).Scan(&candidate) //nolint:errcheck
	var pdfID, docxID int64
	a.pool.QueryRow(ctx, `SELECT min(id), max(id) FROM submission_files WHERE submission_id = $1`, id).Scan(&pdfID, &docxID) //nolint:errcheck

	m := a.marker("first@markers.test", 0)
	if err := a.srv.assessment.Allocate(ctx, id, assessment.RoleFirst, m.ID, 0); err != nil {
		t.Fatal(err)
	}
	mc := a.as(m)
	sheet := mc.get(fmt.Sprintf("/marking/%d/first", id))
	if strings.Contains(sheet.Body, "Zara") {
		t.Error("the marking page shows the participant's name")
	}
	slug := func(doc string) string { return strings.ToLower(strings.ReplaceAll(doc, " ", "-")) }
	want := candidate + "-" + slug(slots[0].Document) + "-1.pdf"
	if !strings.Contains(sheet.text("main"), want) {
		t.Errorf("marking page lacks %q: %s", want, sheet.text("main"))
	}
	for _, fid := range []int64{pdfID, docxID} {
		dl := mc.get(fmt.Sprintf("/assessment/files/%d", fid))
		if dl.StatusCode != 200 || strings.Contains(dl.Header.Get("Content-Disposition"), "Zara") || !strings.Contains(dl.Header.Get("Content-Disposition"), candidate+"-") {
			t.Errorf("marker's download %d: %d %s", fid, dl.StatusCode, dl.Header.Get("Content-Disposition"))
		}
		if fid == docxID && strings.Contains(unzipAll(t, dl.Body), "Zara") {
			t.Error("the Word document still names its author")
		}
	}
	if dl := mc.get(fmt.Sprintf("/assessment/files/%d", pdfID)); !strings.Contains(dl.Header.Get("Content-Disposition"), want) {
		t.Errorf("marker's PDF download: %s", dl.Header.Get("Content-Disposition"))
	}
	// The participant and admins keep the original name; admins see the flag.
	if dl := pam.get(fmt.Sprintf("/assessment/files/%d", pdfID)); !strings.Contains(dl.Header.Get("Content-Disposition"), "Zara-") {
		t.Errorf("participant's download: %s", dl.Header.Get("Content-Disposition"))
	}
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	if dl := admin.get(fmt.Sprintf("/assessment/files/%d", pdfID)); !strings.Contains(dl.Header.Get("Content-Disposition"), "Zara-") {
		t.Errorf("admin's download: %s", dl.Header.Get("Content-Disposition"))
	}
	if n := admin.get(fmt.Sprintf("/admin/assessment/%d", id)).Doc.Find("[data-testid=names-participant]").Length(); n != 1 {
		t.Errorf("%d files flagged to admins", n)
	}
}

// unzipAll is every part of a zip archive, joined.
func unzipAll(t *testing.T, data string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		out.Write(b)
	}
	if !strings.Contains(out.String(), "Budget plan") {
		t.Error("the document's content was lost")
	}
	return out.String()
}
