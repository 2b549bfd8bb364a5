package server

import (
	"context"
	"net/http"
	"time"

	"npq/internal/config"
	"npq/internal/programme"
	"npq/internal/wording"
	"npq/web/pages/public"
)

func (s *Server) publicLanding(w http.ResponseWriter, r *http.Request) error {
	home := ""
	if u := currentUser(r.Context()); u != nil {
		home = u.Role.HomePath()
	}
	return s.ok(w, r, public.Landing(home))
}

func (s *Server) publicAccessibility(w http.ResponseWriter, r *http.Request) error {
	return s.prosePage(w, r, "Accessibility statement", wording.AccessibilityStatement)
}

func (s *Server) publicPrivacy(w http.ResponseWriter, r *http.Request) error {
	return s.prosePage(w, r, "Privacy notice", wording.PrivacyNotice)
}

// prosePage renders one of the service's own pages, whose words are Markdown in
// internal/wording, filled in with who runs the service.
func (s *Server) prosePage(w http.ResponseWriter, r *http.Request, title string, text func(wording.PageData) (string, error)) error {
	d := wording.PageData{ProviderName: s.cfg.ProviderName, ContactEmail: s.cfg.ProviderContactEmail, BaseURL: s.cfg.BaseURL}
	if d.ProviderName == "" || d.ContactEmail == "" {
		d.ProviderName, d.ContactEmail = config.DefaultProviderName, config.DefaultProviderContactEmail
	}
	md, err := text(d)
	if err != nil {
		return err
	}
	return s.ok(w, r, public.Prose(title, programme.RenderMarkdown(md)))
}

func (s *Server) staticAsset(w http.ResponseWriter, r *http.Request) error {
	s.assets.ServeHTTP(w, r)
	return nil
}

// healthz says the process is up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyz says the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.pool.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, err = w.Write([]byte("database unavailable\n"))
		return err
	}
	_, err := w.Write([]byte("ready\n"))
	return err
}
