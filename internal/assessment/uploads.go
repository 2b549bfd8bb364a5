package assessment

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// MaxUploadBytes is the largest supporting document accepted.
const MaxUploadBytes = 25 << 20

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
		for _, e := range exts {
			if e == ext {
				return detected, ""
			}
		}
		return "", "The selected file's name does not match its contents: it is a " + strings.ToUpper(exts[0][1:]) + " file"
	}
	if office, ok := officeParts[ext]; ok && detected == "application/zip" {
		z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			for _, f := range z.File {
				if f.Name == office.part {
					return office.contentType, ""
				}
			}
		}
		return "", "The selected file is not a real " + strings.ToUpper(ext[1:]) + " document"
	}
	if ext == ".csv" && strings.HasPrefix(detected, "text/plain") && utf8.Valid(data) {
		return "text/csv; charset=utf-8", ""
	}
	return "", "The selected file must be a " + AllowedTypes
}
