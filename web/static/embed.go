// Package static serves the built front-end assets under content-hashed names.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:build all:govuk
var files embed.FS

// Assets maps logical asset paths to content-hashed URLs and serves them.
type Assets struct {
	hashed  map[string]string // "build/app.css" -> "/static/build/app.3f2a9c1d.css"
	reverse map[string]string // "build/app.3f2a9c1d.css" -> "build/app.css"
}

// Load hashes every embedded file.
func Load() *Assets {
	a := &Assets{hashed: map[string]string{}, reverse: map[string]string{}}
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck // embed FS cannot fail
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := files.ReadFile(p)
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		name := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		a.hashed[p] = "/static/" + name
		a.reverse[name] = p
		return nil
	})
	return a
}

// Path returns the URL of a built asset, such as Path("build/app.css").
func (a *Assets) Path(logical string) string {
	if h, ok := a.hashed[logical]; ok {
		return h
	}
	return "/static/" + logical
}

// Has reports whether the asset was built into the binary.
func (a *Assets) Has(logical string) bool {
	_, ok := a.hashed[logical]
	return ok
}

// ServeHTTP serves /static/...: hashed names are cached for a year, plain names briefly.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	logical, hashed := a.reverse[name]
	if !hashed {
		logical = name
	}
	b, err := files.ReadFile(logical)
	if err != nil || strings.HasSuffix(logical, "/") {
		http.NotFound(w, r)
		return
	}
	if hashed {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	http.ServeContent(w, r, logical, time.Time{}, strings.NewReader(string(b)))
}
