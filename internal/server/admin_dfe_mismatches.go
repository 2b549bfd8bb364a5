package server

import (
	"net/http"
	"net/url"
	"strconv"

	"npq/internal/dfe/reconcile"
	"npq/internal/listing"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) dfeMismatches() reconcile.Store { return reconcile.Store{DB: s.pool} }

// adminDfEMismatches lists what the last reconciliation found different between our records
// and DfE's, longest standing first.
func (s *Server) adminDfEMismatches(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	kind, ok := reconcile.ParseKind(r.URL.Query().Get("kind"))
	if !ok {
		return badRequest("The list could not be filtered.")
	}
	rows, checked, err := s.dfeMismatches().List(r.Context(), reconcile.Filter{Kind: kind, Query: req.Query}, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, reconcile.Key)
	v := admin.DfEMismatchesView{Enabled: s.dfe != nil, Checked: checked.At, Count: checked.Count, Query: req.Query, Kind: string(kind),
		Pages: seekPager(r, page), Kinds: []components.Option{{Value: "", Label: "Anything"}}}
	for _, k := range reconcile.Kinds {
		v.Kinds = append(v.Kinds, components.Option{Value: string(k), Label: k.Label()})
	}
	for _, m := range page.Rows {
		v.Rows = append(v.Rows, mismatchRow(m))
	}
	return s.ok(w, r, admin.DfEMismatches(v))
}

func mismatchRow(m reconcile.Row) admin.DfEMismatchRow {
	row := admin.DfEMismatchRow{Name: m.Name, Course: m.Course, ParticipantID: m.ParticipantID, What: m.Kind.Label(),
		Subject: m.Subject, Ours: m.Ours, Theirs: m.Theirs, Action: m.Action, FirstFound: m.FirstFoundAt}
	if m.EnrolmentID != 0 {
		row.EnrolmentHref = "/admin/enrolments/" + strconv.FormatInt(m.EnrolmentID, 10)
		row.Course = m.CourseName + ", " + m.Cohort + " (" + m.Course + ")"
	}
	switch {
	case m.DeclarationID != 0:
		row.ActionHref, row.ActionLabel = "/admin/dfe/declarations/"+strconv.FormatInt(m.DeclarationID, 10), "Open the declaration"
	case m.Kind == reconcile.NotAtDfE || m.Kind == reconcile.Schedule || m.Kind == reconcile.Cohort:
		row.ActionHref, row.ActionLabel = row.EnrolmentHref+"/dfe", "Correct the DfE identifiers"
	case m.Kind == reconcile.TrainingStatus && m.EnrolmentID != 0:
		row.ActionHref, row.ActionLabel = row.EnrolmentHref+"#dfe", "See its DfE status changes"
	case m.Kind == reconcile.NotOurs:
		row.ActionHref, row.ActionLabel = "/admin/participants?q="+url.QueryEscape(m.Name), "Find the participant"
	}
	return row
}
