// Package wording holds what every email and letter says. Each message is a text template in
// templates/, with a "subject" and a "body", so its words can be read and changed without
// reading Go; the functions here fill them in with typed data. Templates are parsed once, when
// the program starts, so a broken one fails every test.
package wording

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"

	"npq/internal/timefmt"
)

// Text is a message in words: its subject line and its body.
type Text struct {
	Subject string
	Body    string
}

//go:embed templates/*.txt
var files embed.FS

// funcs are what templates may call besides text/template's own functions.
var funcs = template.FuncMap{
	"date":        timefmt.Date,
	"dateTime":    timefmt.DateTime,
	"dayDateTime": timefmt.DayDateTime,
	"join":        strings.Join,
	"pounds":      func(pence int) string { return fmt.Sprintf("£%d.%02d", pence/100, pence%100) },
}

// messages are the parsed templates by name (a file's name without .txt). Files whose names
// start with "_" hold pieces that several messages share and are parsed into every message.
var messages = mustParse(files)

func mustParse(fsys fs.FS) map[string]*template.Template {
	m, err := parse(fsys)
	if err != nil {
		panic(err)
	}
	return m
}

func parse(fsys fs.FS) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	var shared []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			shared = append(shared, n)
		}
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			continue
		}
		name := strings.TrimSuffix(path.Base(n), ".txt")
		t, err := template.New(path.Base(n)).Funcs(funcs).Option("missingkey=error").ParseFS(fsys, append([]string{n}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("wording: %s: %w", name, err)
		}
		for _, part := range []string{"subject", "body"} {
			if t.Lookup(part) == nil {
				return nil, fmt.Errorf("wording: %s has no %q", name, part)
			}
		}
		out[name] = t
	}
	return out, nil
}

// execute fills in one part ("subject", "body" ...) of a message.
func execute(name, part string, data any) (string, error) {
	t, ok := messages[name]
	if !ok {
		return "", fmt.Errorf("wording: no message %q", name)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, part, data); err != nil {
		return "", fmt.Errorf("wording: %s: %w", name, err)
	}
	return b.String(), nil
}

// render fills in a message's subject and body.
func render(name string, data any) (Text, error) {
	subject, err := execute(name, "subject", data)
	if err != nil {
		return Text{}, err
	}
	body, err := execute(name, "body", data)
	if err != nil {
		return Text{}, err
	}
	return Text{Subject: subject, Body: body}, nil
}
