package assessment

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
)

// Markers judge work without knowing whose it is. A participant's file can give them away by
// its name, by the author recorded in its properties, or by a name typed into it. Markers are
// shown files by candidate number (NameForMarkers); Office documents lose the people in their
// properties (StripProperties); and a file that still has the participant's name in it is
// flagged (MentionsName) so they can take it out.

// emptyCoreProperties replaces an Office document's core properties (title, subject, creator,
// last modified by, dates): every element in them is optional.
const emptyCoreProperties = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
	`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
	`xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>`

// appIdentity matches the organisation and manager in an Office document's extended properties.
var appIdentity = regexp.MustCompile(`(?s)<(Company|Manager)>.*?</(?:Company|Manager)>`)

func isOffice(contentType string) bool {
	for _, o := range officeParts {
		if o.contentType == contentType {
			return true
		}
	}
	return false
}

// StripProperties returns an Office document (already passed by CheckUpload) without the
// people and organisation in its properties; its content parts are copied unchanged, still
// compressed. Other files are returned as they are.
func StripProperties(contentType string, data []byte) ([]byte, error) {
	if !isOffice(contentType) {
		return data, nil
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("assessment: strip properties: %w", err)
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, f := range z.File {
		var replaced []byte
		switch f.Name {
		case "docProps/core.xml":
			replaced = []byte(emptyCoreProperties)
		case "docProps/app.xml":
			b, err := readPart(f)
			if err != nil {
				return nil, err
			}
			replaced = appIdentity.ReplaceAll(b, []byte("<$1/>"))
		default:
			if err := w.Copy(f); err != nil {
				return nil, fmt.Errorf("assessment: strip properties: %w", err)
			}
			continue
		}
		pw, err := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err == nil {
			_, err = pw.Write(replaced)
		}
		if err != nil {
			return nil, fmt.Errorf("assessment: strip properties: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("assessment: strip properties: %w", err)
	}
	return out.Bytes(), nil
}

// readPart unpacks one part of an archive; archive/zip refuses more than the part declares,
// and CheckUpload has bounded what parts declare.
func readPart(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("assessment: open %s: %w", f.Name, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("assessment: read %s: %w", f.Name, err)
	}
	return b, nil
}

// MentionsName reports whether name appears in a file, ignoring case and spacing: in an
// Office document's XML parts (text, comments, properties), in a PDF's strings (its document
// information, however encoded) and its uncompressed text such as XMP metadata, or anywhere in
// the bytes of other files. Text inside compressed PDF streams is not searched.
func MentionsName(contentType string, data []byte, name string) bool {
	needle := fold([]byte(strings.ToLower(name)))
	if len(bytes.TrimSpace(needle)) < 3 {
		return false
	}
	needle = bytes.TrimSpace(needle)
	in := func(b []byte) bool { return bytes.Contains(fold(b), needle) }
	if isOffice(contentType) {
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return false
		}
		for _, f := range z.File {
			if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
				continue
			}
			if b, err := readPart(f); err == nil && in(b) {
				return true
			}
		}
		return false
	}
	if in(data) {
		return true
	}
	if contentType == "application/pdf" {
		found := false
		pdfStrings(data, func(s []byte) bool {
			found = in(s)
			return !found
		})
		return found
	}
	return false
}

// fold lower-cases ASCII letters and turns each run of white space into one space.
func fold(b []byte) []byte {
	out := make([]byte, 0, len(b))
	space := false
	for _, c := range b {
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f':
			if !space {
				out = append(out, ' ')
			}
			space = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		space = false
		out = append(out, c)
	}
	return out
}

// maxPDFString bounds the strings pdfStrings decodes: document information is short, and a
// bracket in binary data must not start a long scan.
const maxPDFString = 4096

// pdfStrings calls yield with each literal "(...)" and hex "<...>" string outside a PDF's
// streams, decoded to lower-case UTF-8 (from UTF-16 when it starts with a byte order mark),
// until yield returns false. Stream data is skipped: it is compressed, or it is plain text
// the search of the whole file already covers. Each byte is read a bounded number of times.
func pdfStrings(data []byte, yield func([]byte) bool) {
	for i := 0; i < len(data); i++ {
		var s []byte
		var end int
		switch {
		case data[i] == '(':
			s, end = pdfLiteral(data, i+1)
		case data[i] == '<' && i+1 < len(data) && data[i+1] != '<':
			s, end = pdfHex(data, i+1)
		case data[i] == 's' && bytes.HasPrefix(data[i:], []byte("stream")) && (i == 0 || !isLetter(data[i-1])):
			next := bytes.Index(data[i:], []byte("endstream"))
			if next < 0 {
				return
			}
			i += next + len("endstream") - 1
			continue
		default:
			continue
		}
		if s != nil && !yield(pdfText(s)) {
			return
		}
		// An unfinished string runs on to where the scan stopped: nothing inside it can
		// start another.
		i = max(i, end)
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// pdfLiteral decodes a literal string starting after its "(", returning it and the index of
// its closing ")", or nil and the index where it gave up when there is none within
// maxPDFString.
func pdfLiteral(data []byte, i int) ([]byte, int) {
	out := []byte{}
	depth := 0
	j := i
	for ; j < len(data) && j-i < maxPDFString; j++ {
		c := data[j]
		switch c {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return out, j
			}
			depth--
		case '\\':
			j++
			if j >= len(data) {
				return nil, j
			}
			switch e := data[j]; {
			case e >= '0' && e <= '7':
				v := 0
				for k := 0; k < 3 && j < len(data) && data[j] >= '0' && data[j] <= '7'; k++ {
					v = v*8 + int(data[j]-'0')
					j++
				}
				j--
				out = append(out, byte(v))
			case e == 'n' || e == 'r' || e == 't' || e == 'b' || e == 'f':
				out = append(out, ' ')
			case e == '\r' || e == '\n': // a line continuation
			default:
				out = append(out, e)
			}
			continue
		}
		out = append(out, c)
	}
	return nil, j
}

// pdfHex decodes a hex string starting after its "<", returning it and the index of its ">",
// or nil and the index of the first character that shows it is not one.
func pdfHex(data []byte, i int) ([]byte, int) {
	var digits []byte
	j := i
	for ; j < len(data) && j-i < 2*maxPDFString; j++ {
		c := data[j]
		switch {
		case c == '>':
			if len(digits)%2 == 1 {
				digits = append(digits, '0')
			}
			out := make([]byte, len(digits)/2)
			for k := range out {
				out[k] = unhex(digits[2*k])<<4 | unhex(digits[2*k+1])
			}
			return out, j
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f':
		case unhex(c) != 0xff:
			digits = append(digits, c)
		default:
			return nil, j - 1
		}
	}
	return nil, j
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// pdfText turns a PDF text string into lower-case UTF-8: UTF-16BE after a byte order mark,
// otherwise one character per byte.
func pdfText(s []byte) []byte {
	var runes []rune
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		units := make([]uint16, 0, len(s)/2)
		for k := 2; k+1 < len(s); k += 2 {
			units = append(units, uint16(s[k])<<8|uint16(s[k+1]))
		}
		runes = utf16.Decode(units)
	} else {
		runes = make([]rune, len(s))
		for k, c := range s {
			runes[k] = rune(c)
		}
	}
	for k, r := range runes {
		runes[k] = unicode.ToLower(r)
	}
	return []byte(string(runes))
}

// NameForMarkers sets each file's MarkerName: the candidate number, the document it was
// attached as and its number among that document's files, with the extension its checked
// content type has, as in C12345678-business-case-1.pdf. Files must be in upload order.
func NameForMarkers(candidate string, files []File) []File {
	seen := map[string]int{}
	for i := range files {
		doc := slug(files[i].Document())
		seen[doc]++
		files[i].MarkerName = fmt.Sprintf("%s-%s-%d%s", candidate, doc, seen[doc], extensionFor(files[i].ContentType))
	}
	return files
}

// slug is a document's name in lower case with hyphens for anything but letters and digits.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
	}
	if b.Len() == 0 {
		return "document"
	}
	return b.String()
}

// extensionFor is the extension of a content type CheckUpload accepts.
func extensionFor(contentType string) string {
	for ext, o := range officeParts {
		if o.contentType == contentType {
			return ext
		}
	}
	if exts, ok := sniffed[contentType]; ok {
		return exts[0]
	}
	if strings.HasPrefix(contentType, "text/csv") {
		return ".csv"
	}
	return ""
}
