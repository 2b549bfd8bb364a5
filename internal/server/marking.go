package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/web/pages/marking"
)

func (s *Server) markingHome(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	u := currentUser(r.Context())
	toDo, earlier, err := s.assessment.MarkerPage(r.Context(), u.ID, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(earlier, req, assessment.EarlierKey)
	return s.ok(w, r, marking.Home(marking.HomeView{Name: u.Name, Allocated: toDo, Earlier: page.Rows, Pages: seekPager(r, page),
		Today: programme.Today(s.now())}))
}

// markingSheet loads the marking page of the signed-in marker's role on a submission; a
// submission not allocated to them is not found. Admins moderate through their own pages.
func (s *Server) markingSheet(r *http.Request) (marking.SheetView, error) {
	ctx := r.Context()
	var v marking.SheetView
	id, err := urlID(r, "submission")
	if err != nil {
		return v, err
	}
	v.Role, v.Path, v.Back = chi.URLParam(r, "role"), marking.SheetPath(id, chi.URLParam(r, "role")), "/marking"
	if currentUser(ctx).Role == auth.RoleProviderAdmin {
		v.Role, v.Path, v.Back = assessment.RoleModerator, "/admin/assessment/"+strconv.FormatInt(id, 10)+"/moderate", "/admin/assessment/"+strconv.FormatInt(id, 10)
	}
	var all map[string]assessment.Sheet
	v.Submission, all, err = s.assessment.SubmissionWithSheets(ctx, id)
	if err != nil {
		return v, err
	}
	if a, ok := v.Submission.Allocations[v.Role]; !ok || a.MarkerID != currentUser(ctx).ID || v.Submission.SubmittedAt == nil {
		return v, errNotFound
	}
	if v.Spec, err = s.assessment.Spec(ctx, v.Submission.Qualification); err != nil {
		return v, err
	}
	v.Sheet = all[v.Role]
	v.Keys = assessment.CriteriaFor(v.Spec, v.Role, all)
	v.Passages = assessment.Passages(v.Spec, v.Submission.Texts)
	v.Tagged = assessment.TaggedPassages(v.Passages)
	if v.Role == assessment.RoleModerator {
		v.Others = map[string]assessment.Sheet{assessment.RoleFirst: all[assessment.RoleFirst], assessment.RoleSecond: all[assessment.RoleSecond]}
	}
	v.Editable = v.Sheet.CompletedAt == nil && v.Submission.Stage == assessment.StageForRole(v.Role)
	return v, nil
}

func (s *Server) markingPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.markingSheet(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, marking.Sheet(v))
}

func (s *Server) markingSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, err := s.markingSheet(r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(field(r, "version"))
	action := field(r, "action")
	if err != nil || (action != "save" && action != "complete") {
		return httpError{Status: http.StatusBadRequest, Message: "The marks were not understood. Go back, reload the page and try again."}
	}
	in := assessment.SheetInput{Marks: map[string]assessment.Mark{}, Feedback: r.PostForm.Get("feedback"), Version: version, Complete: action == "complete"}
	for i, k := range v.Keys {
		m := assessment.Mark{Judgement: assessment.Judgement(field(r, "j-"+k)), Comment: r.PostForm.Get("c-" + k)}
		if m.Judgement != "" && !assessment.ValidJudgement(m.Judgement) {
			v.Errors.Add("j-"+strconv.Itoa(i), "Choose a judgement from the scale")
		} else if in.Complete && m.Judgement == "" {
			v.Errors.Add("j-"+strconv.Itoa(i), "Choose a judgement on "+v.CriterionLabel(k)+" before completing")
		}
		v.Errors.Add("c-"+strconv.Itoa(i), maxLength("The comment on "+v.Criterion(k).Code, m.Comment, 5000))
		in.Marks[k] = m
	}
	v.Errors.Add("feedback", maxLength("Overall feedback", in.Feedback, 20000))
	if v.Errors.Any() {
		v.Sheet.Marks, v.Sheet.Feedback = in.Marks, in.Feedback
		return s.invalid(w, r, marking.Sheet(v))
	}
	if err := s.assessment.SaveSheet(r.Context(), v.Submission.ID, v.Role, currentUser(r.Context()).ID, in, s.now()); err != nil {
		return backTo(v.Path, err)
	}
	if in.Complete {
		return s.seeOther(w, r, v.Back, "Marking of candidate "+v.Submission.CandidateNumber+" is complete")
	}
	return s.seeOther(w, r, v.Path, "Your marks are saved as a draft")
}
