package assessment_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"npq/internal/assessment"
)

func office(part string) []byte { return officeWith(part, 0, 0) }

// officeWith is an Office file with extra parts of zeros, each unpacking to partSize bytes.
func officeWith(part string, extraParts, partSize int) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create(part)
	w.Write([]byte("<xml/>")) //nolint:errcheck
	zeros := make([]byte, 1<<20)
	for i := range extraParts {
		w, _ := z.Create(fmt.Sprintf("word/media/part%d.bin", i))
		for left := partSize; left > 0; left -= len(zeros) {
			w.Write(zeros[:min(left, len(zeros))]) //nolint:errcheck
		}
	}
	z.Close()
	return b.Bytes()
}

// zip64Count marks an archive's end record as pointing to a 64-bit one with the real count.
func zip64Count(data []byte) []byte {
	end := bytes.LastIndex(data, []byte("PK\x05\x06"))
	data[end+8], data[end+9], data[end+10], data[end+11] = 0xff, 0xff, 0xff, 0xff
	return data
}

// Files are judged by their contents, not their names.
func TestCheckUpload(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	tests := []struct {
		name    string
		data    []byte
		want    string // content type, or "" when refused
		problem string
	}{
		{"budget.pdf", pdf, "application/pdf", ""},
		{"BUDGET.PDF", pdf, "application/pdf", ""},
		{"chart.png", png, "image/png", ""},
		{"plan.docx", office("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"risks.xlsx", office("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"talk.pptx", office("ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation", ""},
		{"data.csv", []byte("pupil,score\n1,5\n"), "text/csv; charset=utf-8", ""},
		{"empty.pdf", nil, "", "The selected file is empty"},
		{"budget.pdf", []byte("this is plain text pretending to be a PDF"), "", "must be a PDF"},
		{"budget.pdf", png, "", "does not match its contents: it is a PNG file"},
		{"plan.docx", office("xl/workbook.xml"), "", "is not a real DOCX document"},
		{"plan.docx", []byte("MZ\x90\x00 windows program"), "", "must be a PDF"},
		{"run.exe", []byte("MZ\x90\x00 windows program"), "", "must be a PDF"},
		{"page.html", []byte("<html><script>alert(1)</script></html>"), "", "must be a PDF"},
		{"bomb.docx", officeWith("word/document.xml", 1, 200<<20), "", "too large once unpacked"},
		{"bombs.docx", officeWith("word/document.xml", 3, 40<<20), "", "too large once unpacked"},
		{"parts.xlsx", officeWith("xl/workbook.xml", assessment.MaxOfficeParts, 1), "", "too many parts"},
		{"zip64.xlsx", zip64Count(officeWith("xl/workbook.xml", 0, 0)), "", "too many parts"},
		{"images.pptx", officeWith("ppt/presentation.xml", 20, 1<<20), "application/vnd.openxmlformats-officedocument.presentationml.presentation", ""},
		{"big.pdf", append(append([]byte{}, pdf...), make([]byte, assessment.MaxUploadBytes)...), "", "smaller than 25 MB"},
	}
	for _, tt := range tests {
		got, problem := assessment.CheckUpload(tt.name, tt.data)
		if got != tt.want || (tt.problem == "") != (problem == "") || !strings.Contains(problem, tt.problem) {
			t.Errorf("%s (%d bytes): got %q, %q; want %q, %q", tt.name, len(tt.data), got, problem, tt.want, tt.problem)
		}
	}
}

// File names are cut to their base name, cleaned of anything invisible or path-like, and
// shortened keeping their extension.
func TestCleanFileName(t *testing.T) {
	long := strings.Repeat("a", 300) + ".pdf"
	tests := []struct{ in, want string }{
		{"budget.pdf", "budget.pdf"},
		{"Zara's Budget (final).PDF", "Zara's Budget (final).PDF"},
		{`..\..\windows\evil.pdf`, "evil.pdf"},
		{"../../etc/passwd.pdf", "passwd.pdf"},
		{"C:\\Users\\zara\\plan.docx", "plan.docx"},
		{"bud\x00get\r\n.pdf", "budget.pdf"},
		{"invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"two\u2028lines\u0085.pdf", "twolines.pdf"},
		{"caf\xe9.pdf", "caf.pdf"},
		{"  plan.pdf  ", "plan.pdf"},
		{"plan.pdf.", "plan.pdf"},
		{"what?<>.pdf", "what___.pdf"},
		{".pdf", "pdf"},
		{"", "document"},
		{"/", "document"},
		{long, strings.Repeat("a", assessment.MaxFileNameLength-4) + ".pdf"},
		{strings.Repeat("é", 5000) + ".docx", strings.Repeat("é", assessment.MaxFileNameLength-5) + ".docx"},
		{"notes." + strings.Repeat("x", 200), "notes." + strings.Repeat("x", assessment.MaxFileNameLength-6)},
	}
	for _, tt := range tests {
		got := assessment.CleanFileName(tt.in)
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > assessment.MaxFileNameLength || !utf8.ValidString(got) {
			t.Errorf("%q: %d characters, valid %v", tt.in, n, utf8.ValidString(got))
		}
	}
}
