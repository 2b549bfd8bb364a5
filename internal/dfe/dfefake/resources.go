package dfefake

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Application is what a test seeds as a pending DfE application.
type Application struct {
	// ID is DfE's id for the application; empty makes a new one.
	ID string
	// ParticipantID is DfE's id for the person; empty makes a new one.
	ParticipantID string
	FullName      string
	Email         string
	TRN           string
	Course        string
	Cohort        string
	SchoolURN     string
	// FundedPlace is DfE's view of funding before the provider decides; nil is unknown.
	FundedPlace *bool
}

// AddApplication stores a pending application and returns its id and participant id.
func (s *Server) AddApplication(a Application) (id, participantID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	id = a.ID
	if id == "" {
		id = s.newID()
	}
	if a.ParticipantID == "" {
		a.ParticipantID = s.newID()
	}
	var trn any
	if a.TRN != "" {
		trn = a.TRN
	}
	s.applications[id] = &record{id: id, typ: "npq_application", updated: now, attrs: map[string]any{
		"participant_id": a.ParticipantID, "full_name": a.FullName, "email": a.Email, "email_validated": true,
		"teacher_reference_number": trn, "teacher_reference_number_validated": trn != nil,
		"course_identifier": a.Course, "cohort": a.Cohort, "cohort_suffix": "a", "school_urn": a.SchoolURN,
		"status": "pending", "eligible_for_funding": true, "targeted_delivery_funding_eligibility": false,
		"works_in_school": true, "funded_place": boolOrNil(a.FundedPlace), "schedule_identifier": nil,
		"created_at": stamp(now), "updated_at": stamp(now),
	}}
	return id, a.ParticipantID
}

func boolOrNil(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// Statement is what a test seeds as a DfE financial statement.
type Statement struct {
	Cohort      string
	Month, Year string
	CutOff      time.Time
	PaymentDate time.Time
	Paid        bool
}

// AddStatement stores a statement and returns its id.
func (s *Server) AddStatement(st Statement) string {
	s.mu.Lock()
	id := s.newID()
	s.mu.Unlock()
	s.AddStatementWithID(id, st)
	return id
}

// AddStatementWithID stores a statement under the id given, as the provider already holds it.
func (s *Server) AddStatementWithID(id string, st Statement) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	pay := "" // DfE gives no payment date as an empty one: the field is not nullable
	if !st.PaymentDate.IsZero() {
		pay = st.PaymentDate.Format(time.DateOnly)
	}
	s.statements[id] = &record{id: id, typ: "statement", updated: now, attrs: map[string]any{
		"month": st.Month, "year": st.Year, "cohort": st.Cohort,
		"cut_off_date": st.CutOff.Format(time.DateOnly), "payment_date": pay,
		"paid": st.Paid, "created_at": stamp(now), "updated_at": stamp(now),
	}}
}

// AddDeliveryPartner stores a delivery partner and returns its id.
func (s *Server) AddDeliveryPartner(name string, cohorts ...string) string {
	s.mu.Lock()
	id := s.newID()
	s.mu.Unlock()
	s.AddDeliveryPartnerWithID(id, name, cohorts...)
	return id
}

// ChangeParticipantID retires a participant id in favour of another, as DfE does when it
// merges duplicate people: the old id then answers 410 with the change.
func (s *Server) ChangeParticipantID(from, to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.participants[from]
	if p == nil {
		return fmt.Errorf("dfefake: no participant %s", from)
	}
	now := s.now()
	delete(s.participants, from)
	p.id = to
	p.updated = now
	p.attrs["updated_at"] = stamp(now)
	changes, _ := p.attrs["participant_id_changes"].([]any)
	p.attrs["participant_id_changes"] = append(changes, map[string]any{
		"from_participant_id": from, "to_participant_id": to, "changed_at": stamp(now)})
	s.participants[to] = p
	s.retired[from] = idChange{to: to, changed: now}
	for _, table := range []map[string]*record{s.declarations, s.outcomes} {
		for _, d := range table {
			if d.attrs["participant_id"] == from {
				d.attrs["participant_id"] = to
			}
		}
	}
	return nil
}

// AdvanceDeclaration moves a declaration one step along DfE's states: submitted →
// eligible → payable → paid, and awaiting_clawback → clawed_back. It returns the new state.
func (s *Server) AdvanceDeclaration(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.declarations[id]
	if d == nil {
		return "", fmt.Errorf("dfefake: no declaration %s", id)
	}
	next := map[string]string{"submitted": "eligible", "eligible": "payable", "payable": "paid", "awaiting_clawback": "clawed_back"}
	state, _ := d.attrs["state"].(string)
	to, ok := next[state]
	if !ok {
		return state, fmt.Errorf("dfefake: declaration %s is %s, which does not move on", id, state)
	}
	s.touch(d)
	d.attrs["state"] = to
	return to, nil
}

// DeclarationState returns a declaration's state, or "" when there is none.
func (s *Server) DeclarationState(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.declarations[id]; d != nil {
		state, _ := d.attrs["state"].(string)
		return state
	}
	return ""
}

// DeclarationCount returns how many declarations the fake holds.
func (s *Server) DeclarationCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.declarations)
}

func (s *Server) touch(rec *record) {
	now := s.now()
	if !now.After(rec.updated) {
		now = rec.updated.Add(time.Second)
	}
	rec.updated = now
	rec.attrs["updated_at"] = stamp(now)
}

func (s *Server) accept(w http.ResponseWriter, _ *http.Request, params map[string]string, payload map[string]any) {
	app := s.applications[params["id"]]
	if app == nil {
		notFound(w)
		return
	}
	if app.attrs["status"] != "pending" {
		writeErrors(w, http.StatusUnprocessableEntity, "npq_application", fmt.Sprintf("This NPQ application has already been %s", app.attrs["status"]))
		return
	}
	attrs := attributes(payload)
	schedule, _ := attrs["schedule_identifier"].(string)
	if schedule == "" {
		schedule = defaultSchedule(app.attrs["course_identifier"].(string))
	}
	app.attrs["status"] = "accepted"
	app.attrs["schedule_identifier"] = schedule
	if fp, ok := attrs["funded_place"].(bool); ok {
		app.attrs["funded_place"] = fp
	}
	s.touch(app)
	s.enrol(app)
	writeOne(w, app)
}

// defaultSchedule is the schedule DfE picks when the provider leaves it out.
func defaultSchedule(course string) string {
	switch course {
	case "npq-senior-leadership", "npq-headship", "npq-executive-leadership", "npq-early-years-leadership":
		return "npq-leadership-autumn"
	case "npq-additional-support-offer":
		return "npq-aso-november"
	case "npq-early-headship-coaching-offer":
		return "npq-ehco-november"
	}
	return "npq-specialist-autumn"
}

func (s *Server) enrol(app *record) {
	pid := app.attrs["participant_id"].(string)
	p := s.participants[pid]
	now := s.now()
	if p == nil {
		p = &record{id: pid, typ: "npq-participant", updated: now, attrs: map[string]any{
			"full_name": app.attrs["full_name"], "previous_names": []any{},
			"teacher_reference_number": app.attrs["teacher_reference_number"],
			"npq_enrolments":           []any{}, "participant_id_changes": []any{}, "updated_at": stamp(now),
		}}
		s.participants[pid] = p
	}
	enrolments, _ := p.attrs["npq_enrolments"].([]any)
	p.attrs["npq_enrolments"] = append(enrolments, map[string]any{
		"course_identifier": app.attrs["course_identifier"], "schedule_identifier": app.attrs["schedule_identifier"],
		"cohort": app.attrs["cohort"], "cohort_suffix": "a", "npq_application_id": app.id,
		"eligible_for_funding": app.attrs["eligible_for_funding"], "training_status": "active",
		"school_urn": app.attrs["school_urn"], "targeted_delivery_funding_eligibility": false,
		"funded_place": app.attrs["funded_place"], "email": app.attrs["email"],
		"withdrawal": nil, "deferral": nil, "created_at": stamp(now),
	})
	s.touch(p)
}

func (s *Server) reject(w http.ResponseWriter, _ *http.Request, params map[string]string, _ map[string]any) {
	app := s.applications[params["id"]]
	if app == nil {
		notFound(w)
		return
	}
	if app.attrs["status"] != "pending" {
		writeErrors(w, http.StatusUnprocessableEntity, "npq_application", fmt.Sprintf("This NPQ application has already been %s", app.attrs["status"]))
		return
	}
	app.attrs["status"] = "rejected"
	s.touch(app)
	writeOne(w, app)
}

func (s *Server) listParticipants(w http.ResponseWriter, r *http.Request, _ map[string]string, _ map[string]any) {
	q := r.URL.Query()
	var since time.Time
	if v := q.Get("filter[updated_since]"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeErrors(w, http.StatusBadRequest, "Bad parameter", "The filter '#/updated_since' must be a valid ISO 8601 date")
			return
		}
		since = t
	}
	status, from := q.Get("filter[training_status]"), q.Get("filter[from_participant_id]")
	var rows []*record
	for _, p := range s.participants {
		if !since.IsZero() && p.updated.Before(since) {
			continue
		}
		if status != "" && !hasStatus(p, status) {
			continue
		}
		if from != "" && !changedFrom(p, from) {
			continue
		}
		rows = append(rows, p)
	}
	writePage(w, q, rows)
}

func hasStatus(p *record, status string) bool {
	for _, e := range enrolmentsOf(p) {
		if e["training_status"] == status {
			return true
		}
	}
	return false
}

func changedFrom(p *record, from string) bool {
	changes, _ := p.attrs["participant_id_changes"].([]any)
	for _, c := range changes {
		if m, ok := c.(map[string]any); ok && m["from_participant_id"] == from {
			return true
		}
	}
	return false
}

func enrolmentsOf(p *record) []map[string]any {
	list, _ := p.attrs["npq_enrolments"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// gone answers 410 for a retired participant id, in DfE's shape.
func (s *Server) gone(w http.ResponseWriter, id string) bool {
	c, ok := s.retired[id]
	if !ok {
		return false
	}
	writeJSON(w, http.StatusGone, map[string]any{"errors": []map[string]any{{
		"title":  "Participant ID has been changed",
		"detail": fmt.Sprintf("The participant_id %s has been replaced with %s", id, c.to),
		"participant_id_changes": []map[string]any{{
			"from_participant_id": id, "to_participant_id": c.to, "changed_at": stamp(c.changed)}},
	}}})
	return true
}

func (s *Server) getParticipant(w http.ResponseWriter, _ *http.Request, params map[string]string, _ map[string]any) {
	if s.gone(w, params["id"]) {
		return
	}
	p := s.participants[params["id"]]
	if p == nil {
		notFound(w)
		return
	}
	writeOne(w, p)
}

// changeStatus defers, resumes or withdraws one of a participant's courses, refusing the
// moves DfE refuses.
func (s *Server) changeStatus(to string) handler {
	return func(w http.ResponseWriter, _ *http.Request, params map[string]string, payload map[string]any) {
		p := s.participants[params["id"]]
		if p == nil {
			notFound(w)
			return
		}
		attrs := attributes(payload)
		var e map[string]any
		for _, x := range enrolmentsOf(p) {
			if x["course_identifier"] == attrs["course_identifier"] {
				e = x
			}
		}
		if e == nil {
			writeErrors(w, http.StatusUnprocessableEntity, "course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.")
			return
		}
		from := e["training_status"]
		switch {
		case to == "deferred" && from != "active":
			writeErrors(w, http.StatusUnprocessableEntity, "participant_id", "The participant is not active and cannot be deferred")
			return
		case to == "active" && from == "active":
			writeErrors(w, http.StatusUnprocessableEntity, "participant_id", "The participant is already active")
			return
		case to == "withdrawn" && from == "withdrawn":
			writeErrors(w, http.StatusUnprocessableEntity, "participant_id", "The participant is already withdrawn")
			return
		case to == "withdrawn" && !s.hasStarted(p.id, e["course_identifier"]):
			writeErrors(w, http.StatusUnprocessableEntity, "participant_id", "The participant cannot be withdrawn as no started declaration has been submitted")
			return
		}
		now := stamp(s.now())
		e["training_status"] = to
		switch to {
		case "deferred":
			e["deferral"] = map[string]any{"reason": attrs["reason"], "date": now}
		case "withdrawn":
			e["withdrawal"] = map[string]any{"reason": attrs["reason"], "date": now}
		case "active":
			e["deferral"], e["withdrawal"] = nil, nil
		}
		s.touch(p)
		writeOne(w, p)
	}
}

// changeSchedule moves a participant's course to another schedule (and cohort, which DfE
// allows only before a started declaration).
func (s *Server) changeSchedule(w http.ResponseWriter, _ *http.Request, params map[string]string, payload map[string]any) {
	p := s.participants[params["id"]]
	if p == nil {
		notFound(w)
		return
	}
	attrs := attributes(payload)
	var e map[string]any
	for _, x := range enrolmentsOf(p) {
		if x["course_identifier"] == attrs["course_identifier"] {
			e = x
		}
	}
	if e == nil {
		writeErrors(w, http.StatusUnprocessableEntity, "course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.")
		return
	}
	if cohort, ok := attrs["cohort"].(string); ok && cohort != "" && cohort != e["cohort"] {
		if s.hasStarted(p.id, e["course_identifier"]) {
			writeErrors(w, http.StatusUnprocessableEntity, "cohort", "The property '#/cohort' cannot be changed after a started declaration")
			return
		}
		e["cohort"] = cohort
	}
	e["schedule_identifier"] = attrs["schedule_identifier"]
	s.touch(p)
	writeOne(w, p)
}

func (s *Server) hasStarted(participantID string, course any) bool {
	for _, d := range s.declarations {
		if d.attrs["participant_id"] == participantID && d.attrs["course_identifier"] == course &&
			d.attrs["declaration_type"] == "started" && live(d) {
			return true
		}
	}
	return false
}

func live(d *record) bool {
	switch d.attrs["state"] {
	case "voided", "awaiting_clawback", "clawed_back", "ineligible":
		return false
	}
	return true
}

func (s *Server) participantOutcomes(w http.ResponseWriter, r *http.Request, params map[string]string, _ map[string]any) {
	if s.gone(w, params["id"]) {
		return
	}
	if s.participants[params["id"]] == nil {
		notFound(w)
		return
	}
	var rows []*record
	for _, o := range s.outcomes {
		if o.attrs["participant_id"] == params["id"] {
			rows = append(rows, o)
		}
	}
	writePage(w, r.URL.Query(), rows)
}

func (s *Server) createOutcome(w http.ResponseWriter, _ *http.Request, params map[string]string, payload map[string]any) {
	pid := params["id"]
	if c, ok := s.retired[pid]; ok {
		writeErrors(w, http.StatusUnprocessableEntity, "participant_id", fmt.Sprintf("The participant_id '%s' has been replaced with '%s'", pid, c.to))
		return
	}
	if s.participants[pid] == nil {
		notFound(w)
		return
	}
	attrs := attributes(payload)
	if !s.hasLive(pid, attrs["course_identifier"], "completed") {
		writeErrors(w, http.StatusUnprocessableEntity, "base", "The participant has no completed declaration for this course")
		return
	}
	if _, err := time.Parse(time.DateOnly, fmt.Sprint(attrs["completion_date"])); err != nil {
		writeErrors(w, http.StatusUnprocessableEntity, "completion_date", "The '#/completion_date' is not in the correct format (YYYY-MM-DD)")
		return
	}
	now := s.now()
	id := s.newID()
	o := &record{id: id, typ: "participant-outcome", updated: now, attrs: map[string]any{
		"state": attrs["state"], "completion_date": attrs["completion_date"], "course_identifier": attrs["course_identifier"],
		"participant_id": pid, "created_at": stamp(now), "updated_at": stamp(now),
	}}
	s.outcomes[id] = o
	writeOne(w, o)
}

func (s *Server) hasLive(pid string, course any, typ string) bool {
	for _, d := range s.declarations {
		if d.attrs["participant_id"] == pid && d.attrs["course_identifier"] == course && d.attrs["declaration_type"] == typ && live(d) {
			return true
		}
	}
	return false
}

func (s *Server) createDeclaration(w http.ResponseWriter, _ *http.Request, _ map[string]string, payload map[string]any) {
	attrs := attributes(payload)
	pid, _ := attrs["participant_id"].(string)
	if c, ok := s.retired[pid]; ok {
		writeErrors(w, http.StatusUnprocessableEntity, "participant_id", fmt.Sprintf("The participant_id '%s' has been replaced with '%s'", pid, c.to))
		return
	}
	p := s.participants[pid]
	if p == nil {
		writeErrors(w, http.StatusUnprocessableEntity, "participant_id", "The property '#/participant_id' must be a valid Participant ID")
		return
	}
	var e map[string]any
	for _, x := range enrolmentsOf(p) {
		if x["course_identifier"] == attrs["course_identifier"] {
			e = x
		}
	}
	if e == nil {
		writeErrors(w, http.StatusUnprocessableEntity, "course_identifier", "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.")
		return
	}
	date, err := time.Parse(time.RFC3339, fmt.Sprint(attrs["declaration_date"]))
	if err != nil {
		writeErrors(w, http.StatusUnprocessableEntity, "declaration_date", "Enter a valid RCF3339 '#/declaration_date'.")
		return
	}
	if date.After(s.now()) {
		writeErrors(w, http.StatusUnprocessableEntity, "declaration_date", "The '#/declaration_date' value cannot be a future date. Check the date and try again.")
		return
	}
	if wd, ok := e["withdrawal"].(map[string]any); ok {
		if at, err := time.Parse(time.RFC3339, fmt.Sprint(wd["date"])); err == nil && !date.Before(at) {
			writeErrors(w, http.StatusUnprocessableEntity, "participant_id", "The participant was withdrawn from this course before the '#/declaration_date'")
			return
		}
	}
	if s.hasLive(pid, attrs["course_identifier"], fmt.Sprint(attrs["declaration_type"])) {
		writeErrors(w, http.StatusUnprocessableEntity, "base", "A declaration has already been submitted that will be, or has been, paid for this event")
		return
	}
	now := s.now()
	id := s.newID()
	var statement any
	if st := s.nextStatement(fmt.Sprint(e["cohort"]), now); st != "" {
		statement = st
	}
	var hasPassed any
	if v, ok := attrs["has_passed"]; ok {
		hasPassed = fmt.Sprint(v)
	}
	d := &record{id: id, typ: "participant-declaration", updated: now, attrs: map[string]any{
		"participant_id": pid, "declaration_type": attrs["declaration_type"], "course_identifier": attrs["course_identifier"],
		"declaration_date": attrs["declaration_date"], "state": "submitted", "has_passed": hasPassed,
		"statement_id": statement, "clawback_statement_id": nil, "uplift_paid": false,
		"lead_provider_name": "Fake lead provider", "ineligible_for_funding_reason": nil,
		"delivery_partner_id": orNil(attrs["delivery_partner_id"]), "delivery_partner_name": s.partnerName(attrs["delivery_partner_id"]),
		"secondary_delivery_partner_id": orNil(attrs["secondary_delivery_partner_id"]), "secondary_delivery_partner_name": s.partnerName(attrs["secondary_delivery_partner_id"]),
		"application_id": e["npq_application_id"], "created_at": stamp(now), "updated_at": stamp(now),
	}}
	if e["eligible_for_funding"] == true {
		d.attrs["state"] = "eligible"
	}
	s.declarations[id] = d
	if s.hangUps > 0 {
		s.hangUps--
		w.Header().Set(hangUpHeader, "1")
	}
	if s.dropCreates > 0 {
		s.dropCreates--
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": "Bad gateway"})
		return
	}
	writeOne(w, d)
}

func orNil(v any) any {
	if s, ok := v.(string); ok && s != "" {
		return s
	}
	return nil
}

func (s *Server) partnerName(id any) any {
	if p := s.partners[fmt.Sprint(id)]; p != nil {
		return p.attrs["name"]
	}
	return nil
}

// nextStatement is the statement of the cohort with the earliest cut-off on or after now.
func (s *Server) nextStatement(cohort string, now time.Time) string {
	var ids []string
	for id, st := range s.statements {
		cut, err := time.Parse(time.DateOnly, fmt.Sprint(st.attrs["cut_off_date"]))
		if err != nil || st.attrs["cohort"] != cohort || cut.Add(24*time.Hour).Before(now) {
			continue
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return fmt.Sprint(s.statements[ids[i]].attrs["cut_off_date"]) < fmt.Sprint(s.statements[ids[j]].attrs["cut_off_date"])
	})
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// void voids a declaration not yet paid, or marks a paid one for clawback.
func (s *Server) void(w http.ResponseWriter, _ *http.Request, params map[string]string, _ map[string]any) {
	d := s.declarations[params["id"]]
	if d == nil {
		notFound(w)
		return
	}
	switch d.attrs["state"] {
	case "submitted", "eligible", "payable", "ineligible":
		d.attrs["state"] = "voided"
	case "paid":
		d.attrs["state"] = "awaiting_clawback"
	default:
		// Already voided or clawed back: the document gives no refusal, so answer as is.
		writeOne(w, d)
		return
	}
	s.touch(d)
	writeOne(w, d)
}
