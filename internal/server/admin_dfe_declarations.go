package server

import (
	"net/http"
	"net/url"
	"strconv"

	"npq/internal/dfe/declarations"
	"npq/internal/dfe/outbound"
	"npq/internal/listing"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) dfeDeclarations() outbound.Store { return outbound.Store{DB: s.pool} }

func (s *Server) adminDfEDeclarations(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	state, okState := outbound.ParseState(q.Get("state"))
	typ, okType := outbound.ParseType(q.Get("type"))
	if !okState || !okType {
		return badRequest("The list could not be filtered.")
	}
	rows, err := s.dfeDeclarations().List(r.Context(), outbound.Filter{State: state, Type: typ, Query: req.Query}, req, programme.Today(s.now()))
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, outbound.Key)
	v := admin.DfEDeclarationsView{Enabled: s.dfe != nil, State: string(state), Query: req.Query, Type: string(typ), Pages: seekPager(r, page),
		Types: []components.Option{{Value: "", Label: "Any type"}}}
	for _, t := range outbound.Types {
		v.Types = append(v.Types, components.Option{Value: string(t), Label: string(t)})
	}
	for _, st := range outbound.States {
		v.Tabs = append(v.Tabs, admin.DfEStateTab{Label: st.Label(), Href: "/admin/dfe/declarations?state=" + url.QueryEscape(string(st)), Current: st == state})
	}
	for _, d := range page.Rows {
		v.Rows = append(v.Rows, admin.DfEDeclarationRow{ID: d.ID, Name: d.Name, Email: d.Email, Course: d.Course + " (" + d.DfECourse + ")",
			Cohort: d.Cohort + cohortSuffix(d.DfECohort), Type: string(d.Type), DeclarationDate: d.DeclarationDate, Evidence: evidenceWords(d.Evidence),
			RuleVersion: d.RuleVersion, DfEState: d.DfEState, Error: d.Error, VoidReason: d.VoidReason, CutOff: d.NextCutOff, PaymentDate: d.PaymentDate})
		v.ShowStatement = v.ShowStatement || d.NextCutOff != nil
	}
	return s.ok(w, r, admin.DfEDeclarations(v))
}

func cohortSuffix(dfeCohort string) string {
	if dfeCohort == "" {
		return ""
	}
	return ", DfE cohort " + dfeCohort
}

func evidenceWords(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, outbound.EvidenceWords(id))
	}
	return out
}

// declarationPage is a declaration's page with its void form.
func (s *Server) declarationPage(r *http.Request) (admin.DfEDeclarationView, outbound.Declaration, error) {
	id, err := urlID(r, "declaration")
	if err != nil {
		return admin.DfEDeclarationView{}, outbound.Declaration{}, err
	}
	d, err := s.dfeDeclarations().ByID(r.Context(), id, programme.Today(s.now()))
	if err != nil {
		return admin.DfEDeclarationView{}, d, err
	}
	v := admin.DfEDeclarationView{Enabled: s.dfe != nil, ID: d.ID, Name: d.Name, Email: d.Email, TRN: orNotKnown(d.TRN),
		EnrolmentHref: "/admin/enrolments/" + strconv.FormatInt(d.EnrolmentID, 10), Course: d.Course + " (" + d.DfECourse + ")",
		Cohort: d.Cohort + cohortSuffix(d.DfECohort), Schedule: d.Schedule, Type: string(d.Type), DeclarationDate: d.DeclarationDate,
		Evidence: evidenceWords(d.Evidence), Why: d.Why, RuleVersion: d.RuleVersion, State: d.State.Label(), CanVoid: d.State != outbound.StateVoided,
		DfEID: d.DfEID, DfEState: d.DfEState, Matched: d.MatchedExisting, Error: d.Error, Attempts: d.Attempts, Created: d.CreatedAt,
		LastAttempt: d.LastAttemptAt, Sent: d.SentAt, Voided: d.VoidedAt, VoidedBy: d.VoidedBy, VoidReason: d.VoidReason,
		CutOff: d.NextCutOff, PaymentDate: d.PaymentDate}
	if d.HasPassed != nil && d.Type == declarations.Completed {
		v.HasPassed = map[bool]string{true: "Passed", false: "Failed"}[*d.HasPassed]
	}
	return v, d, nil
}

func (s *Server) adminDfEDeclaration(w http.ResponseWriter, r *http.Request) error {
	v, _, err := s.declarationPage(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.DfEDeclaration(v))
}

func (s *Server) adminDfEDeclarationVoid(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, d, err := s.declarationPage(r)
	if err != nil {
		return err
	}
	v.Reason = r.PostForm.Get("reason")
	path := "/admin/dfe/declarations/" + strconv.FormatInt(d.ID, 10)
	switch {
	case s.dfe == nil:
		return backTo(path, problem.New("The DfE integration is off, so declarations cannot be voided here"))
	case !v.CanVoid:
		return backTo(path, problem.New("This declaration has already been voided"))
	}
	if ps := outbound.CheckVoid(v.Reason); len(ps) > 0 {
		addProblems(&v.Errors, ps)
		return s.invalid(w, r, admin.DfEDeclaration(v))
	}
	if field(r, "confirm") != "yes" {
		return s.ok(w, r, admin.DfEVoidConfirm(admin.DfEVoidConfirmView{ID: d.ID, Name: d.Name, Type: string(d.Type),
			AtDfE: d.State == outbound.StateSent, Reason: v.Reason}))
	}
	err = s.dfeDeclarations().Void(r.Context(), s.dfe, d.ID, v.Reason, currentUser(r.Context()).ID, s.now())
	if err != nil {
		return backTo(path, err)
	}
	return s.seeOther(w, r, "/admin/dfe/declarations?state=voided", "Voided "+d.Name+"'s "+string(d.Type)+" declaration")
}

func (s *Server) adminDfEOutcomes(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	state, ok := outbound.ParseOutcomeState(r.URL.Query().Get("state"))
	if !ok {
		return badRequest("The list could not be filtered.")
	}
	rows, err := s.dfeDeclarations().Outcomes(r.Context(), outbound.Filter{State: state, Query: req.Query}, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, outbound.OutcomeKey)
	v := admin.DfEOutcomesView{Enabled: s.dfe != nil, State: string(state), Query: req.Query, Pages: seekPager(r, page)}
	for _, st := range outbound.OutcomeStates {
		v.Tabs = append(v.Tabs, admin.DfEStateTab{Label: st.Label(), Href: "/admin/dfe/outcomes?state=" + url.QueryEscape(string(st)), Current: st == state})
	}
	for _, o := range page.Rows {
		v.Rows = append(v.Rows, admin.DfEOutcomeRow{Name: o.Name, Email: o.Email, EnrolmentHref: "/admin/enrolments/" + strconv.FormatInt(o.EnrolmentID, 10),
			Course: o.Course + " (" + o.DfECourse + ")", Cohort: o.Cohort + cohortSuffix(o.DfECohort), Outcome: map[bool]string{true: "Passed", false: "Failed"}[o.Passed],
			CompletionDate: o.CompletionDate, Evidence: evidenceWords(o.Evidence), RuleVersion: o.RuleVersion, DfEID: o.DfEID, Error: o.Error})
	}
	return s.ok(w, r, admin.DfEOutcomes(v))
}
