package frameworks_test

import (
	"fmt"
	"regexp"
	"testing"
)

// Editorial notes are public: they describe what was removed from a source without repeating
// the reviewers' annotations (a person's name among them) that the source happened to carry.
// The annotations are those the content check rejects (artefacts in load_test.go).
func TestEditorialNotesNameNobody(t *testing.T) {
	lib := loadAll(t)
	notes := map[string]string{}
	for _, fw := range lib.Frameworks {
		for i, n := range fw.Notes {
			notes[fmt.Sprintf("%s note %d", fw.Slug, i+1)] = n
		}
		for _, a := range fw.Areas {
			notes[fmt.Sprintf("%s area %d note", fw.Slug, a.Number)] = a.Note
		}
	}
	for _, q := range lib.Catalogue.Qualifications {
		notes[q.Code+" content note"] = q.ContentNote
	}
	var reviewerAnnotation *regexp.Regexp
	for _, a := range artefacts {
		if a.name == "reviewer annotation" {
			reviewerAnnotation = a.re
		}
	}
	if reviewerAnnotation == nil || len(notes) < 50 {
		t.Fatalf("nothing to check: %d notes", len(notes))
	}
	for where, note := range notes {
		if reviewerAnnotation.MatchString(note) {
			t.Errorf("%s repeats a reviewer's annotation: %q", where, note)
		}
	}
}
