package server

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/lifecycle"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/web/pages/participant"
)

// assessmentView gathers the participant's assessment page.
func (s *Server) assessmentView(r *http.Request) (participant.AssessmentView, error) {
	ctx := r.Context()
	v := participant.AssessmentView{Query: r.URL.RawQuery}
	today := programme.Today(s.now())
	enrolmentID, err := s.assessmentCourse(r, &v, today)
	if errors.Is(err, database.ErrNotFound) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	w, marked, err := s.assessment.AttemptFor(ctx, enrolmentID)
	if err != nil {
		return v, err
	}
	v.Window = &w
	v.Today = w.Open(today)
	if v.Spec, err = s.assessment.Spec(ctx, w.Qualification); err != nil {
		return v, err
	}
	if marked == nil {
		v.CanStart = v.Today && w.Status == programme.StatusActive
		return v, nil
	}
	sub := marked.Submission
	v.Submission = &sub
	switch sub.Stage {
	case assessment.StageDraft:
		v.Findings = assessment.Check(v.Spec, sub.Draft())
	case assessment.StageReleased:
		if err := releasedOutcome(&v, *marked); err != nil {
			return v, err
		}
		v.CanStart = v.Today && !v.Result.Passed && sub.Attempt < w.Attempts && w.Status == programme.StatusActive
	}
	return v, nil
}

// assessmentCourse finds the enrolment whose assessment the page shows (the one the URL
// names, or the one that matters now) and fills the page's course switcher.
func (s *Server) assessmentCourse(r *http.Request, v *participant.AssessmentView, today time.Time) (int64, error) {
	c, _, err := s.chooseCourse(r)
	if err != nil {
		return 0, err
	}
	enrolmentID, err := s.assessment.EnrolmentFor(r.Context(), currentUser(r.Context()).ID, c.chosenID(), today)
	if err != nil {
		return 0, err
	}
	c.pick(enrolmentID)
	v.Switcher = c.switcher("/assessment")
	v.Enrolment = enrolmentView(c.chosen)
	v.Standing = s.standing(c, c.chosen)
	if v.Standing.AboutAssessment() {
		v.Standing = lifecycle.StandingView{}
	}
	if c.named {
		v.Course = strconv.FormatInt(enrolmentID, 10)
	}
	return enrolmentID, nil
}

// releasedOutcome works out a released submission's result, with the comment behind each
// criterion's judgement and the markers' overall feedback.
func releasedOutcome(v *participant.AssessmentView, marked assessment.Marked) error {
	agreed, sheets := marked.Agreed, marked.Sheets
	judgements := map[string]assessment.Judgement{}
	v.Comments = map[string]string{}
	for k, a := range agreed {
		judgements[k] = a.Judgement
		from := assessment.RoleFirst
		if a.Source == "moderated" {
			from = assessment.RoleModerator
		}
		v.Comments[k] = sheets[from].Marks[k].Comment
	}
	res, err := assessment.Outcome(v.Spec, v.Submission.Draft(), judgements)
	if err != nil {
		return err
	}
	v.Result = &res
	for _, role := range []string{assessment.RoleFirst, assessment.RoleModerator} {
		if f := sheets[role].Feedback; f != "" {
			v.Feedback = append(v.Feedback, f)
		}
	}
	return nil
}

func (s *Server) participantAssessment(w http.ResponseWriter, r *http.Request) error {
	v, err := s.assessmentView(r)
	if err != nil {
		return err
	}
	return s.ok(w, r, participant.Assessment(v))
}

// participantAssessmentSubmitted shows the text and documents of the participant's latest
// submitted attempt, read-only.
func (s *Server) participantAssessmentSubmitted(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := participant.AssessmentView{Query: r.URL.RawQuery}
	chosen, err := courseParam(r)
	if err != nil {
		return err
	}
	enrolmentID, err := s.assessment.EnrolmentFor(ctx, currentUser(ctx).ID, chosen, programme.Today(s.now()))
	if errors.Is(err, database.ErrNotFound) && chosen == 0 {
		return s.ok(w, r, participant.AssessmentSubmitted(v))
	}
	if err != nil {
		return err
	}
	sub, err := s.assessment.LatestSubmitted(ctx, enrolmentID)
	if errors.Is(err, database.ErrNotFound) {
		return s.ok(w, r, participant.AssessmentSubmitted(v))
	}
	if err != nil {
		return err
	}
	v.Submission = &sub
	if v.Spec, err = s.assessment.Spec(ctx, sub.Qualification); err != nil {
		return err
	}
	return s.ok(w, r, participant.AssessmentSubmitted(v))
}

// courseParam is the enrolment id the URL's ?course= names, or 0 when it names none; a value
// that is not a number is a 404.
func courseParam(r *http.Request) (int64, error) {
	p := r.URL.Query().Get("course")
	if p == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(p, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// assessmentPage is the assessment page for the course the request was about.
func assessmentPage(r *http.Request) string {
	if id, err := courseParam(r); err == nil && id > 0 {
		return participant.CourseHref("/assessment", id)
	}
	return "/assessment"
}

// ownDraft returns the participant's current draft, or a problem to show.
func (s *Server) ownDraft(r *http.Request) (assessment.Submission, error) {
	ctx := r.Context()
	chosen, err := courseParam(r)
	if err != nil {
		return assessment.Submission{}, err
	}
	enrolmentID, err := s.assessment.EnrolmentFor(ctx, currentUser(ctx).ID, chosen, programme.Today(s.now()))
	if err != nil {
		return assessment.Submission{}, err
	}
	sub, err := s.assessment.Latest(ctx, enrolmentID)
	if err != nil {
		return sub, err
	}
	if sub.Stage != assessment.StageDraft {
		return sub, problem.New("Your submission has been submitted and can no longer change")
	}
	return sub, nil
}

// assessmentDone answers a change to the participant's assessment: back to the page with
// flash, or with the problem when the change was refused.
func (s *Server) assessmentDone(w http.ResponseWriter, r *http.Request, err error, flash string) error {
	return s.seeOtherAfter(w, r, err, assessmentPage(r), flash)
}

func (s *Server) participantAssessmentStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	chosen, err := courseParam(r)
	if err != nil {
		return err
	}
	enrolmentID, err := s.assessment.EnrolmentFor(ctx, currentUser(ctx).ID, chosen, programme.Today(now))
	if err != nil {
		return err
	}
	win, err := s.assessment.WindowFor(ctx, enrolmentID)
	if err != nil {
		return err
	}
	if !win.Open(programme.Today(now)) {
		return s.seeOtherProblem(w, r, assessmentPage(r), "The assessment window is not open")
	}
	_, err = s.assessment.StartAttempt(ctx, enrolmentID, now)
	return s.assessmentDone(w, r, err, "Your draft is ready")
}

func (s *Server) participantAssessmentSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v, err := s.assessmentView(r)
	if err != nil {
		return err
	}
	if v.Submission == nil || v.Submission.Stage != assessment.StageDraft {
		return s.seeOtherProblem(w, r, assessmentPage(r), "Your submission has been submitted and can no longer change")
	}
	// Only the texts sent are saved: a task missing from the request is left as it was, never emptied.
	texts := map[string]string{}
	for _, t := range v.Spec.Tasks {
		if _, sent := r.PostForm["text-"+t.Key]; !sent {
			continue
		}
		texts[t.Key] = r.PostForm.Get("text-" + t.Key)
		v.Errors.Add("text-"+t.Key, maxLength(t.Name, texts[t.Key], 200000))
	}
	if len(texts) == 0 {
		return badRequest("The draft was not understood, so nothing was saved. Go back, reload the page and try again.")
	}
	if v.Errors.Any() {
		v.Texts = texts
		return s.invalid(w, r, participant.Assessment(v))
	}
	return s.assessmentDone(w, r, s.assessment.SaveDraft(r.Context(), v.Submission.ID, texts), "Your draft is saved")
}

func (s *Server) participantAssessmentUpload(w http.ResponseWriter, r *http.Request) error {
	const limit = assessment.MaxUploadBytes + 1<<20
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	v, err := s.assessmentView(r)
	if err != nil {
		return err
	}
	if v.Submission == nil || v.Submission.Stage != assessment.StageDraft {
		return s.seeOtherProblem(w, r, assessmentPage(r), "Your submission has been submitted and can no longer change")
	}
	perr := parseMultipartForm(r, 1<<20)
	slots := v.Spec.DocumentSlots()
	slot := -1
	for i, sl := range slots {
		if r.FormValue("slot") == sl.Key() {
			slot = i
		}
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(perr, &tooLarge):
		// The slot is not known when the body was cut short: show the problem on the first.
		v.Errors.Add("slot-"+strconv.Itoa(max(slot, 0)), "The selected file must be smaller than 25 MB")
		return s.invalid(w, r, participant.Assessment(v))
	case errors.Is(perr, errMalformed):
		return perr
	case perr != nil || slot < 0:
		return httpError{Status: http.StatusBadRequest, Message: "The upload was not understood. Go back and try again."}
	}
	field := "slot-" + strconv.Itoa(slot)
	file, header, err := r.FormFile("file")
	if err != nil {
		v.Errors.Add(field, "Select a file to upload")
		return s.invalid(w, r, participant.Assessment(v))
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	name := assessment.CleanFileName(header.Filename)
	contentType, problem := assessment.CheckUpload(name, data)
	if problem != "" {
		v.Errors.Add(field, problem)
		return s.invalid(w, r, participant.Assessment(v))
	}
	if err := s.assessment.AddFile(r.Context(), v.Submission.ID, slots[slot].Key(), name, contentType, data); err != nil {
		// A full slot or quota: shown on the upload it refused.
		return onField(err, &v.Errors, field, func() templ.Component { return participant.Assessment(v) })
	}
	return s.seeOther(w, r, assessmentPage(r), "Attached "+name)
}

func (s *Server) participantAssessmentRemoveFile(w http.ResponseWriter, r *http.Request) error {
	fileID, err := urlID(r, "file")
	if err != nil {
		return err
	}
	sub, err := s.ownDraft(r)
	if err != nil {
		return s.assessmentDone(w, r, err, "")
	}
	return s.assessmentDone(w, r, s.assessment.RemoveFile(r.Context(), sub.ID, fileID), "The file is removed")
}

func (s *Server) participantAssessmentSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	sub, err := s.ownDraft(r)
	if err != nil {
		return s.assessmentDone(w, r, err, "")
	}
	if field(r, "confirm") != "yes" {
		v, err := s.assessmentView(r)
		if err != nil {
			return err
		}
		v.Errors.Add("confirm", "Confirm this is your own work and you are ready to submit it")
		return s.invalid(w, r, participant.Assessment(v))
	}
	return s.assessmentDone(w, r, s.assessment.Submit(r.Context(), sub.ID, s.now()), "Your assessment is submitted")
}

// assessmentFile serves a supporting document to the participant, their markers and admins,
// named for markers by candidate number and document.
func (s *Server) assessmentFile(w http.ResponseWriter, r *http.Request) error {
	fileID, err := urlID(r, "file")
	if err != nil {
		return err
	}
	u := currentUser(r.Context())
	f, data, err := s.assessment.FileData(r.Context(), fileID, scopeFor(r))
	if err != nil {
		return err
	}
	name := f.MarkerName // markers and moderators never learn the participant's own file name
	if u.Role == auth.RoleParticipant || u.Role == auth.RoleProviderAdmin {
		name = f.Name
	}
	w.Header().Set("Content-Type", f.ContentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" { // a name that cannot be encoded: still never shown inline
		disposition = "attachment"
	}
	w.Header().Set("Content-Disposition", disposition)
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(data)
	return err
}
