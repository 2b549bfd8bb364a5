package assessment

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxUploadBytes is the largest supporting document accepted.
const MaxUploadBytes = 25 << 20

// MaxStorageBytes is the room one submission's supporting documents may take up in all.
const MaxStorageBytes = 50 << 20

// MaxUnpackedBytes is the most an Office document may unpack to: its parts are compressed,
// and a small file that unpacks to hundreds of megabytes is an attack, not a document.
const MaxUnpackedBytes = 100 << 20

// MaxOfficeParts is the most parts an Office document may have.
const MaxOfficeParts = 2000

// MaxFileNameLength is the longest file name kept, in characters, extension included.
const MaxFileNameLength = 100

// QuotaProblem says why a file of size bytes cannot join documents already using used bytes
// of the submission's MaxStorageBytes, or "" when it fits.
func QuotaProblem(used, size int) string {
	if used+size <= MaxStorageBytes {
		return ""
	}
	left := max(MaxStorageBytes-used, 0)
	return fmt.Sprintf("Your supporting documents can use up to %d MB in all and %.1f MB is left: remove a file or upload a smaller one",
		MaxStorageBytes>>20, float64(left)/(1<<20))
}

// CleanFileName is the name a file is kept under: its base name only, valid UTF-8 without
// control, line-breaking or invisible formatting characters (a right-to-left override can
// disguise an extension), characters Windows refuses replaced, and at most MaxFileNameLength characters
// with the extension kept.
func CleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	ext := filepath.Ext(name)
	if utf8.RuneCountInString(ext) > 10 { // not an extension, just a dot in a long name
		ext = ""
	}
	base := []rune(strings.TrimSuffix(name, ext))
	if limit := MaxFileNameLength - utf8.RuneCountInString(ext); len(base) > limit {
		base = base[:limit]
	}
	if b := strings.TrimRight(string(base), " ."); b != "" {
		return b + ext
	}
	return "document" + ext
}

// AllowedTypes describes the documents accepted, for the upload hint.
const AllowedTypes = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV, PNG, JPEG or MP4, up to 25 MB"

// officeParts maps an Office file's extension to the part that every such file contains.
var officeParts = map[string]struct{ part, contentType string }{
	".docx": {"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".pptx": {"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
}

var sniffed = map[string][]string{ // detected type -> extensions it may carry
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"video/mp4":       {".mp4"},
}

// CheckUpload decides whether a file may be attached, judging it by its content and not only
// its name. It returns the content type to store and serve it with, or a problem to show.
func CheckUpload(name string, data []byte) (contentType, problem string) {
	switch {
	case len(data) == 0:
		return "", "The selected file is empty"
	case len(data) > MaxUploadBytes:
		return "", "The selected file must be smaller than 25 MB"
	}
	ext := strings.ToLower(filepath.Ext(name))
	detected := http.DetectContentType(data)
	if exts, ok := sniffed[detected]; ok {
		if slices.Contains(exts, ext) {
			return detected, ""
		}
		return "", "The selected file's name does not match its contents: it is a " + strings.ToUpper(exts[0][1:]) + " file"
	}
	if office, ok := officeParts[ext]; ok && detected == "application/zip" {
		kind := strings.ToUpper(ext[1:])
		// The count is checked before the archive's directory is read into memory as well as after.
		if n, ok := zipEntries(data); ok && n > MaxOfficeParts {
			return "", "The selected file has too many parts to be a real " + kind + " document"
		}
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return "", "The selected file is not a real " + kind + " document"
		}
		if len(z.File) > MaxOfficeParts {
			return "", "The selected file has too many parts to be a real " + kind + " document"
		}
		// Reading a part never yields more than its header declares (archive/zip checks), so
		// the declared sizes bound what the document unpacks to.
		var unpacked uint64
		found := false
		for _, f := range z.File {
			unpacked += min(f.UncompressedSize64, MaxUnpackedBytes+1)
			found = found || f.Name == office.part
		}
		if unpacked > MaxUnpackedBytes {
			return "", fmt.Sprintf("The selected file is too large once unpacked: a %s document must unpack to less than %d MB", kind, MaxUnpackedBytes>>20)
		}
		if found {
			return office.contentType, ""
		}
		return "", "The selected file is not a real " + kind + " document"
	}
	if ext == ".csv" && strings.HasPrefix(detected, "text/plain") && utf8.Valid(data) {
		return "text/csv; charset=utf-8", ""
	}
	return "", "The selected file must be a " + AllowedTypes
}

// zipEntries reads the number of entries a zip archive's end record declares; an archive in
// the 64-bit format, which no Office document of an accepted size needs, counts as too many.
func zipEntries(data []byte) (int, bool) {
	const endLen, maxComment = 22, 0xffff
	start := max(len(data)-endLen-maxComment, 0)
	i := bytes.LastIndex(data[start:], []byte("PK\x05\x06"))
	if i < 0 || start+i+endLen > len(data) {
		return 0, false
	}
	end := data[start+i:]
	n := int(binary.LittleEndian.Uint16(end[10:12]))
	if n == 0xffff {
		return MaxOfficeParts + 1, true
	}
	return n, true
}
