package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"npq/internal/listing"
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

// rosterQuery reads a roster's search, filters and sort from its address; a status or
// engagement filter it does not know is a 400, an unknown sort the default.
func rosterQuery(q url.Values) (f programme.RosterFilter, sort, dir string, err error) {
	f = programme.RosterFilter{Query: strings.TrimSpace(q.Get("q")), Status: programme.Status(q.Get("status")),
		Engagement: q.Get("engagement"), InactiveDays: programme.InactiveDays}
	if len([]rune(f.Query)) > 100 {
		f.Query = string([]rune(f.Query)[:100])
	}
	if f.Status != "" && !slices.Contains(programme.Statuses, f.Status) {
		return f, "", "", badRequest("There is no such status.")
	}
	if f.Engagement != "" && !slices.Contains(programme.Engagements, f.Engagement) {
		return f, "", "", badRequest("There is no such engagement filter.")
	}
	if n, err := strconv.Atoi(q.Get("inactive")); err == nil && n >= 1 && n <= 365 {
		f.InactiveDays = n
	}
	sort, dir = q.Get("sort"), q.Get("dir")
	if !slices.Contains(programme.RosterSorts, sort) {
		sort = "name"
	}
	if dir != "desc" {
		dir = "asc"
	}
	return f, sort, dir, nil
}

// rosterEntries loads a cohort's roster and keeps the rows its address's search and filters
// ask for, sorted as it asks; it also counts the active participants per engagement filter.
func (s *Server) rosterEntries(r *http.Request, c programme.Cohort) (rosterRows, error) {
	out := rosterRows{now: s.now()}
	var err error
	if out.filter, out.sort, out.dir, err = rosterQuery(r.URL.Query()); err != nil {
		return out, err
	}
	if out.blocks, err = s.programme.CohortBlocks(r.Context(), c.ID, scopeFor(r)); err != nil {
		return out, err
	}
	all, err := s.programme.Roster(r.Context(), c.ID, scopeFor(r), out.blocks, out.now)
	if err != nil {
		return out, err
	}
	out.counts = map[string]int{}
	for _, e := range all {
		for _, g := range programme.Engagements {
			if (programme.RosterFilter{Engagement: g, InactiveDays: out.filter.InactiveDays}).MatchEngagement(e, out.now) {
				out.counts[g]++
			}
		}
	}
	out.entries = programme.FilterRoster(all, out.filter, out.now)
	programme.SortRoster(out.entries, out.sort, out.dir)
	return out, nil
}

// rosterRows is a roster as its address asks for it, before paging.
type rosterRows struct {
	now       time.Time
	filter    programme.RosterFilter
	sort, dir string
	blocks    []programme.Block
	entries   []programme.RosterEntry
	counts    map[string]int
}

// rosterView builds a cohort's roster page from its address: search, filters, sort and a
// keyset page of the rows (a cursor or page size the page did not write is a 400).
func (s *Server) rosterView(r *http.Request, c programme.Cohort, basePath string) (partner.RosterView, error) {
	req, err := listing.Read(r.URL.Query())
	if err != nil {
		return partner.RosterView{}, badRequest("That page of the roster does not exist. Go back to the first page and try again.")
	}
	rows, err := s.rosterEntries(r, c)
	if err != nil {
		return partner.RosterView{}, err
	}
	fetched, err := programme.SeekRoster(rows.entries, rows.sort, rows.dir, req.Cursor(), req.Backward(), req.Limit())
	if err != nil {
		return partner.RosterView{}, badRequest("That page of the roster does not exist. Go back to the first page and try again.")
	}
	page := listing.Cut(fetched, req, func(e programme.RosterEntry) listing.Cursor { return programme.RosterKey(e, rows.sort) })
	v := partner.RosterView{Cohort: c, Stage: c.Stage(programme.Today(rows.now)), Blocks: rows.blocks, Entries: page.Rows,
		Matching: len(rows.entries), Now: rows.now, BasePath: basePath, Sort: rows.sort, Dir: rows.dir, Filter: rows.filter,
		Counts: rows.counts, InactiveDays: rows.filter.InactiveDays}
	if req.Size != listing.DefaultSize {
		v.Size = req.Size
	}
	v.PrevHref, v.NextHref = page.Links(r.URL)
	v.PersonHref = func(e programme.RosterEntry) string {
		return "/partner/participants/" + strconv.FormatInt(e.UserID, 10)
	}
	return v, nil
}

// writeRosterCSV sends roster entries as a CSV file named after the cohort and the day, with
// the words the page uses rather than codes.
func writeRosterCSV(w http.ResponseWriter, c programme.Cohort, rows rosterRows) error {
	cw := newCSV(w, csvFileName("roster", rows.now, c.QualificationCode, c.Name))
	days := strconv.Itoa(rows.filter.InactiveDays)
	cw.Write("Name", "Email", "School", "Course", "Cohort", "Delivery partner", "Status", "Funding", "Start date",
		"Required activities done", "Required activities", "Progress (%)", "Current block", "Behind the block dates",
		"Required sessions not booked", "Last active", "Days since last active", "Not active for "+days+" days or more")
	yesNo := map[bool]string{true: "Yes", false: "No"}
	for _, e := range rows.entries {
		last, since := "Never", ""
		if e.LastActivityAt != nil {
			last = timefmt.ISODateTime(*e.LastActivityAt)
			since = strconv.Itoa(e.DaysSinceActive(rows.now))
		}
		block := "Not started"
		if e.CurrentBlock != "" {
			block = strconv.Itoa(e.CurrentBlockNo) + ". " + e.CurrentBlock
		}
		cw.Write(e.Name, e.Email, e.School, c.CourseName, c.Name, c.PartnerName, e.Status.Label(), e.FundingRoute.Label(),
			timefmt.ISODate(e.StartsOn), strconv.Itoa(e.Progress.Done), strconv.Itoa(e.Progress.Required),
			strconv.Itoa(e.Progress.Percent()), block, yesNo[e.Status == programme.StatusActive && e.BlocksBehind > 0],
			strconv.Itoa(e.UnbookedRequired), last, since, yesNo[e.Inactive(rows.now, rows.filter.InactiveDays)])
	}
	return cw.Flush()
}

// partnerRosterCSV exports a cohort's roster, searched, filtered and sorted as the page was.
func (s *Server) partnerRosterCSV(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cohortFromURL(r)
	if err != nil {
		return err
	}
	rows, err := s.rosterEntries(r, c)
	if err != nil {
		return err
	}
	return writeRosterCSV(w, c, rows)
}
