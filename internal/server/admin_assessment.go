package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"npq/internal/assessment"
	"npq/internal/database"
	"npq/internal/listing"
	"npq/internal/plural"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) adminAssessmentView(r *http.Request) (admin.AssessmentView, error) {
	req, err := listRequest(r)
	if err != nil {
		return admin.AssessmentView{}, err
	}
	v, f, err := readSubmissionsFilter(r)
	if err != nil {
		return v, err
	}
	f.Query = req.Query
	o, err := s.listChoices(r)
	if err != nil {
		return v, err
	}
	v.Courses, v.Cohorts, v.Partners, v.CohortHint = o.courses, o.cohorts, o.partners, o.cohortHint
	v.Ages = ageChoices()
	rows, err := s.assessment.SubmissionsPage(r.Context(), f, s.now(), req)
	if err != nil {
		return v, listFailed(err)
	}
	page := listing.Cut(rows, req, assessment.ListedKey)
	v.Submissions, v.Pages = page.Rows, seekPager(r, page)
	return v, nil
}

// readSubmissionsFilter reads the submissions list's filters from the address; anything no
// form of ours sends is 400.
func readSubmissionsFilter(r *http.Request) (admin.AssessmentView, assessment.SubmissionFilter, error) {
	q := r.URL.Query()
	v := admin.AssessmentView{Stage: assessment.Stage(q.Get("stage")), Filter: admin.SubmissionsFilter{Query: q.Get("q"),
		Course: q.Get("course"), Cohort: q.Get("cohort"), Partner: q.Get("partner"), Age: q.Get("age")}}
	f := assessment.SubmissionFilter{Stage: v.Stage}
	if v.Stage != assessment.Waiting && v.Stage != assessment.AnyStage && v.Stage.Label() == "" {
		return v, f, httpError{Status: http.StatusBadRequest, Message: "There is no such stage."}
	}
	var err error
	if f.OlderThan, err = filterAge(r); err != nil {
		return v, f, err
	}
	for _, id := range []struct {
		name string
		to   *int64
	}{{"course", &f.CourseID}, {"cohort", &f.CohortID}, {"partner", &f.PartnerID}} {
		if *id.to, err = filterID(r, id.name); err != nil {
			return v, f, err
		}
	}
	return v, f, nil
}

func (s *Server) adminAssessment(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminAssessmentView(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Assessment(v))
}

func (s *Server) adminAutoAllocate(w http.ResponseWriter, r *http.Request) error {
	done, left, err := s.assessment.AutoAllocate(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return err
	}
	msg := "Allocated " + plural.Count(done, "marking task", "marking tasks")
	if left > 0 {
		return s.seeOtherProblem(w, r, "/admin/assessment", msg+"; "+plural.Number(left)+" could not be allocated because no eligible assessor is free of a conflict")
	}
	return s.seeOther(w, r, "/admin/assessment", msg)
}

// adminRelease releases the ticked outcomes after a confirmation page that lists them and
// says what releasing does; Change goes back to the list with them still ticked.
func (s *Server) adminRelease(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ids, err := releaseIDs(r)
	if err != nil {
		return err
	}
	if len(ids) == 0 || field(r, "change") != "" {
		return s.releaseList(w, r, ids, "")
	}
	if field(r, "confirm") != "yes" {
		batch, err := s.assessment.ReleaseBatch(r.Context(), ids)
		if err != nil {
			return err
		}
		if p := releaseProblem(ids, batch); p != "" {
			return s.releaseList(w, r, ids, p)
		}
		return s.ok(w, r, admin.ConfirmRelease(admin.ReleaseCheck{Batch: batch, Consequences: assessment.ReleaseConsequences(batch)}))
	}
	n, err := s.assessment.Release(r.Context(), ids, currentUser(r.Context()).ID, s.now())
	if errors.Is(err, database.ErrNotFound) {
		return httpError{Status: http.StatusUnprocessableEntity, Message: "One of the selected submissions no longer exists. Nothing was released."}
	}
	return s.seeOtherAfter(w, r, err, "/admin/assessment", "Released "+plural.Count(n, "outcome", "outcomes"))
}

// releaseIDs reads the ticked submissions; anything but ids is a malformed request.
func releaseIDs(r *http.Request) ([]int64, error) {
	var ids []int64
	for _, raw := range r.PostForm["release"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return nil, httpError{Status: http.StatusBadRequest, Message: "The selection was not understood. Go back and try again."}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// releaseProblem says why a batch cannot be released, or "".
func releaseProblem(ids []int64, batch []assessment.Listed) string {
	found := map[int64]bool{}
	for _, l := range batch {
		found[l.ID] = true
		if l.Stage != assessment.StageReady {
			return "Candidate " + l.CandidateNumber + " is not ready for release. Select the outcomes again."
		}
	}
	for _, id := range ids {
		if !found[id] {
			return "One of the selected submissions no longer exists. Select the outcomes again."
		}
	}
	return ""
}

// releaseList shows the assessment page with ids ticked: with the problem msg, or asking for
// a selection when there is none.
func (s *Server) releaseList(w http.ResponseWriter, r *http.Request, ids []int64, msg string) error {
	v, err := s.adminAssessmentView(r)
	if err != nil {
		return err
	}
	v.Selected = map[int64]bool{}
	for _, id := range ids {
		v.Selected[id] = true
	}
	switch {
	case msg != "":
		v.Errors.Add("release", msg)
	case len(ids) == 0:
		v.Errors.Add("release", "Select the outcomes to release")
	default:
		return s.ok(w, r, admin.Assessment(v))
	}
	return s.invalid(w, r, admin.Assessment(v))
}

func (s *Server) adminSubmissionView(r *http.Request) (admin.SubmissionView, error) {
	ctx := r.Context()
	var v admin.SubmissionView
	id, err := urlID(r, "submission")
	if err != nil {
		return v, err
	}
	if v.Submission, v.Sheets, err = s.assessment.SubmissionWithSheets(ctx, id); err != nil {
		return v, err
	}
	if v.Spec, err = s.assessment.Spec(ctx, v.Submission.Qualification); err != nil {
		return v, err
	}
	if v.Agreed, err = s.assessment.AgreedJudgements(ctx, id); err != nil {
		return v, err
	}
	if len(v.Agreed) > 0 {
		judgements := map[string]assessment.Judgement{}
		for k, a := range v.Agreed {
			judgements[k] = a.Judgement
		}
		if res, err := assessment.Outcome(v.Spec, v.Submission.Draft(), judgements); err == nil {
			v.Result = &res
		}
	}
	assessors, err := s.assessment.Assessors(ctx)
	if err != nil {
		return v, err
	}
	v.Assessors = []components.Option{{Value: "", Label: "Choose an assessor"}}
	for _, a := range assessors {
		v.Assessors = append(v.Assessors, components.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name + " (" + plural.Number(a.Open) + " unfinished)"})
	}
	if v.Submission.Stage == assessment.StageModeration {
		me := currentUser(ctx)
		v.Assessors = append(v.Assessors, components.Option{Value: strconv.FormatInt(me.ID, 10), Label: "You, " + me.Name + " (as moderator only)"})
		a, ok := v.Submission.Allocations[assessment.RoleModerator]
		v.Moderating = ok && a.MarkerID == me.ID
	}
	return v, nil
}

func (s *Server) adminSubmission(w http.ResponseWriter, r *http.Request) error {
	v, err := s.adminSubmissionView(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Submission(v))
}

func (s *Server) adminAllocate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, err := s.adminSubmissionView(r)
	if err != nil {
		return err
	}
	v.Form = admin.AllocateForm{Role: field(r, "role"), Marker: field(r, "marker")}
	if !hasOption(v.Roles(), v.Form.Role) {
		v.Errors.Add("role", "Choose a role that can be allocated at this stage")
	}
	marker, _ := strconv.ParseInt(v.Form.Marker, 10, 64)
	if marker <= 0 || !hasOption(v.Assessors, v.Form.Marker) {
		v.Errors.Add("marker", "Choose an assessor")
	}
	if v.Errors.Any() {
		return s.invalid(w, r, admin.Submission(v))
	}
	if err := s.assessment.Allocate(r.Context(), v.Submission.ID, v.Form.Role, marker, currentUser(r.Context()).ID); err != nil {
		return onField(err, &v.Errors, "marker", func() templ.Component { return admin.Submission(v) })
	}
	return s.seeOther(w, r, "/admin/assessment/"+strconv.FormatInt(v.Submission.ID, 10), "Allocated")
}

func (s *Server) adminAssessmentSettings(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "course")
	if err != nil {
		return err
	}
	st, err := s.assessment.SettingsFor(r.Context(), id)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.AssessmentSettings(admin.SettingsForm{CourseID: id, CourseName: st.CourseName,
		Attempts: strconv.Itoa(st.Attempts), SamplePercent: strconv.Itoa(st.SamplePercent), NoOwnPartner: st.NoOwnPartner}))
}

func (s *Server) adminAssessmentSettingsSave(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "course")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	st, err := s.assessment.SettingsFor(r.Context(), id)
	if err != nil {
		return err
	}
	f := admin.SettingsForm{CourseID: id, CourseName: st.CourseName, Attempts: field(r, "attempts"), SamplePercent: field(r, "sample"), NoOwnPartner: field(r, "no_own_partner") == "yes"}
	var p string
	st.Attempts, p = wholeNumber("Attempts allowed", f.Attempts, 1, 5)
	f.Errors.Add("attempts", p)
	st.SamplePercent, p = wholeNumber("Passes second-marked", f.SamplePercent, 0, 100)
	f.Errors.Add("sample", p)
	st.NoOwnPartner = f.NoOwnPartner
	if f.Errors.Any() {
		return s.invalid(w, r, admin.AssessmentSettings(f))
	}
	if err := s.assessment.SaveSettings(r.Context(), st, currentUser(r.Context()).ID); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/courses/"+strconv.FormatInt(id, 10), "Assessment settings saved")
}

func (s *Server) adminAssessors(w http.ResponseWriter, r *http.Request) error {
	assessors, err := s.assessment.Assessors(r.Context())
	if err != nil {
		return err
	}
	partners, err := s.programme.Partners(r.Context())
	if err != nil {
		return err
	}
	v := admin.AssessorsView{Assessors: assessors}
	for _, p := range partners {
		v.Partners = append(v.Partners, components.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	return s.ok(w, r, admin.Assessors(v))
}

func (s *Server) adminAssessorSave(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "user")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	partners, err := s.programme.Partners(r.Context())
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, p := range partners {
		known[strconv.FormatInt(p.ID, 10)] = true
	}
	ids := []int64{}
	for _, raw := range r.PostForm["partner"] {
		if !known[raw] {
			return httpError{Status: http.StatusBadRequest, Message: "The delivery partners were not understood. Go back and try again."}
		}
		n, _ := strconv.ParseInt(raw, 10, 64)
		ids = append(ids, n)
	}
	if err := s.assessment.SetAffiliations(r.Context(), id, ids, currentUser(r.Context()).ID); err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/assessment/assessors", "Saved")
}
