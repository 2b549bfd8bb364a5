package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"npq/internal/dfe/identifiers"
	"npq/web/components"
	"npq/web/pages/admin"
)

// adminDfEIdentifierRoutes registers the form that corrects an enrolment's DfE identifiers
// and a delivery partner's DfE id.
func (s *Server) adminDfEIdentifierRoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/enrolments/{enrolment}/dfe", admins, s.adminDfEIdentifiersForm)
	s.handle(r, "POST", "/admin/enrolments/{enrolment}/dfe", admins, s.adminDfEIdentifiersSave)
	s.handle(r, "POST", "/admin/partners/{partner}/dfe", admins, s.adminPartnerDfEIDSave)
}

func (s *Server) dfeIdentifiers() identifiers.Store { return identifiers.Store{DB: s.pool} }

// enrolmentDfESection is the DfE section of the admin enrolment page.
func (s *Server) enrolmentDfESection(ctx context.Context, enrolmentID int64) (templ.Component, error) {
	rec, err := s.dfeMismatches().ForEnrolment(ctx, enrolmentID)
	if err != nil {
		return nil, err
	}
	d := identifiers.DraftOf(rec.IDs)
	v := admin.DfEIdentifiersView{EnrolmentID: enrolmentID, ParticipantID: d.ParticipantID, TRN: d.TRN,
		ApplicationID: d.ApplicationID, Course: d.Course, Cohort: d.Cohort, Schedule: d.Schedule,
		FundedPlace: map[string]string{"yes": "Yes", "no": "No"}[d.FundedPlace], Read: rec.Known,
		AtDfE: admin.DfEAtDfE{TrainingStatus: rec.TrainingStatus, Schedule: rec.Schedule, Cohort: rec.Cohort, Synced: rec.SyncedAt}}
	for _, x := range rec.Declarations {
		v.Declarations = append(v.Declarations, admin.DfEEnrolmentDeclaration(x))
	}
	for _, c := range rec.StatusChanges {
		detail := c.DfETrainingStatus
		if c.Error != "" {
			detail = c.Error
		}
		v.StatusChanges = append(v.StatusChanges, admin.DfEEnrolmentStatusChange{Action: c.Action.Label(), Reason: c.ReasonLabel(),
			Effective: c.EffectiveOn, State: c.State.Label(), Detail: orNotKnown(detail)})
	}
	for _, m := range rec.Mismatches {
		v.Mismatches = append(v.Mismatches, mismatchRow(m))
	}
	return admin.DfEIdentifiers(v), nil
}

func (s *Server) dfeIdentifiersForm(r *http.Request) (admin.DfEIdentifiersFormView, identifiers.Draft, error) {
	id, err := urlID(r, "enrolment")
	if err != nil {
		return admin.DfEIdentifiersFormView{}, identifiers.Draft{}, err
	}
	e, err := s.programme.EnrolmentByID(r.Context(), id)
	if err != nil {
		return admin.DfEIdentifiersFormView{}, identifiers.Draft{}, err
	}
	ids, err := s.dfeIdentifiers().ForEnrolment(r.Context(), id)
	if err != nil {
		return admin.DfEIdentifiersFormView{}, identifiers.Draft{}, err
	}
	v := admin.DfEIdentifiersFormView{EnrolmentID: id, Name: e.Name, CohortName: e.CohortName,
		Courses:   append([]components.Option{{Value: "", Label: "Not known"}}, optionsOf(identifiers.Courses)...),
		Schedules: append([]components.Option{{Value: "", Label: "Not known"}}, optionsOf(identifiers.Schedules)...)}
	return v, identifiers.DraftOf(ids), nil
}

func fillDfEForm(v *admin.DfEIdentifiersFormView, d identifiers.Draft) {
	v.ParticipantID, v.TRN, v.ApplicationID, v.Course, v.Cohort, v.Schedule, v.FundedPlace =
		d.ParticipantID, d.TRN, d.ApplicationID, d.Course, d.Cohort, d.Schedule, d.FundedPlace
}

func (s *Server) adminDfEIdentifiersForm(w http.ResponseWriter, r *http.Request) error {
	v, d, err := s.dfeIdentifiersForm(r)
	if err != nil {
		return err
	}
	fillDfEForm(&v, d)
	return s.ok(w, r, admin.DfEIdentifiersForm(v))
}

func (s *Server) adminDfEIdentifiersSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, _, err := s.dfeIdentifiersForm(r)
	if err != nil {
		return err
	}
	d := identifiers.Draft{ParticipantID: field(r, "participant_id"), TRN: field(r, "trn"), ApplicationID: field(r, "application_id"),
		Course: field(r, "course"), Cohort: field(r, "cohort"), Schedule: field(r, "schedule"), FundedPlace: field(r, "funded_place")}.Normalise()
	fillDfEForm(&v, d)
	page := func() templ.Component { return admin.DfEIdentifiersForm(v) }
	if ps := d.Check(); len(ps) > 0 {
		addProblems(&v.Errors, ps.Sorted(identifiers.Fields...))
		return s.invalid(w, r, page())
	}
	if err := s.dfeIdentifiers().Save(r.Context(), v.EnrolmentID, d, currentUser(r.Context()).ID); err != nil {
		return onField(err, &v.Errors, "participant_id", page)
	}
	return s.seeOther(w, r, "/admin/enrolments/"+strconv.FormatInt(v.EnrolmentID, 10)+"#dfe", "DfE identifiers saved")
}

func (s *Server) adminPartnerDfEIDSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := urlID(r, "partner")
	if err != nil {
		return err
	}
	to := "/admin/partners/" + strconv.FormatInt(id, 10)
	return s.seeOtherAfter(w, r, s.dfeIdentifiers().SavePartnerDfEID(r.Context(), id, field(r, "dfe_id"), currentUser(r.Context()).ID),
		to, "DfE delivery partner ID saved")
}
