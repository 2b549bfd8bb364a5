package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"npq/web/pages/admin"
)

// assessmentReportRoutes registers the assessment reports, kept apart from the list of
// submissions so that the list stays quick to page through.
func (s *Server) assessmentReportRoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/assessment/reports", admins, s.adminAssessmentReports)
}

// adminAssessmentReports shows the reports, worked out at most every few minutes
// (figures.go): they aggregate every judgement ever made.
func (s *Server) adminAssessmentReports(w http.ResponseWriter, r *http.Request) error {
	rep, asOf, err := s.figures.reports.Get(r.Context(), s.now(), s.assessment.Reports)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.AssessmentReports(rep, asOf))
}
