package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"npq/internal/audit"
	"npq/internal/listing"
	"npq/internal/timefmt"
	"npq/web/components"
	"npq/web/pages/admin"
)

// auditExportLimit bounds one CSV download of the audit trail.
const auditExportLimit = 100_000

// adminAuditRoutes registers the audit trail and its CSV download.
func (s *Server) adminAuditRoutes(r chi.Router) {
	s.handle(r, "GET", "/admin/audit", admins, s.adminAudit)
	s.handle(r, "GET", "/admin/audit.csv", admins, s.adminAuditCSV)
}

// auditedExport records every CSV download in the audit trail before it is sent: who, which
// export and with which filters. handle wraps every route whose pattern ends in ".csv".
func (s *Server) auditedExport(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var actor int64
		if u := currentUser(r.Context()); u != nil {
			actor = u.ID
		}
		detail := map[string]any{}
		if q := r.URL.RawQuery; q != "" {
			detail["query"] = q
		}
		if err := audit.Record(r.Context(), s.pool, actor, "export.csv", r.URL.Path, detail); err != nil {
			return err
		}
		return h(w, r)
	}
}

// readAuditFilter reads the trail's filter from the address; its problems are on the form.
func readAuditFilter(q url.Values) (audit.Filter, admin.AuditFilterForm) {
	form := admin.AuditFilterForm{Actor: strings.TrimSpace(q.Get("actor")), Person: strings.TrimSpace(q.Get("person")),
		Kind: q.Get("kind"), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	form.Kinds = []components.Option{{Value: "", Label: "Anything"}}
	for _, k := range audit.Kinds {
		form.Kinds = append(form.Kinds, components.Option{Value: k.Value, Label: k.Label})
	}
	f := audit.Filter{Actor: audit.ParsePerson(form.Actor), Person: audit.ParsePerson(form.Person), Kind: form.Kind}
	form.Errors.Add("actor", maxLength("Done by", form.Actor, 254))
	form.Errors.Add("person", maxLength("About", form.Person, 254))
	if _, ok := audit.KindByValue(form.Kind); form.Kind != "" && !ok {
		form.Errors.Add("kind", "Select one of the kinds of entry listed")
	}
	var msg string
	if f.From, msg = filterDay(form.From, "from"); msg != "" {
		form.Errors.Add("from", msg)
	}
	var to time.Time
	if to, msg = filterDay(form.To, "to"); msg != "" {
		form.Errors.Add("to", msg)
	}
	if !to.IsZero() {
		f.Until = to.AddDate(0, 0, 1)
		if !f.From.IsZero() && to.Before(f.From) {
			form.Errors.Add("to", "The ‘to’ date must be the same as or after the ‘from’ date")
		}
	}
	return f, form
}

// filterDay reads a YYYY-MM-DD date as the start of that day in London, or "" as no date.
func filterDay(s, which string) (time.Time, string) {
	if s == "" {
		return time.Time{}, ""
	}
	d, err := time.ParseInLocation(time.DateOnly, s, timefmt.London)
	if err != nil || d.Year() < 2000 || d.Year() > 2200 {
		return time.Time{}, "Enter the ‘" + which + "’ date as a real date, for example 2026-09-01"
	}
	return d, ""
}

// auditPosition turns a page's cursor into the trail's position.
func auditPosition(req listing.Request) (audit.Position, error) {
	c := req.Cursor()
	if c == nil {
		return audit.Position{}, nil
	}
	if len(c) != 2 {
		return audit.Position{}, errBadPage
	}
	at, err := time.Parse(time.RFC3339Nano, c[0])
	if err != nil {
		return audit.Position{}, errBadPage
	}
	id, err := strconv.ParseInt(c[1], 10, 64)
	if err != nil {
		return audit.Position{}, errBadPage
	}
	return audit.Position{At: at, ID: id, Backward: req.Backward()}, nil
}

// errBadPage answers an address whose page position or size this service did not write.
var errBadPage = httpError{Status: http.StatusBadRequest, Message: "This page of the list does not exist. Go back to the first page."}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	req, err := listing.Read(r.URL.Query())
	if err != nil {
		return errBadPage
	}
	f, form := readAuditFilter(r.URL.Query())
	v := admin.AuditView{Filter: form}
	if form.Errors.Any() {
		return s.invalid(w, r, admin.Audit(v))
	}
	pos, err := auditPosition(req)
	if err != nil {
		return err
	}
	rows, err := audit.Entries(r.Context(), s.pool, f, pos, req.Limit())
	if err != nil {
		return err
	}
	page := listing.Cut(rows, req, func(e audit.Entry) listing.Cursor {
		return listing.Cursor{e.At.Format(time.RFC3339Nano), strconv.FormatInt(e.ID, 10)}
	})
	for _, e := range page.Rows {
		v.Rows = append(v.Rows, auditRow(e))
	}
	v.Pager.PrevHref, v.Pager.NextHref = page.Links(r.URL)
	v.Pager.Label = "Audit trail pages"
	q := r.URL.Query()
	for _, k := range []string{"after", "before", "size"} {
		q.Del(k)
	}
	v.CSVHref = "/admin/audit.csv?" + q.Encode()
	return s.ok(w, r, admin.Audit(v))
}

// auditRow is an entry as the trail page shows it.
func auditRow(e audit.Entry) admin.AuditRow {
	return admin.AuditRow{At: e.At, ActorID: e.ActorID, ActorName: e.ActorName, ActorEmail: e.ActorEmail,
		NotSignedIn: e.ActorID == 0 && e.IP != "", What: audit.Describe(e.Action), Detail: detailWords(e.Detail),
		PersonID: e.SubjectUserID, PersonName: e.SubjectName, Subject: audit.SubjectWords(e.Subject),
		SubjectHref: audit.SubjectLink(e.Subject), IP: e.IP, RequestID: e.RequestID}
}

// detailWords writes an entry's detail as "key: value" pairs in key order.
func detailWords(detail string) string {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil || len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		val := m[k]
		if val == nil {
			val = "none"
		}
		b, _ := json.Marshal(val)
		s := string(b)
		if str, ok := val.(string); ok {
			s = str
		}
		parts = append(parts, strings.ReplaceAll(k, "_", " ")+": "+s)
	}
	return strings.Join(parts, " · ")
}

func (s *Server) adminAuditCSV(w http.ResponseWriter, r *http.Request) error {
	f, form := readAuditFilter(r.URL.Query())
	if form.Errors.Any() {
		return httpError{Status: http.StatusBadRequest, Message: form.Errors[0].Message}
	}
	cw := newCSV(w, csvFileName("audit", s.now()))
	cw.Write("time", "actor_id", "actor_name", "actor_email", "action", "what", "subject", "person_id", "person_name",
		"person_email", "detail", "ip", "request_id")
	err := audit.EachEntry(r.Context(), s.pool, f, auditExportLimit, func(e audit.Entry) error {
		cw.Write(e.At.In(timefmt.London).Format(time.RFC3339), idOrEmpty(e.ActorID), e.ActorName, e.ActorEmail, e.Action, audit.Describe(e.Action),
			e.Subject, idOrEmpty(e.SubjectUserID), e.SubjectName, e.SubjectEmail, e.Detail, e.IP, e.RequestID)
		return nil
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}

// idOrEmpty writes an id, or nothing for none.
func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
