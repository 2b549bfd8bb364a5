package server

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"npq/internal/frameworks"
	"npq/web/pages/public"
)

func (s *Server) frameworkCatalogue(w http.ResponseWriter, r *http.Request) error {
	quals, err := s.frameworks.Catalogue(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, public.FrameworkCatalogue(quals))
}

func (s *Server) frameworkPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.frameworks.FrameworkBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return s.ok(w, r, public.Framework(public.FrameworkView{Detail: d, Outline: frameworks.BuildOutline(d)}))
}

func (s *Server) frameworkSearch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := public.SearchView{Query: strings.TrimSpace(r.URL.Query().Get("q")), Framework: r.URL.Query().Get("framework")}
	var err error
	if v.Refs, err = s.frameworks.FrameworkRefs(ctx); err != nil {
		return err
	}
	known := v.Framework == "" || slices.ContainsFunc(v.Refs, func(f frameworks.FrameworkRef) bool { return f.Slug == v.Framework })
	switch {
	case !utf8.ValidString(v.Query) || !utf8.ValidString(v.Framework):
		v.Query, v.Framework = strings.ToValidUTF8(v.Query, ""), ""
		v.Problem, v.Invalid = "Enter words to search for", true
		return s.invalid(w, r, public.FrameworkSearch(v))
	case v.Query == "":
		v.Problem = "Enter a word or phrase to find the statements and assessment criteria that mention it. Put a phrase in quotes to find it exactly, or add - before a word to leave it out."
		return s.ok(w, r, public.FrameworkSearch(v))
	case utf8.RuneCountInString(v.Query) > frameworks.MaxQueryLength:
		v.Problem, v.Invalid = "Search words must be 200 characters or fewer", true
		return s.invalid(w, r, public.FrameworkSearch(v))
	case !known:
		v.Framework = ""
		v.Problem, v.Invalid = "Select a framework from the list, or all frameworks", true
		return s.invalid(w, r, public.FrameworkSearch(v))
	}
	searchable, err := s.frameworks.HasSearchableWords(ctx, v.Query)
	if err != nil {
		return err
	}
	if !searchable {
		v.Problem, v.Invalid = "Enter a more specific word, such as “feedback”: very common words like “the” and punctuation are not searched", true
		return s.invalid(w, r, public.FrameworkSearch(v))
	}
	if v.Results, v.Total, err = s.frameworks.Search(ctx, v.Query, v.Framework); err != nil {
		return err
	}
	v.Searched = true
	return s.ok(w, r, public.FrameworkSearch(v))
}
