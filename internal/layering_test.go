// Package internal_test checks how the internal packages depend on each other and on the views.
package internal_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// mayImportViews are the only internal packages that may import anything under npq/web: the
// HTTP layer renders the views, and the browser tests drive them.
var mayImportViews = map[string]bool{
	"npq/internal/server":      true,
	"npq/internal/browsertest": true,
}

// TestDomainsDoNotImportViews fails when an internal package other than the HTTP layer imports
// a view package, directly or through another package of this module (tests included).
func TestDomainsDoNotImportViews(t *testing.T) {
	pkgs := map[string]*build.Package{} // import path -> package, for every package in internal/
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		p, err := build.ImportDir(path, 0)
		if _, none := err.(*build.NoGoError); none {
			return nil
		}
		if err != nil {
			return err
		}
		pkgs["npq/"+filepath.ToSlash(filepath.Join("internal", path))] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("found only %d packages under internal/", len(pkgs))
	}
	// viewPath returns the chain by which path reaches a view package, or nil.
	memo := map[string][]string{}
	var viewPath func(path string, seen map[string]bool) []string
	viewPath = func(path string, seen map[string]bool) []string {
		if chain, ok := memo[path]; ok {
			return chain
		}
		if strings.HasPrefix(path, "npq/web/") || path == "npq/web" {
			return []string{path}
		}
		p, ok := pkgs[path]
		if !ok || seen[path] || mayImportViews[path] {
			return nil
		}
		seen[path] = true
		var chain []string
		for _, imp := range p.Imports {
			if c := viewPath(imp, seen); c != nil {
				chain = append([]string{path}, c...)
				break
			}
		}
		memo[path] = chain
		return chain
	}
	for path, p := range pkgs {
		if mayImportViews[path] {
			continue
		}
		if c := viewPath(path, map[string]bool{}); c != nil {
			t.Errorf("%s imports a view package: %s", path, strings.Join(c, " -> "))
		}
		for _, imp := range append(append([]string{}, p.TestImports...), p.XTestImports...) {
			if c := viewPath(imp, map[string]bool{}); c != nil && imp != path {
				t.Errorf("%s's tests import a view package: %s", path, strings.Join(c, " -> "))
			}
		}
	}
}
