package assessment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"

	"npq/internal/database"
	"npq/internal/frameworks"
)

// providerFile is a provider-defined specification file in frameworks/assessments/.
type providerFile struct {
	Qualification   string `yaml:"qualification"`
	Framework       string `yaml:"framework"`
	ProviderDefined bool   `yaml:"provider_defined"`
	Summary         string `yaml:"summary"`
	Tasks           []struct {
		Key       string `yaml:"key"`
		Name      string `yaml:"name"`
		WordLimit int    `yaml:"word_limit"`
		MinWords  int    `yaml:"min_words"`
	} `yaml:"tasks"`
	Criteria []struct {
		Code      string   `yaml:"code"`
		Task      string   `yaml:"task"`
		Text      string   `yaml:"text"`
		Documents []string `yaml:"documents"`
	} `yaml:"criteria"`
}

// LoadProviderSpecs reads and checks every provider-defined specification, by qualification.
func LoadProviderSpecs(fsys fs.FS) (map[string]Spec, error) {
	names, err := fs.Glob(fsys, "assessments/*.yaml")
	if err != nil {
		return nil, err
	}
	out := map[string]Spec{}
	var errs []error
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		var f providerFile
		if err := dec.Decode(&f); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		s := Spec{Qualification: f.Qualification, Source: name, ProviderDefined: f.ProviderDefined, Summary: f.Summary}
		tasks := map[string]bool{}
		for _, t := range f.Tasks {
			s.Tasks = append(s.Tasks, Task{Key: t.Key, Name: t.Name, WordLimit: t.WordLimit, MinWords: t.MinWords})
			tasks[t.Key] = true
		}
		codes := map[string]bool{}
		for _, c := range f.Criteria {
			switch {
			case codes[c.Code]:
				errs = append(errs, fmt.Errorf("%s: criterion %s is listed twice", name, c.Code))
			case !tasks[c.Task]:
				errs = append(errs, fmt.Errorf("%s: criterion %s is for task %q, which is not listed", name, c.Code, c.Task))
			case strings.TrimSpace(c.Text) == "":
				errs = append(errs, fmt.Errorf("%s: criterion %s has no text", name, c.Code))
			}
			codes[c.Code] = true
			s.Criteria = append(s.Criteria, Criterion{Code: c.Code, Text: c.Text, Task: c.Task, Documents: c.Documents})
		}
		if !f.ProviderDefined || s.Qualification == "" || len(s.Tasks) == 0 || len(s.Criteria) == 0 {
			errs = append(errs, fmt.Errorf("%s: a provider-defined specification needs provider_defined: true, a qualification, tasks and criteria", name))
		}
		out[s.Qualification] = s
	}
	return out, errors.Join(errs...)
}

// ErrNoSpec means the qualification has no assessment specification.
var ErrNoSpec = errors.New("no assessment specification for this qualification")

// SpecFor returns a qualification's specification: the provider-defined one if there is one
// (the reformed NPQs' case studies), else its 2019 framework's assessment exactly as printed.
func SpecFor(ctx context.Context, db database.DB, provider map[string]Spec, qualification string) (Spec, error) {
	if s, ok := provider[qualification]; ok {
		return s, nil
	}
	var slug string
	err := db.QueryRow(ctx, `SELECT slug FROM frameworks WHERE qualification_code = $1 AND kind = 'caf-2019'`, qualification).Scan(&slug)
	if database.IsNoRows(err) {
		return Spec{}, ErrNoSpec
	}
	if err != nil {
		return Spec{}, fmt.Errorf("assessment: spec for %s: %w", qualification, err)
	}
	d, err := frameworks.Store{DB: db}.FrameworkBySlug(ctx, slug)
	if err != nil {
		return Spec{}, err
	}
	return FromFramework(d), nil
}

// FromFramework turns a 2019 framework's assessment into a specification.
func FromFramework(d frameworks.FrameworkDetail) Spec {
	s := Spec{Qualification: d.QualificationCode, Source: d.Slug}
	if d.Assessment == nil {
		return s
	}
	s.Summary = d.Assessment.Summary
	if d.Assessment.WordLimit != nil {
		s.TotalWordLimit = *d.Assessment.WordLimit
	}
	for _, t := range d.Assessment.Tasks {
		task := Task{Key: t.Key, Name: t.Name, Summary: t.Summary}
		if t.WordLimit != nil {
			task.WordLimit = *t.WordLimit
		}
		s.Tasks = append(s.Tasks, task)
		for _, c := range t.Criteria {
			s.Criteria = append(s.Criteria, Criterion{Code: c.Code, Text: c.Text, Task: t.Key, Documents: c.SupportingDocuments})
		}
	}
	return s
}
