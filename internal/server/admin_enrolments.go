package server

import (
	"errors"
	"net/http"

	"npq/internal/plural"
	"npq/internal/programme"
	"npq/web/pages/admin"
)

func (s *Server) adminImportForm(w http.ResponseWriter, r *http.Request) error {
	cohorts, err := s.programme.Cohorts(r.Context(), scopeFor(r))
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Import(admin.ImportView{Cohorts: cohorts}))
}

func (s *Server) adminImport(w http.ResponseWriter, r *http.Request) error {
	cohorts, err := s.programme.Cohorts(r.Context(), scopeFor(r))
	if err != nil {
		return err
	}
	v := admin.ImportView{Cohorts: cohorts}
	r.Body = http.MaxBytesReader(w, r.Body, programme.MaxImportBytes+64<<10)
	if err := parseMultipartForm(r, programme.MaxImportBytes+64<<10); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			v.Errors.Add("file", "The file must be smaller than 2 MB")
			return s.invalid(w, r, admin.Import(v))
		}
		if errors.Is(err, errMalformed) {
			return err
		}
		v.Errors.Add("file", "Choose a CSV file to upload")
		return s.invalid(w, r, admin.Import(v))
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		v.Errors.Add("file", "Choose a CSV file to upload")
		return s.invalid(w, r, admin.Import(v))
	}
	defer file.Close()
	v.FileName = header.Filename
	rows, problems, err := programme.ParseEnrolmentCSV(file)
	var bad programme.BadFileError
	if errors.As(err, &bad) {
		v.Errors.Add("file", string(bad))
		return s.invalid(w, r, admin.Import(v))
	}
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		var n int
		n, problems, err = s.programme.ImportEnrolments(r.Context(), rows, currentUser(r.Context()).ID, s.cfg.BaseURL)
		if err != nil {
			return err
		}
		if len(problems) == 0 {
			return s.seeOther(w, r, "/admin/cohorts", "Enrolled "+plural.Count(n, "participant", "participants")+" from "+header.Filename)
		}
	}
	v.Problems = problems
	v.Errors.Add("file", problemRows(len(problems))+", so nobody was enrolled")
	return s.invalid(w, r, admin.Import(v))
}

func (s *Server) adminEnrolment(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "enrolment")
	if err != nil {
		return err
	}
	e, err := s.programme.EnrolmentByID(r.Context(), id)
	if err != nil {
		return err
	}
	history, blocks, err := s.programme.HistoryAndJourney(r.Context(), e)
	if err != nil {
		return err
	}
	v := admin.EnrolmentPage{Enrolment: e, History: history, Progress: programme.CourseProgress(blocks)}
	if v.Requests, v.Letters, err = s.lifecycle.RequestsAndLetters(r.Context(), e.ID); err != nil {
		return err
	}
	if v.DfE, err = s.enrolmentDfESection(r.Context(), e.ID); err != nil {
		return err
	}
	return s.ok(w, r, admin.Enrolment(v))
}

// problemRows says how many rows of an import have problems.
func problemRows(n int) string {
	return plural.Count(n, "row has", "rows have") + " problems"
}
