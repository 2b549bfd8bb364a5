package frameworks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// seedsDir finds ../shared/seeds beside the checkout (CI clones main with shared/ beside it).
func seedsDir(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for dir != "/" {
		p := filepath.Join(dir, "shared", "seeds")
		if _, err := os.Stat(filepath.Join(p, "README.md")); err == nil {
			return p
		}
		dir = filepath.Dir(dir)
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("the source documents (shared/seeds) are not beside the checkout")
	}
	t.Skip("the source documents (shared/seeds) are not beside the checkout")
	return ""
}

var (
	pageNumberLine = regexp.MustCompile(`(?m)^\s*\d{1,3}\s*$`)
	tags           = regexp.MustCompile(`</?[a-z][^>]*>`)
	space          = regexp.MustCompile(`\s+`)
)

// normalise reduces text to what wording comparison needs: no tags, emphasis, bullet markers,
// page-number lines or hyphens, and single spaces.
func normalise(s string, source bool) string {
	if source {
		s = pageNumberLine.ReplaceAllString(s, " ")
		s = tags.ReplaceAllString(s, " ")
	}
	s = strings.NewReplacer("**", "", "•", " ", "●", " ", "-", "", "¹", "", "²", "").Replace(s)
	return strings.TrimSpace(space.ReplaceAllString(s, " "))
}

// pieces splits text into runs that appear in order in source, greedily taking the longest
// prefix found each time; after the first run, the rest must follow it within a page or so.
// A text printed whole is one piece; one split by a page break, or interleaved line by line
// with the other column of a two-column page, is several.
func pieces(text, source string) []string {
	var out []string
	for text != "" {
		if len(out) == 1 {
			at := strings.Index(source, out[0]) + len(out[0])
			source = source[at:min(len(source), at+4000)]
		}
		lo, hi := 0, len(text)
		for lo < hi { // longest prefix of text that occurs in source
			mid := (lo + hi + 1) / 2
			if strings.Contains(source, text[:mid]) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		if lo == 0 {
			return append(out, text) // not found at all
		}
		out = append(out, text[:lo])
		text = strings.TrimSpace(text[lo:])
	}
	return out
}

// Every statement, bullet, criterion and requirement appears word for word in its source
// document, whole or in the few pieces a page break or the other column split it into.
func TestEveryTextIsInItsSource(t *testing.T) {
	dir := seedsDir(t)
	lib := loadAll(t)
	sources := map[string]string{}
	for _, fw := range lib.Frameworks {
		if _, ok := sources[fw.Source]; !ok {
			b, err := os.ReadFile(filepath.Join(dir, fw.Source))
			if err != nil {
				t.Fatalf("%s: source %s: %v", fw.Slug, fw.Source, err)
			}
			sources[fw.Source] = normalise(string(b), true)
		}
		src := sources[fw.Source]
		checked, split := 0, 0
		for where, text := range allTexts(fw) {
			n := normalise(text, false)
			ps := pieces(n, src)
			checked++
			switch {
			case len(ps) == 1:
			case len(ps) <= 6 && shortest(ps[:len(ps)-1]) >= 12 && len(ps[len(ps)-1]) >= 5:
				split++
			default:
				t.Errorf("%s %s is not in %s as printed; its parts found: %q", fw.Slug, where, fw.Source, ps)
			}
		}
		t.Logf("%s: %d texts checked, %d reassembled from a split", fw.Slug, checked, split)
	}
}

func shortest(ps []string) int {
	n := 1 << 30
	for _, p := range ps {
		n = min(n, len(p))
	}
	return n
}
