package frameworks_test

import (
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	frameworkdata "npq/frameworks"
	"npq/internal/frameworks"
)

// realFiles copies the real data files into a map so a test can break one.
func realFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	names, _ := fs.Glob(frameworkdata.FS, "*.yaml")
	for _, n := range names {
		b, _ := fs.ReadFile(frameworkdata.FS, n)
		m[n] = &fstest.MapFile{Data: b}
	}
	return m
}

// edit replaces the first occurrence of old in file, failing if it is not there.
func edit(t *testing.T, m fstest.MapFS, file, old, new string) {
	t.Helper()
	s := string(m[file].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
}

// lineOf is the 1-based line of the first occurrence of s in file.
func lineOf(m fstest.MapFS, file, s string) int {
	data := string(m[file].Data)
	return strings.Count(data[:strings.Index(data, s)], "\n") + 1
}

func TestLoaderReportsEachKindOfBadFileWithFileAndLine(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		old    string
		new    string
		marker string // text on the line the error must name
		want   string
	}{
		{"unknown field", "npqltd-2021.yaml", "    title: \"Designing Effective Professional Development\"\n",
			"    title: \"Designing Effective Professional Development\"\n    colour: blue\n", "colour: blue", "field colour not found"},
		{"duplicate key", "npqltd-2021.yaml", "    title: \"Designing Effective Professional Development\"\n",
			"    title: \"Designing Effective Professional Development\"\n    title: \"Again\"\n", "title: \"Again\"", "already defined"},
		{"gap in numbering", "npqltd-2021.yaml", "      - number: 3\n        text: \"Effective professional development is likely",
			"      - number: 4\n        text: \"Effective professional development is likely", "number: 4\n        text: \"Effective professional development is likely",
			"learn-that number 4 in area 2 is out of sequence: expected 3"},
		{"duplicate number", "npqltd-2021.yaml", "      - number: 3\n        text: \"Effective professional development is likely",
			"      - number: 2\n        text: \"Effective professional development is likely", "number: 2\n        text: \"Effective professional development is likely",
			"learn-that number 2 in area 2 is out of sequence: expected 3"},
		{"empty text", "npqltd-2021.yaml", "text: \"Teaching quality is a crucial factor in raising pupil attainment.\"",
			"text: \"\"", "text: \"\"", "areas[1].learn_that[0].text is empty"},
		{"unknown area reference", "npqml-2019.yaml", "content_areas: [1, 2, 3, 4]", "content_areas: [1, 2, 3, 9]",
			"content_areas: [1, 2, 3, 9]", "content area 9 does not exist"},
		{"criterion from an unknown area", "npqml-2019.yaml", "code: \"1.1.2\"", "code: \"7.1.2\"", "code: \"7.1.2\"",
			"criterion 7.1.2 is not in content area 1"},
		{"unknown framework in catalogue", "catalogue.yaml", "frameworks: [npqltd-2021]", "frameworks: [npqltd-2021, npqxx-2030]",
			"frameworks: [npqltd-2021, npqxx-2030]", `framework "npqxx-2030" has no file`},
		{"not YAML", "npqltd-2021.yaml", "areas:\n", "areas:\n  - [unclosed\n", "[unclosed", "did not find expected"},
		{"wrong kind", "npqltd-2021.yaml", "kind: reformed", "kind: reform", "kind: reform", `kind must be "reformed" or "caf-2019"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := realFiles(t)
			edit(t, m, tt.file, tt.old, tt.new)
			_, err := frameworks.Load(m)
			if err == nil {
				t.Fatal("no error")
			}
			line := lineOf(m, tt.file, tt.marker)
			prefix := tt.file + ":"
			found := false
			for l := range strings.SplitSeq(err.Error(), "\n") {
				if strings.HasPrefix(l, prefix) && strings.Contains(l, tt.want) {
					found = true
					if tt.name != "not YAML" && !strings.HasPrefix(l, prefix+strconv.Itoa(line)+":") {
						t.Errorf("error %q should name line %d", l, line)
					}
				}
			}
			if !found {
				t.Errorf("error does not mention %q in %s:\n%v", tt.want, tt.file, err)
			}
		})
	}
}
