// Package dfefake is a fake of DfE's NPQ lead-provider API v3 for tests and local trials.
// Every request and response is checked against DfE's OpenAPI document; a breach is
// answered with 500 and recorded, so tests can assert the contract held.
package dfefake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"npq/internal/dfe/openapi"
)

// record is one stored resource: its id, JSON:API type, attributes and last change.
type record struct {
	id      string
	typ     string
	attrs   map[string]any
	updated time.Time
}

// Server is the fake DfE API. Its zero value is not usable; call New.
type Server struct {
	token  string
	router routers.Router

	mu           sync.Mutex
	now          func() time.Time
	seq          int
	applications map[string]*record
	participants map[string]*record
	declarations map[string]*record
	statements   map[string]*record
	outcomes     map[string]*record
	partners     map[string]*record
	retired      map[string]idChange
	throttle     int
	retryAfter   int
	failures     []int
	dropCreates  int
	hangUps      int
	violations   []string
	calls        int
}

type idChange struct {
	to      string
	changed time.Time
}

// New returns a fake that accepts the bearer token given.
func New(token string) (*Server, error) {
	doc, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	doc.Servers = nil
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("dfefake: router: %w", err)
	}
	return &Server{
		token:        token,
		router:       router,
		now:          func() time.Time { return time.Now().UTC() },
		applications: map[string]*record{},
		participants: map[string]*record{},
		declarations: map[string]*record{},
		statements:   map[string]*record{},
		outcomes:     map[string]*record{},
		partners:     map[string]*record{},
		retired:      map[string]idChange{},
	}, nil
}

// SetClock makes the fake take the time from now.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Violations returns every contract breach seen so far.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Calls returns how many requests reached the fake.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Throttle answers the next n requests with 429 and a Retry-After of the seconds given.
func (s *Server) Throttle(n, retryAfterSeconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle, s.retryAfter = n, retryAfterSeconds
}

// FailNext answers the next requests with the statuses given (5xx), one each.
func (s *Server) FailNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, statuses...)
}

// DropCreateResponses makes the next n declaration creates succeed on the fake's side but
// answer 502, as when a connection breaks after DfE accepted the request.
func (s *Server) DropCreateResponses(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropCreates = n
}

// HangUpAfterCreates makes the next n declaration creates succeed on the fake's side and
// then close the connection without an answer, as when the network fails mid-flight.
func (s *Server) HangUpAfterCreates(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hangUps = n
}

// hangUpHeader marks, inside the fake, an answer that is never sent.
const hangUpHeader = "X-Dfefake-Hang-Up"

func (s *Server) newID() string {
	s.seq++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", s.seq)
}

// ServeHTTP checks the request against the contract, answers it, and checks the answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(r)
	if err != nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "Resource not found"})
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		s.violation(fmt.Sprintf("request %s %s: %v", r.Method, r.URL.Path, err))
		http.Error(w, "dfefake: request breaks the contract: "+err.Error(), http.StatusInternalServerError)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	rec := httptest.NewRecorder()
	s.answer(rec, r, route, params, body)
	res := rec.Result()
	if checked(res.StatusCode) && !undocumented[r.Method+" "+route.Path+" "+strconv.Itoa(res.StatusCode)] {
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 res.StatusCode,
			Header:                 res.Header,
			Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		out.SetBodyBytes(rec.Body.Bytes())
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			s.violation(fmt.Sprintf("response %s %s %d: %v", r.Method, r.URL.Path, res.StatusCode, err))
			http.Error(w, "dfefake: response breaks the contract: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	if res.Header.Get(hangUpHeader) != "" {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(rec.Body.Bytes())
}

// checked reports whether the document describes a status: DfE answers 429, 410 and
// 5xx outside it, in the shapes its guidance gives.
func checked(status int) bool {
	return status != http.StatusTooManyRequests && status != http.StatusGone && status < 500
}

// undocumented lists the answers DfE gives that its document leaves out.
var undocumented = map[string]bool{
	"POST /api/v3/npq-applications/{id}/reject 422": true,
}

func (s *Server) violation(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.violations = append(s.violations, msg)
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, route *routers.Route, params map[string]string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "HTTP Token: Access denied"})
		return
	}
	if s.throttle > 0 {
		s.throttle--
		w.Header().Set("Retry-After", strconv.Itoa(s.retryAfter))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "Retry later"})
		return
	}
	if len(s.failures) > 0 {
		status := s.failures[0]
		s.failures = s.failures[1:]
		writeJSON(w, status, map[string]any{"error": "Internal server error"})
		return
	}
	h := s.handlers()[r.Method+" "+route.Path]
	if h == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "Resource not found"})
		return
	}
	var payload map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &payload); err != nil {
			writeErrors(w, http.StatusBadRequest, "Bad request", "correct json data structure required. See API docs for reference")
			return
		}
	}
	h(w, r, params, payload)
}

type handler func(w http.ResponseWriter, r *http.Request, params map[string]string, payload map[string]any)

func (s *Server) handlers() map[string]handler {
	return map[string]handler{
		"GET /api/v3/npq-applications":                      s.list(s.applications, "cohort"),
		"GET /api/v3/npq-applications/{id}":                 s.get(s.applications),
		"POST /api/v3/npq-applications/{id}/accept":         s.accept,
		"POST /api/v3/npq-applications/{id}/reject":         s.reject,
		"GET /api/v3/participants/npq":                      s.listParticipants,
		"GET /api/v3/participants/npq/{id}":                 s.getParticipant,
		"PUT /api/v3/participants/npq/{id}/defer":           s.changeStatus("deferred"),
		"PUT /api/v3/participants/npq/{id}/resume":          s.changeStatus("active"),
		"PUT /api/v3/participants/npq/{id}/withdraw":        s.changeStatus("withdrawn"),
		"PUT /api/v3/participants/npq/{id}/change-schedule": s.changeSchedule,
		"GET /api/v3/participants/npq/{id}/outcomes":        s.participantOutcomes,
		"POST /api/v3/participants/npq/{id}/outcomes":       s.createOutcome,
		"GET /api/v3/participants/npq/outcomes":             s.list(s.outcomes),
		"GET /api/v3/participant-declarations":              s.list(s.declarations, "cohort", "participant_id"),
		"GET /api/v3/participant-declarations/{id}":         s.get(s.declarations),
		"POST /api/v3/participant-declarations":             s.createDeclaration,
		"PUT /api/v3/participant-declarations/{id}/void":    s.void,
		"GET /api/v3/statements":                            s.list(s.statements, "cohort"),
		"GET /api/v3/statements/{id}":                       s.get(s.statements),
		"GET /api/v3/delivery-partners":                     s.list(s.partners),
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeErrors answers in DfE's shape for 400, 403 and 422.
func writeErrors(w http.ResponseWriter, status int, title, detail string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"title": title, "detail": detail}}})
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]any{"error": "Resource not found"})
}

func render(rec *record) map[string]any {
	return map[string]any{"id": rec.id, "type": rec.typ, "attributes": rec.attrs}
}

func writeOne(w http.ResponseWriter, rec *record) {
	writeJSON(w, http.StatusOK, map[string]any{"data": render(rec)})
}

// list serves a collection: sorted by last change, filtered by updated_since and the
// comma-separated filters named, in countless pages (an empty page ends the list).
func (s *Server) list(table map[string]*record, filters ...string) handler {
	return func(w http.ResponseWriter, r *http.Request, _ map[string]string, _ map[string]any) {
		q := r.URL.Query()
		var since time.Time
		key := "filter[updated_since]"
		if typ(table) == "participant-outcome" {
			key = "filter[created_since]"
		}
		if v := q.Get(key); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeErrors(w, http.StatusBadRequest, "Bad parameter", "The filter '#/updated_since' must be a valid ISO 8601 date")
				return
			}
			since = t
		}
		var rows []*record
		for _, rec := range table {
			if !since.IsZero() && rec.updated.Before(since) {
				continue
			}
			if !matches(rec, q, filters) {
				continue
			}
			rows = append(rows, rec)
		}
		writePage(w, q, rows)
	}
}

func matches(rec *record, q map[string][]string, filters []string) bool {
	for _, f := range filters {
		want := ""
		if v := q["filter["+f+"]"]; len(v) > 0 {
			want = v[0]
		}
		if want == "" {
			continue
		}
		got, _ := rec.attrs[f].(string)
		ok := false
		for _, w := range strings.Split(want, ",") {
			if strings.TrimSpace(w) == got {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func writePage(w http.ResponseWriter, q map[string][]string, rows []*record) {
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].updated.Equal(rows[j].updated) {
			return rows[i].updated.Before(rows[j].updated)
		}
		return rows[i].id < rows[j].id
	})
	page, per := 1, 100
	if v := first(q, "page[page]"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if v := first(q, "page[per_page]"); v != "" {
		per, _ = strconv.Atoi(v)
	}
	if per > 3000 {
		per = 3000
	}
	if page < 1 || per < 1 {
		writeErrors(w, http.StatusBadRequest, "Bad parameter", "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number")
		return
	}
	data := []map[string]any{}
	for i := (page - 1) * per; i < len(rows) && i < page*per; i++ {
		data = append(data, render(rows[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// typ is the JSON:API type a table holds, or "" when it is empty.
func typ(table map[string]*record) string {
	for _, r := range table {
		return r.typ
	}
	return ""
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (s *Server) get(table map[string]*record) handler {
	return func(w http.ResponseWriter, _ *http.Request, params map[string]string, _ map[string]any) {
		rec := table[params["id"]]
		if rec == nil {
			notFound(w)
			return
		}
		writeOne(w, rec)
	}
}

func attributes(payload map[string]any) map[string]any {
	data, _ := payload["data"].(map[string]any)
	attrs, _ := data["attributes"].(map[string]any)
	if attrs == nil {
		attrs = map[string]any{}
	}
	return attrs
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
