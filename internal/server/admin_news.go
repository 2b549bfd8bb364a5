package server

import (
	"net/http"
	"strconv"
	"strings"

	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) adminNews(w http.ResponseWriter, r *http.Request) error {
	posts, err := s.programme.AllNews(r.Context(), 100)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.News(admin.NewsView{Posts: posts}))
}

func (s *Server) newsAudiences(r *http.Request) ([]components.Option, error) {
	courses, err := s.programme.Courses(r.Context())
	if err != nil {
		return nil, err
	}
	cohorts, err := s.programme.Cohorts(r.Context(), scopeFor(r))
	if err != nil {
		return nil, err
	}
	opts := []components.Option{{Value: "all", Label: "Everyone"}}
	for _, c := range courses {
		opts = append(opts, components.Option{Value: "course:" + strconv.FormatInt(c.ID, 10), Label: "Course: " + c.Name})
	}
	for _, c := range cohorts {
		opts = append(opts, components.Option{Value: "cohort:" + strconv.FormatInt(c.ID, 10), Label: "Cohort: " + c.Name})
	}
	return opts, nil
}

func (s *Server) adminNewsNew(w http.ResponseWriter, r *http.Request) error {
	opts, err := s.newsAudiences(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.NewsNew(admin.NewsForm{Audience: "all", Audiences: opts}))
}

func (s *Server) adminNewsCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	opts, err := s.newsAudiences(r)
	if err != nil {
		return err
	}
	f := admin.NewsForm{Title: field(r, "title"), Body: strings.TrimSpace(r.PostForm.Get("body")), Audience: field(r, "audience"), Audiences: opts}
	if f.Title == "" {
		f.Errors.Add("title", "Enter a title")
	}
	f.Errors.Add("title", maxLength("Title", f.Title, 200))
	if f.Body == "" {
		f.Errors.Add("body", "Enter the message")
	}
	f.Errors.Add("body", maxLength("Message", f.Body, 20000))
	var courseID, cohortID *int64
	if !hasOption(opts, f.Audience) {
		f.Errors.Add("audience", "Choose who the news is for from the list")
	} else if kind, id, ok := strings.Cut(f.Audience, ":"); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		if kind == "course" {
			courseID = &n
		} else {
			cohortID = &n
		}
	}
	if f.Errors.Any() {
		return s.invalid(w, r, admin.NewsNew(f))
	}
	if _, err := s.programme.PostNews(r.Context(), f.Title, f.Body, courseID, cohortID, currentUser(r.Context()).ID); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/news", "News posted: "+f.Title)
}
