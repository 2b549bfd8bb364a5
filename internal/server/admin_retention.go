package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"npq/internal/personaldata"
	"npq/web/pages/admin"
)

// retentionRoutes are admins' pages for the data retention policy.
func (s *Server) retentionRoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/retention", admins, s.adminRetention)
	s.handle(r, "POST", "/admin/retention/report", admins, s.adminRetentionReport)
	s.handle(r, "GET", "/admin/retention/apply", admins, s.adminRetentionConfirm)
	s.handle(r, "POST", "/admin/retention/apply", admins, s.adminRetentionApply)
	s.handle(r, "POST", "/admin/retention/stop", admins, s.adminRetentionStop)
}

// retentionPolicy is the policy the configuration sets.
func (s *Server) retentionPolicy() personaldata.Policy {
	return personaldata.Policy{DeactivateAfterDays: s.cfg.RetentionDeactivateDays, AnonymiseAfterYears: s.cfg.RetentionAnonymiseYears}
}

func (s *Server) retentionView(r *http.Request) (admin.RetentionView, error) {
	v := admin.RetentionView{Policy: s.retentionPolicy()}
	var err error
	if v.Applying, err = s.personalData.Applying(r.Context()); err != nil {
		return v, err
	}
	run, ok, err := s.personalData.LatestRun(r.Context())
	if ok {
		v.Run = &run
	}
	return v, err
}

func (s *Server) adminRetention(w http.ResponseWriter, r *http.Request) error {
	v, err := s.retentionView(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Retention(v))
}

// adminRetentionReport records what the policy would do today, changing nothing.
func (s *Server) adminRetentionReport(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.personalData.RunPolicy(r.Context(), s.retentionPolicy(), s.now(), false); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/retention", "Report made: nothing was changed")
}

// adminRetentionConfirm asks before the policy starts applying, with a fresh report's counts.
func (s *Server) adminRetentionConfirm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.retentionView(r)
	if err != nil {
		return err
	}
	if v.Applying != nil {
		return s.seeOther(w, r, "/admin/retention", "")
	}
	run, err := s.personalData.RunPolicy(r.Context(), v.Policy, s.now(), false)
	if err != nil {
		return err
	}
	v.Run, v.Confirm = &run, true
	return s.ok(w, r, admin.Retention(v))
}

func (s *Server) adminRetentionApply(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if field(r, "confirm") != "yes" {
		return s.seeOther(w, r, "/admin/retention/apply", "")
	}
	if err := s.personalData.SetApplying(r.Context(), true, currentUser(r.Context()).ID, s.now()); err != nil {
		return err
	}
	if _, err := s.personalData.RunPolicy(r.Context(), s.retentionPolicy(), s.now(), true); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/retention", "The retention policy is applied now and every day")
}

func (s *Server) adminRetentionStop(w http.ResponseWriter, r *http.Request) error {
	if err := s.personalData.SetApplying(r.Context(), false, currentUser(r.Context()).ID, s.now()); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/retention", "The retention policy now only reports")
}
