package server

import (
	"net/http"
	"net/url"
	"strconv"

	"npq/internal/dfe/statuses"
	"npq/internal/listing"
	"npq/internal/problem"
	"npq/web/pages/admin"
)

func (s *Server) dfeStatusChanges() statuses.Store { return statuses.Store{DB: s.pool} }

// adminDfEStatusChanges lists the deferrals, withdrawals and resumptions pushed to DfE in one
// state.
func (s *Server) adminDfEStatusChanges(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	state, ok := statuses.ParseState(r.URL.Query().Get("state"))
	if !ok {
		return badRequest("The list could not be filtered.")
	}
	rows, err := s.dfeStatusChanges().List(r.Context(), statuses.Filter{State: state, Query: req.Query}, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, statuses.Key)
	v := admin.DfEStatusChangesView{Enabled: s.dfe != nil, State: string(state), Query: req.Query, Pages: seekPager(r, page)}
	for _, st := range statuses.States {
		v.Tabs = append(v.Tabs, admin.DfEStateTab{Label: st.Label(), Href: "/admin/dfe/status-changes?state=" + url.QueryEscape(string(st)), Current: st == state})
	}
	for _, c := range page.Rows {
		v.Rows = append(v.Rows, admin.DfEStatusChangeRow{ID: c.ID, Name: c.Name, Email: c.Email,
			EnrolmentHref: "/admin/enrolments/" + strconv.FormatInt(c.EnrolmentID, 10), Course: c.Course + " (" + c.DfECourse + ")",
			Cohort: c.Cohort + cohortSuffix(c.DfECohort), Action: c.Action.Label(), Reason: c.ReasonLabel(), ReasonCode: c.Reason,
			EffectiveOn: c.EffectiveOn, State: c.State.Label(), DfEStatus: c.DfETrainingStatus, Error: c.Error, Attempts: c.Attempts,
			CanResend: c.State == statuses.StateFailed && s.dfe != nil})
	}
	return s.ok(w, r, admin.DfEStatusChanges(v))
}

// adminDfEStatusChangeResend makes a change DfE refused due again; the declarations job sends
// it on its next run. It asks for no confirmation: it only queues the change DfE refused, and
// DfE's answer is recorded again.
func (s *Server) adminDfEStatusChangeResend(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := urlID(r, "change")
	if err != nil {
		return err
	}
	const back = "/admin/dfe/status-changes?state=failed"
	if s.dfe == nil {
		return backTo(back, problem.New("The DfE integration is off, so status changes cannot be sent here"))
	}
	c, err := s.dfeStatusChanges().Resend(r.Context(), id, currentUser(r.Context()).ID, s.now())
	if err != nil {
		return backTo(back, err)
	}
	return s.seeOther(w, r, "/admin/dfe/status-changes?state=due", c.Name+"'s "+c.Action.Label()+" will be sent to DfE again on the next run")
}
