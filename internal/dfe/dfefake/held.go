package dfefake

import (
	"time"
)

// Enrolled is a participant DfE already holds on a course (from an application the provider
// accepted), for seeding the fake with a provider's records.
type Enrolled struct {
	ApplicationID  string
	ParticipantID  string
	FullName       string
	Email          string
	TRN            string
	Course         string
	Cohort         string
	Schedule       string
	TrainingStatus string // active, deferred or withdrawn
	FundedPlace    *bool
}

// AddEnrolled stores an accepted application and the participant's enrolment from it, with
// its training status.
func (s *Server) AddEnrolled(e Enrolled) {
	id, _ := s.AddApplication(Application{ID: e.ApplicationID, ParticipantID: e.ParticipantID, FullName: e.FullName, Email: e.Email,
		TRN: e.TRN, Course: e.Course, Cohort: e.Cohort, FundedPlace: e.FundedPlace})
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.applications[id]
	app.attrs["status"] = "accepted"
	app.attrs["schedule_identifier"] = e.Schedule
	s.enrol(app)
	p := s.participants[e.ParticipantID]
	enrolments, _ := p.attrs["npq_enrolments"].([]any)
	last, _ := enrolments[len(enrolments)-1].(map[string]any)
	if e.TrainingStatus != "" {
		last["training_status"] = e.TrainingStatus
	}
}

// AddDeliveryPartnerWithID stores a delivery partner under the id given, as the provider
// already holds it.
func (s *Server) AddDeliveryPartnerWithID(id, name string, cohorts ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if cohorts == nil {
		cohorts = []string{}
	}
	s.partners[id] = &record{id: id, typ: "delivery-partner", updated: now, attrs: map[string]any{
		"name": name, "cohort": cohorts, "created_at": stamp(now), "updated_at": stamp(now),
	}}
}

// Held is a declaration DfE already holds, for seeding the fake with a provider's records.
type Held struct {
	ID            string
	ParticipantID string
	Type          string
	Course        string
	Date          time.Time
	State         string
	ApplicationID string
}

// AddDeclaration stores a declaration DfE already holds.
func (s *Server) AddDeclaration(h Held) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.declarations[h.ID] = &record{id: h.ID, typ: "participant-declaration", updated: now, attrs: map[string]any{
		"participant_id": h.ParticipantID, "declaration_type": h.Type, "course_identifier": h.Course,
		"declaration_date": stamp(h.Date), "state": h.State, "has_passed": nil,
		"statement_id": nil, "clawback_statement_id": nil, "uplift_paid": false,
		"lead_provider_name": "Fake lead provider", "ineligible_for_funding_reason": nil,
		"delivery_partner_id": nil, "delivery_partner_name": nil,
		"secondary_delivery_partner_id": nil, "secondary_delivery_partner_name": nil,
		"application_id": h.ApplicationID, "created_at": stamp(now), "updated_at": stamp(now),
	}}
}
