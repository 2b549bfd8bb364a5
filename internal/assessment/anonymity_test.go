package assessment_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"npq/internal/assessment"
)

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func zipOf(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i < len(parts); i += 2 {
		w, _ := z.Create(parts[i])
		w.Write([]byte(parts[i+1])) //nolint:errcheck
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func unzip(t *testing.T, data []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		out[f.Name] = string(b)
	}
	return out
}

// Office documents lose the people and organisation in their properties; nothing else changes.
func TestStripProperties(t *testing.T) {
	doc := `<w:document><w:body><w:t>My plan</w:t></w:body></w:document>`
	in := zipOf(t,
		"[Content_Types].xml", `<Types/>`,
		"word/document.xml", doc,
		"docProps/core.xml", `<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>Plan by Zara</dc:title><dc:creator>Zara Ahmed</dc:creator><cp:lastModifiedBy>Zara Ahmed</cp:lastModifiedBy></cp:coreProperties>`,
		"docProps/app.xml", `<?xml version="1.0"?><Properties><Application>Microsoft Office Word</Application><Company>Riverside Academy</Company><Manager>Head</Manager></Properties>`,
	)
	out, err := assessment.StripProperties(docxType, in)
	if err != nil {
		t.Fatal(err)
	}
	parts := unzip(t, out)
	if len(parts) != 4 || parts["word/document.xml"] != doc || parts["[Content_Types].xml"] != `<Types/>` {
		t.Errorf("content changed: %v", parts)
	}
	for _, p := range []string{"docProps/core.xml", "docProps/app.xml"} {
		for _, secret := range []string{"Zara", "Riverside", "Head"} {
			if strings.Contains(parts[p], secret) {
				t.Errorf("%s still has %q: %s", p, secret, parts[p])
			}
		}
	}
	if !strings.Contains(parts["docProps/core.xml"], "coreProperties") || !strings.Contains(parts["docProps/app.xml"], "Microsoft Office Word") {
		t.Errorf("properties parts broken: %v", parts)
	}
	// Other files are untouched.
	pdf := []byte("%PDF-1.4\n<< /Author (Zara) >>\n%%EOF")
	if got, err := assessment.StripProperties("application/pdf", pdf); err != nil || !bytes.Equal(got, pdf) {
		t.Errorf("PDF changed: %q %v", got, err)
	}
}

func utf16be(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u >> 8))
		b.WriteByte(byte(u))
	}
	return b.String()
}

// A file is flagged when the participant's name is in it, however the file writes it.
func TestMentionsName(t *testing.T) {
	tests := []struct {
		what        string
		contentType string
		data        []byte
		want        bool
	}{
		{"PDF author", "application/pdf", []byte("%PDF-1.4\n<< /Author (Zara Ahmed) >>"), true},
		{"PDF author in capitals, spaced", "application/pdf", []byte("%PDF-1.4\n<< /Author (ZARA   AHMED) >>"), true},
		{"PDF author in UTF-16", "application/pdf", []byte("%PDF-1.4\n<< /Author (\xfe\xff" + utf16be("Zara Ahmed") + ") >>"), true},
		{"PDF author in hex UTF-16", "application/pdf", []byte("%PDF-1.4\n<< /Author <FEFF005A 0061007200610020 0041 0068 006d 0065 0064> >>"), true},
		{"PDF author with escapes", "application/pdf", []byte("%PDF-1.4\n<< /Author (Zara\\040Ahm\\\ned) >>"), true},
		{"XMP creator", "application/pdf", []byte("%PDF-1.4\n<dc:creator><rdf:Seq><rdf:li>Zara Ahmed</rdf:li></rdf:Seq></dc:creator>"), true},
		{"PDF by someone else", "application/pdf", []byte("%PDF-1.4\n<< /Author (Sam Jones) /Creator (Zara's laptop) >>"), false},
		{"CSV", "text/csv; charset=utf-8", []byte("prepared by,zara ahmed\n"), true},
		{"Word comment", docxType, zipOf(t, "word/document.xml", "<w:t>Plan</w:t>", "word/comments.xml", `<w:comment w:author="Zara Ahmed"/>`), true},
		{"Word text", docxType, zipOf(t, "word/document.xml", "<w:t>By Zara Ahmed</w:t>"), true},
		{"Word image", docxType, zipOf(t, "word/document.xml", "<w:t>Plan</w:t>", "word/media/image1.png", "Zara Ahmed"), false},
		{"Word clean", docxType, zipOf(t, "word/document.xml", "<w:t>Plan</w:t>"), false},
	}
	for _, tt := range tests {
		if got := assessment.MentionsName(tt.contentType, tt.data, "Zara  Ahmed "); got != tt.want {
			t.Errorf("%s: got %v", tt.what, got)
		}
	}
	if assessment.MentionsName("application/pdf", []byte("%PDF-1.4 a b"), " ") {
		t.Error("an empty name matched")
	}
	if !assessment.MentionsName("application/pdf", []byte("%PDF-1.4\n<< /Author (Zo\xeb Ahmed) >>"), "Zoë Ahmed") {
		t.Error("a Latin-1 name did not match")
	}
	// Brackets that never close cost one pass, not one scan each.
	start := time.Now()
	assessment.MentionsName("application/pdf", bytes.Repeat([]byte("("), 4<<20), "Zara Ahmed")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("unclosed brackets took %s", d)
	}
}

// Markers see each file by candidate number, document and number.
func TestMarkerFileNames(t *testing.T) {
	s := assessment.Submission{CandidateNumber: "C12345678", Files: []assessment.File{
		{ID: 1, SlotKey: "npqh/5.3.2|Curriculum-led Budget", Name: "Zara budget.xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{ID: 2, SlotKey: "npqh/1.1.1|Business Case", Name: "Zara-business-case.pdf", ContentType: "application/pdf"},
		{ID: 3, SlotKey: "npqh/1.1.1|Business Case", Name: "photo.jpeg", ContentType: "image/jpeg"},
		{ID: 4, SlotKey: "npqh/2.1.1|Business Case", Name: "more.csv", ContentType: "text/csv; charset=utf-8"},
	}}
	want := []string{"C12345678-curriculum-led-budget-1.xlsx", "C12345678-business-case-1.pdf", "C12345678-business-case-2.jpg", "C12345678-business-case-3.csv"}
	for i, f := range assessment.NameForMarkers(s.CandidateNumber, s.Files) {
		if f.MarkerName != want[i] {
			t.Errorf("%s: %q, want %q", f.Name, f.MarkerName, want[i])
		}
	}
}
