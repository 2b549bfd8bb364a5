package frameworks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// FileError is a problem in one data file, at a line when known.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Load reads and validates catalogue.yaml and every other *.yaml file in fsys. Every
// problem found is returned, each naming its file and line.
func Load(fsys fs.FS) (Library, error) {
	var lib Library
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return lib, err
	}
	sort.Strings(names)
	h := sha256.New()
	var errs []error
	var catalogueLines lineIndex
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return lib, err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
		lines, err := decodeStrict(b, name, &lib, name == "catalogue.yaml")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if name == "catalogue.yaml" {
			catalogueLines = lines
			continue
		}
		fw := &lib.Frameworks[len(lib.Frameworks)-1]
		v := validator{file: name, lines: lines}
		v.framework(fw, strings.TrimSuffix(name, ".yaml"))
		errs = append(errs, v.errs...)
	}
	if catalogueLines == nil {
		errs = append(errs, FileError{File: "catalogue.yaml", Msg: "missing: the qualification catalogue is required"})
	} else {
		v := validator{file: "catalogue.yaml", lines: catalogueLines}
		v.catalogue(lib.Catalogue, lib.Frameworks)
		errs = append(errs, v.errs...)
	}
	lib.Hash = hex.EncodeToString(h.Sum(nil))
	return lib, errors.Join(errs...)
}

// decodeStrict decodes one file, refusing unknown fields and duplicate keys, and indexes the
// line of every value by its path (such as "areas[2].learn_that[0].text").
func decodeStrict(b []byte, name string, lib *Library, catalogue bool) (lineIndex, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, yamlError(name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var err error
	if catalogue {
		err = dec.Decode(&lib.Catalogue)
	} else {
		var fw Framework
		if err = dec.Decode(&fw); err == nil {
			lib.Frameworks = append(lib.Frameworks, fw)
		}
	}
	if err != nil {
		return nil, yamlError(name, err)
	}
	lines := lineIndex{}
	lines.add("", &root)
	return lines, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// yamlError turns yaml.v3's messages ("yaml: unmarshal errors:\n  line 4: field x not found")
// into one FileError per line.
func yamlError(name string, err error) error {
	var errs []error
	for _, m := range yamlLine.FindAllStringSubmatch(err.Error(), -1) {
		n, _ := strconv.Atoi(m[1])
		errs = append(errs, FileError{File: name, Line: n, Msg: strings.TrimSpace(m[2])})
	}
	if len(errs) == 0 {
		return FileError{File: name, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	return errors.Join(errs...)
}

// lineIndex maps value paths to their lines.
type lineIndex map[string]int

func (li lineIndex) add(p string, n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			li.add(p, c)
		}
		return
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			child := k
			if p != "" {
				child = p + "." + k
			}
			li[child] = n.Content[i].Line
			li.add(child, n.Content[i+1])
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			child := fmt.Sprintf("%s[%d]", p, i)
			li[child] = c.Line
			li.add(child, c)
		}
	}
	if _, ok := li[p]; !ok {
		li[p] = n.Line
	}
}

// line returns the line of p, or of its nearest parent that has one.
func (li lineIndex) line(p string) int {
	for p != "" {
		if n, ok := li[p]; ok {
			return n
		}
		if i := strings.LastIndexAny(p, ".["); i >= 0 {
			p = p[:i]
		} else {
			break
		}
	}
	return 1
}

type validator struct {
	file  string
	lines lineIndex
	errs  []error
}

func (v *validator) fail(p, format string, args ...any) {
	v.errs = append(v.errs, FileError{File: v.file, Line: v.lines.line(p), Msg: fmt.Sprintf(format, args...)})
}

// text checks one piece of framework text.
func (v *validator) text(p, s string) {
	switch {
	case strings.TrimSpace(s) == "":
		v.fail(p, "%s is empty", p)
	case s != strings.TrimSpace(s):
		v.fail(p, "%s has white space at its start or end", p)
	case strings.ContainsAny(s, "\n\t"):
		v.fail(p, "%s has a line break or tab: join it into one line", p)
	case strings.Contains(s, "  "):
		v.fail(p, "%s has a double space", p)
	}
}

func (v *validator) texts(p string, ss []string) {
	for i, s := range ss {
		v.text(fmt.Sprintf("%s[%d]", p, i), s)
	}
}

var (
	slugPattern      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	criterionPattern = regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	taskKeyPattern   = regexp.MustCompile(`^(part|task)-[a-z0-9]+$`)
)

func (v *validator) framework(fw *Framework, wantSlug string) {
	if fw.Slug != wantSlug {
		v.fail("slug", "slug %q does not match the file name (want %q)", fw.Slug, wantSlug)
	} else if !slugPattern.MatchString(fw.Slug) {
		v.fail("slug", "slug %q must be lower-case words joined by hyphens", fw.Slug)
	}
	for _, f := range []struct{ p, s string }{{"qualification", fw.Qualification}, {"title", fw.Title}, {"edition", fw.Edition}, {"source", fw.Source}} {
		v.text(f.p, f.s)
	}
	if fw.Description != "" {
		v.text("description", fw.Description)
	}
	v.texts("notes", fw.Notes)
	if len(fw.Areas) == 0 {
		v.fail("areas", "a framework needs at least one area")
	}
	for i, a := range fw.Areas {
		p := fmt.Sprintf("areas[%d]", i)
		if a.Number != i+1 {
			v.fail(p+".number", "area number %d is out of sequence: expected %d", a.Number, i+1)
		}
		v.text(p+".title", a.Title)
		v.texts(p+".introduction", a.Introduction)
		if a.Note != "" {
			v.text(p+".note", a.Note)
		}
	}
	switch fw.Kind {
	case KindReformed:
		v.reformed(fw)
	case KindCAF2019:
		v.caf(fw)
	default:
		v.fail("kind", "kind must be %q or %q, not %q", KindReformed, KindCAF2019, fw.Kind)
	}
}

func (v *validator) reformed(fw *Framework) {
	if len(fw.LeadershipBehaviours) > 0 {
		v.fail("leadership_behaviours", "leadership behaviours belong to 2019 frameworks only")
	}
	if fw.Assessment != nil {
		v.fail("assessment", "assessment belongs to 2019 frameworks only")
	}
	for i, a := range fw.Areas {
		p := fmt.Sprintf("areas[%d]", i)
		if len(a.Rows) > 0 {
			v.fail(p+".rows", "rows belong to 2019 frameworks: use learn_that and learn_how_to")
		}
		for j, s := range a.LearnThat {
			q := fmt.Sprintf("%s.learn_that[%d]", p, j)
			if s.Number != j+1 {
				v.fail(q+".number", "learn-that number %d in area %d is out of sequence: expected %d (a gap or a repeat)", s.Number, a.Number, j+1)
			}
			v.text(q+".text", s.Text)
			v.texts(q+".bullets", s.Bullets)
		}
		for j, h := range a.LearnHowTo {
			q := fmt.Sprintf("%s.learn_how_to[%d]", p, j)
			if h.Number != j+1 {
				v.fail(q+".number", "learn-how-to number %d in area %d is out of sequence: expected %d", h.Number, a.Number, j+1)
			}
			v.text(q+".lead", h.Lead)
			if len(h.Bullets) == 0 {
				v.fail(q+".bullets", "learn-how-to %d in area %d has no bullets", h.Number, a.Number)
			}
			v.texts(q+".bullets", h.Bullets)
		}
		if len(a.LearnThat)+len(a.LearnHowTo) == 0 && len(a.Introduction) == 0 && a.Note == "" {
			v.fail(p, "area %d has no statements: add a note saying what the source gives for it", a.Number)
		}
	}
}

func (v *validator) caf(fw *Framework) {
	codes := map[string]bool{}
	for i, a := range fw.Areas {
		p := fmt.Sprintf("areas[%d]", i)
		if len(a.LearnThat)+len(a.LearnHowTo) > 0 {
			v.fail(p, "learn_that and learn_how_to belong to reformed frameworks: use rows")
		}
		if len(a.Rows) == 0 {
			v.fail(p+".rows", "content area %d has no rows", a.Number)
		}
		for j, r := range a.Rows {
			q := fmt.Sprintf("%s.rows[%d]", p, j)
			if r.LearnHowTo != "" || j > 0 {
				v.text(q+".learn_how_to", r.LearnHowTo)
			}
			v.texts(q+".learn_about", r.LearnAbout)
			for k, c := range r.Criteria {
				cp := fmt.Sprintf("%s.criteria[%d]", q, k)
				v.criterionCode(cp+".code", c.Code, a.Number, codes)
				v.text(cp+".text", c.Text)
				if c.Stem != "" {
					v.text(cp+".stem", c.Stem)
				}
			}
		}
	}
	if len(fw.LeadershipBehaviours) == 0 {
		v.fail("leadership_behaviours", "a 2019 framework lists the leadership behaviours")
	}
	names := map[string]bool{}
	for i, b := range fw.LeadershipBehaviours {
		p := fmt.Sprintf("leadership_behaviours[%d]", i)
		v.text(p+".name", b.Name)
		v.text(p+".description", b.Description)
		if names[b.Name] {
			v.fail(p+".name", "leadership behaviour %q is listed twice", b.Name)
		}
		names[b.Name] = true
	}
	a := fw.Assessment
	if a == nil {
		v.fail("", "a 2019 framework needs its assessment")
		return
	}
	v.text("assessment.summary", a.Summary)
	v.texts("assessment.requirements", a.Requirements)
	v.texts("assessment.provider_requirements", a.ProviderRequirements)
	v.texts("assessment.footnotes", a.Footnotes)
	if a.WordLimit < 0 {
		v.fail("assessment.word_limit", "word limit cannot be negative")
	}
	if len(a.Tasks) == 0 {
		v.fail("assessment.tasks", "the assessment has no tasks")
	}
	keys := map[string]bool{}
	assessed := map[string]bool{}
	for i, t := range a.Tasks {
		p := fmt.Sprintf("assessment.tasks[%d]", i)
		if !taskKeyPattern.MatchString(t.Key) {
			v.fail(p+".key", "task key %q must look like part-a or task-1", t.Key)
		} else if keys[t.Key] {
			v.fail(p+".key", "task key %q is used twice", t.Key)
		}
		keys[t.Key] = true
		v.text(p+".name", t.Name)
		v.text(p+".summary", t.Summary)
		v.texts(p+".requirements", t.Requirements)
		if t.WordLimit < 0 {
			v.fail(p+".word_limit", "word limit cannot be negative")
		}
		if t.WordLimit == 0 && a.WordLimit == 0 {
			v.fail(p+".word_limit", "task %s has no word limit and the assessment has no total limit", t.Key)
		}
		for j, n := range t.ContentAreas {
			if n < 1 || n > len(fw.Areas) {
				v.fail(fmt.Sprintf("%s.content_areas[%d]", p, j), "content area %d does not exist", n)
			}
		}
		if len(t.Criteria) == 0 {
			v.fail(p+".criteria", "task %s assesses no criteria", t.Key)
		}
		seen := map[string]bool{}
		for j, c := range t.Criteria {
			q := fmt.Sprintf("%s.criteria[%d]", p, j)
			if seen[c.Code] {
				v.fail(q+".code", "criterion %s is listed twice in task %s", c.Code, t.Key)
			}
			seen[c.Code] = true
			assessed[c.Code] = true
			if !codes[c.Code] {
				// A criterion the task table prints that Annex A does not: it must carry its text.
				if c.Text == "" {
					v.fail(q+".code", "criterion %s is not in any content area; give its text here", c.Code)
				} else if !criterionPattern.MatchString(c.Code) {
					v.fail(q+".code", "criterion code %q must look like 1.1.1", c.Code)
				}
			}
			if c.Text != "" {
				v.text(q+".text", c.Text)
			}
			v.texts(q+".supporting_documents", c.SupportingDocuments)
			area, _ := strconv.Atoi(strings.SplitN(c.Code, ".", 2)[0])
			if len(t.ContentAreas) > 0 && !slices.Contains(t.ContentAreas, area) {
				v.fail(q+".code", "criterion %s is from content area %d, which task %s does not assess", c.Code, area, t.Key)
			}
		}
	}
	for code := range codes {
		if !assessed[code] {
			v.fail("assessment.tasks", "criterion %s is not assessed by any task", code)
		}
	}
}

func (v *validator) criterionCode(p, code string, area int, seen map[string]bool) {
	switch {
	case !criterionPattern.MatchString(code):
		v.fail(p, "criterion code %q must look like 1.1.1", code)
	case seen[code]:
		v.fail(p, "criterion %s is listed twice", code)
	case !strings.HasPrefix(code, strconv.Itoa(area)+"."):
		v.fail(p, "criterion %s is not in content area %d", code, area)
	}
	seen[code] = true
}

var groups = []string{"leadership", "specialist", "support"}

func (v *validator) catalogue(c Catalogue, fws []Framework) {
	bySlug := map[string]Framework{}
	for _, fw := range fws {
		bySlug[fw.Slug] = fw
	}
	codes := map[string]bool{}
	listed := map[string]bool{}
	if len(c.Qualifications) == 0 {
		v.fail("qualifications", "the catalogue lists no qualifications")
	}
	for i, q := range c.Qualifications {
		p := fmt.Sprintf("qualifications[%d]", i)
		v.text(p+".code", q.Code)
		if codes[q.Code] {
			v.fail(p+".code", "qualification %s is listed twice", q.Code)
		}
		codes[q.Code] = true
		v.text(p+".name", q.Name)
		v.text(p+".status", q.Status)
		v.text(p+".who_for", q.WhoFor)
		v.texts(p+".entry_requirements", q.EntryRequirements)
		if q.ContentNote != "" {
			v.text(p+".content_note", q.ContentNote)
		}
		if q.CourseIdentifier != "" && !strings.HasPrefix(q.CourseIdentifier, "npq-") {
			v.fail(p+".course_identifier", "DfE course identifiers start with npq-, not %q", q.CourseIdentifier)
		}
		if !slices.Contains(groups, q.Group) {
			v.fail(p+".group", "group must be one of %s, not %q", strings.Join(groups, ", "), q.Group)
		}
		if len(q.Frameworks) == 0 && q.ContentNote == "" {
			v.fail(p+".content_note", "%s has no framework content: say so in content_note", q.Code)
		}
		for j, slug := range q.Frameworks {
			fw, ok := bySlug[slug]
			switch {
			case !ok:
				v.fail(fmt.Sprintf("%s.frameworks[%d]", p, j), "framework %q has no file", slug)
			case fw.Qualification != q.Code:
				v.fail(fmt.Sprintf("%s.frameworks[%d]", p, j), "framework %q belongs to %s, not %s", slug, fw.Qualification, q.Code)
			}
			listed[slug] = true
		}
		v.texts(p+".sources", q.Sources)
	}
	for _, fw := range fws {
		if !listed[fw.Slug] {
			v.errs = append(v.errs, FileError{File: fw.Slug + ".yaml", Line: 1,
				Msg: fmt.Sprintf("framework %s is not listed under any qualification in catalogue.yaml", fw.Slug)})
		}
	}
}
