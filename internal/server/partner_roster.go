package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"npq/internal/programme"
	"npq/internal/timefmt"
	"npq/web/pages/partner"
)

// cohortRows turns cohorts into list rows linking under base ("/partner/cohorts/"), with
// each cohort's stage on today.
func cohortRows(cohorts []programme.Cohort, base string, today time.Time) []partner.CohortRow {
	rows := make([]partner.CohortRow, len(cohorts))
	for i, c := range cohorts {
		rows[i] = partner.CohortRow{Href: base + strconv.FormatInt(c.ID, 10), Name: c.Name, Course: c.CourseName, Partner: c.PartnerName,
			Stage: c.Stage(today), StartsOn: c.StartsOn, Participants: c.Participants, Active: c.Active}
	}
	return rows
}

// cohortFromURL loads the cohort in the URL within the user's scope; another partner's
// cohort is a 404, as its existence is not theirs to know.
func (s *Server) cohortFromURL(r *http.Request) (programme.Cohort, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "cohort"), 10, 64)
	if err != nil {
		return programme.Cohort{}, errNotFound
	}
	return s.programme.CohortByID(r.Context(), id, scopeFor(r))
}

// rosterView builds a cohort's roster page from the query string (sort, dir, inactive).
func (s *Server) rosterView(r *http.Request, c programme.Cohort, basePath string) (partner.RosterView, error) {
	now := s.now()
	today := programme.Today(now)
	blocks, err := s.programme.CohortBlocks(r.Context(), c.ID, scopeFor(r))
	if err != nil {
		return partner.RosterView{}, err
	}
	entries, err := s.programme.Roster(r.Context(), c.ID, scopeFor(r), blocks, today)
	if err != nil {
		return partner.RosterView{}, err
	}
	q := r.URL.Query()
	v := partner.RosterView{Cohort: c, Stage: c.Stage(today), Blocks: blocks, Entries: entries, Now: now, BasePath: basePath,
		Sort: q.Get("sort"), Dir: q.Get("dir"), InactiveDays: programme.InactiveDays}
	if !slices.Contains(programme.RosterSorts, v.Sort) {
		v.Sort = "name"
	}
	if v.Dir != "desc" {
		v.Dir = "asc"
	}
	if n, err := strconv.Atoi(q.Get("inactive")); err == nil && n >= 1 && n <= 365 {
		v.InactiveDays = n
	}
	programme.SortRoster(v.Entries, v.Sort, v.Dir)
	return v, nil
}

// writeRosterCSV sends a cohort's roster as a CSV file.
func writeRosterCSV(w http.ResponseWriter, c programme.Cohort, entries []programme.RosterEntry, now time.Time) error {
	cw := newCSV(w, fmt.Sprintf("roster-cohort-%d.csv", c.ID))
	cw.Write("name", "email", "status", "funding_route", "required_done", "required_total", "progress_percent",
		"current_block", "last_active", "days_since_active")
	for _, e := range entries {
		last, days := "", ""
		if e.LastActivityAt != nil {
			last = timefmt.ISODateTime(*e.LastActivityAt)
			days = strconv.Itoa(e.DaysSinceActive(now))
		}
		block := ""
		if e.CurrentBlock != "" {
			block = strconv.Itoa(e.CurrentBlockNo) + ". " + e.CurrentBlock
		}
		cw.Write(e.Name, e.Email, string(e.Status), string(e.FundingRoute), strconv.Itoa(e.Progress.Done),
			strconv.Itoa(e.Progress.Required), strconv.Itoa(e.Progress.Percent()), block, last, days)
	}
	return cw.Flush()
}

func (s *Server) partnerRosterCSV(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	blocks, err := s.programme.CohortBlocks(r.Context(), c.ID, scopeFor(r))
	if err != nil {
		return err
	}
	now := s.now()
	entries, err := s.programme.Roster(r.Context(), c.ID, scopeFor(r), blocks, programme.Today(now))
	if err != nil {
		return err
	}
	return writeRosterCSV(w, c, entries, now)
}
