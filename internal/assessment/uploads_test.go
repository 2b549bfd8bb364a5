package assessment_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"npq/internal/assessment"
)

func office(part string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create(part)
	w.Write([]byte("<xml/>")) //nolint:errcheck
	z.Close()
	return b.Bytes()
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
		{"big.pdf", append(append([]byte{}, pdf...), make([]byte, assessment.MaxUploadBytes)...), "", "smaller than 25 MB"},
	}
	for _, tt := range tests {
		got, problem := assessment.CheckUpload(tt.name, tt.data)
		if got != tt.want || (tt.problem == "") != (problem == "") || !strings.Contains(problem, tt.problem) {
			t.Errorf("%s (%d bytes): got %q, %q; want %q, %q", tt.name, len(tt.data), got, problem, tt.want, tt.problem)
		}
	}
}
