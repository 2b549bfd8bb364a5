package server

import (
	"net/http"

	"npq/web/pages/admin"
)

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	var v admin.HomeView
	err := s.pool.QueryRow(r.Context(), `
		SELECT (SELECT count(*) FROM courses), (SELECT count(*) FROM cohorts),
		       (SELECT count(*) FROM enrolments WHERE status = 'active'),
		       (SELECT count(*) FROM users),
		       (SELECT count(*) FROM delivery_partners),
		       (SELECT count(*) FROM invitations WHERE accepted_at IS NULL AND expires_at > now()),
		       (SELECT count(*) FROM outbox)`).Scan(&v.Courses, &v.Cohorts, &v.ActiveEnrolments, &v.Users, &v.Partners, &v.PendingInvitations, &v.OutboxMessages)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Home(v))
}
