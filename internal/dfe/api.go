package dfe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Application is a DfE NPQ application.
type Application struct {
	ID         string                `json:"id"`
	Attributes ApplicationAttributes `json:"attributes"`
}

// ApplicationAttributes are the application's fields the platform uses.
type ApplicationAttributes struct {
	ParticipantID          string    `json:"participant_id"`
	FullName               string    `json:"full_name"`
	Email                  *string   `json:"email"`
	TeacherReferenceNumber *string   `json:"teacher_reference_number"`
	CourseIdentifier       string    `json:"course_identifier"`
	Cohort                 *string   `json:"cohort"`
	SchoolURN              string    `json:"school_urn"`
	Status                 *string   `json:"status"`
	EligibleForFunding     bool      `json:"eligible_for_funding"`
	FundedPlace            *bool     `json:"funded_place"`
	ScheduleIdentifier     *string   `json:"schedule_identifier"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
}

// Participant is a DfE NPQ participant with their enrolments.
type Participant struct {
	ID         string                `json:"id"`
	Attributes ParticipantAttributes `json:"attributes"`
}

// ParticipantAttributes are the participant's fields the platform uses.
type ParticipantAttributes struct {
	FullName               string                `json:"full_name"`
	TeacherReferenceNumber *string               `json:"teacher_reference_number"`
	UpdatedAt              time.Time             `json:"updated_at"`
	Enrolments             []Enrolment           `json:"npq_enrolments"`
	ParticipantIDChanges   []ParticipantIDChange `json:"participant_id_changes"`
}

// Enrolment is one of a participant's courses as DfE sees it.
type Enrolment struct {
	CourseIdentifier   string        `json:"course_identifier"`
	ScheduleIdentifier *string       `json:"schedule_identifier"`
	Cohort             *string       `json:"cohort"`
	ApplicationID      string        `json:"npq_application_id"`
	EligibleForFunding bool          `json:"eligible_for_funding"`
	TrainingStatus     string        `json:"training_status"`
	FundedPlace        *bool         `json:"funded_place"`
	Withdrawal         *StatusChange `json:"withdrawal"`
	Deferral           *StatusChange `json:"deferral"`
}

// StatusChange is a withdrawal or deferral with its DfE reason code.
type StatusChange struct {
	Reason string    `json:"reason"`
	Date   time.Time `json:"date"`
}

// ParticipantIDChange records DfE retiring one participant id for another.
type ParticipantIDChange struct {
	From      string    `json:"from_participant_id"`
	To        string    `json:"to_participant_id"`
	ChangedAt time.Time `json:"changed_at"`
}

// Declaration is a DfE participant declaration.
type Declaration struct {
	ID         string                `json:"id"`
	Attributes DeclarationAttributes `json:"attributes"`
}

// DeclarationAttributes are the declaration's fields the platform uses.
type DeclarationAttributes struct {
	ParticipantID       string    `json:"participant_id"`
	DeclarationType     string    `json:"declaration_type"`
	CourseIdentifier    string    `json:"course_identifier"`
	DeclarationDate     string    `json:"declaration_date"`
	State               string    `json:"state"`
	HasPassed           *string   `json:"has_passed"`
	StatementID         *string   `json:"statement_id"`
	ClawbackStatementID *string   `json:"clawback_statement_id"`
	DeliveryPartnerID   *string   `json:"delivery_partner_id"`
	ApplicationID       string    `json:"application_id"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// Statement is a DfE financial statement with its cut-off and payment dates.
type Statement struct {
	ID         string              `json:"id"`
	Attributes StatementAttributes `json:"attributes"`
}

// StatementAttributes are the statement's fields.
type StatementAttributes struct {
	Month       string    `json:"month"`
	Year        string    `json:"year"`
	Cohort      string    `json:"cohort"`
	CutOffDate  string    `json:"cut_off_date"`
	PaymentDate string    `json:"payment_date"`
	Paid        bool      `json:"paid"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Outcome is a DfE participant outcome.
type Outcome struct {
	ID         string            `json:"id"`
	Attributes OutcomeAttributes `json:"attributes"`
}

// OutcomeAttributes are the outcome's fields.
type OutcomeAttributes struct {
	State            string    `json:"state"`
	CompletionDate   string    `json:"completion_date"`
	CourseIdentifier string    `json:"course_identifier"`
	ParticipantID    string    `json:"participant_id"`
	CreatedAt        time.Time `json:"created_at"`
}

type one[T any] struct {
	Data T `json:"data"`
}

type payload struct {
	Data payloadData `json:"data"`
}

type payloadData struct {
	Type       string         `json:"type"`
	Attributes map[string]any `json:"attributes"`
}

// Applications lists every application changed since the time given (all when zero).
func (c *Client) Applications(ctx context.Context, updatedSince time.Time) ([]Application, error) {
	return listAll[Application](ctx, c, "/api/v3/npq-applications", since(updatedSince))
}

// AcceptApplication accepts an application; schedule "" leaves the schedule to DfE.
func (c *Client) AcceptApplication(ctx context.Context, id string, fundedPlace *bool, schedule string) (Application, error) {
	attrs := map[string]any{}
	if fundedPlace != nil {
		attrs["funded_place"] = *fundedPlace
	}
	if schedule != "" {
		attrs["schedule_identifier"] = schedule
	}
	var res one[Application]
	err := c.change(ctx, http.MethodPost, "/api/v3/npq-applications/"+url.PathEscape(id)+"/accept",
		payload{payloadData{"npq-application-accept", attrs}}, &res)
	return res.Data, err
}

// RejectApplication rejects an application.
func (c *Client) RejectApplication(ctx context.Context, id string) (Application, error) {
	var res one[Application]
	err := c.change(ctx, http.MethodPost, "/api/v3/npq-applications/"+url.PathEscape(id)+"/reject", nil, &res)
	return res.Data, err
}

// Participants lists every participant changed since the time given (all when zero).
func (c *Client) Participants(ctx context.Context, updatedSince time.Time) ([]Participant, error) {
	return listAll[Participant](ctx, c, "/api/v3/participants/npq", since(updatedSince))
}

// maxIDHops bounds how many participant-id changes one call follows.
const maxIDHops = 3

// Participant reads a participant, following DfE's participant-id changes (410): the
// changes followed are returned so the caller can record the new id.
func (c *Client) Participant(ctx context.Context, id string) (Participant, []ParticipantIDChange, error) {
	var followed []ParticipantIDChange
	for hop := 0; ; hop++ {
		var res one[Participant]
		err := c.get(ctx, "/api/v3/participants/npq/"+url.PathEscape(id), nil, &res)
		if err == nil {
			return res.Data, followed, nil
		}
		change, ok := idChange(err, id)
		if !ok || hop >= maxIDHops {
			return Participant{}, followed, err
		}
		followed = append(followed, change)
		id = change.To
	}
}

// idChange finds, in a 410 answer, where the participant id given has gone.
func idChange(err error, id string) (ParticipantIDChange, bool) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusGone {
		return ParticipantIDChange{}, false
	}
	for _, it := range apiErr.Errors {
		for _, ch := range it.ParticipantIDChanges {
			if ch.From == id && ch.To != "" {
				return ch, true
			}
		}
	}
	return ParticipantIDChange{}, false
}

// Defer defers a participant's course with one of DfE's deferral reason codes.
func (c *Client) Defer(ctx context.Context, participantID, course, reason string) (Participant, error) {
	return c.status(ctx, participantID, "defer", "npq-participant-defer", map[string]any{"course_identifier": course, "reason": reason})
}

// Resume makes a deferred participant's course active again.
func (c *Client) Resume(ctx context.Context, participantID, course string) (Participant, error) {
	return c.status(ctx, participantID, "resume", "npq-participant-resume", map[string]any{"course_identifier": course})
}

// Withdraw withdraws a participant's course with one of DfE's withdrawal reason codes.
func (c *Client) Withdraw(ctx context.Context, participantID, course, reason string) (Participant, error) {
	return c.status(ctx, participantID, "withdraw", "npq-participant-withdraw", map[string]any{"course_identifier": course, "reason": reason})
}

func (c *Client) status(ctx context.Context, participantID, action, typ string, attrs map[string]any) (Participant, error) {
	var res one[Participant]
	err := c.change(ctx, http.MethodPut, "/api/v3/participants/npq/"+url.PathEscape(participantID)+"/"+action,
		payload{payloadData{typ, attrs}}, &res)
	return res.Data, err
}

// Declarations lists every declaration changed since the time given (all when zero).
func (c *Client) Declarations(ctx context.Context, updatedSince time.Time) ([]Declaration, error) {
	return listAll[Declaration](ctx, c, "/api/v3/participant-declarations", since(updatedSince))
}

// DeclarationsOf lists every declaration of one participant.
func (c *Client) DeclarationsOf(ctx context.Context, participantID string) ([]Declaration, error) {
	return listAll[Declaration](ctx, c, "/api/v3/participant-declarations", url.Values{"participant_id": {participantID}})
}

// NewDeclaration is what the platform declares.
type NewDeclaration struct {
	ParticipantID     string
	DeclarationType   string
	CourseIdentifier  string
	DeclarationDate   time.Time
	DeliveryPartnerID string
	// HasPassed is required for `completed` declarations.
	HasPassed *bool
}

// CreateDeclaration sends a declaration once. It is never sent again blindly: when the
// answer is lost (a network failure or 5xx) or DfE says it is a duplicate (422), the
// participant's declarations are read and a live one of the same type and course is
// returned with existing true. A 429 is retried, as DfE refused it unread.
func (c *Client) CreateDeclaration(ctx context.Context, d NewDeclaration) (decl Declaration, existing bool, err error) {
	attrs := map[string]any{
		"participant_id":    d.ParticipantID,
		"declaration_type":  d.DeclarationType,
		"declaration_date":  d.DeclarationDate.UTC().Format(time.RFC3339),
		"course_identifier": d.CourseIdentifier,
	}
	if d.DeliveryPartnerID != "" {
		attrs["delivery_partner_id"] = d.DeliveryPartnerID
	}
	if d.HasPassed != nil {
		attrs["has_passed"] = *d.HasPassed
	}
	var res one[Declaration]
	err = c.change(ctx, http.MethodPost, "/api/v3/participant-declarations",
		payload{payloadData{"participant-declaration", attrs}}, &res)
	if err == nil {
		return res.Data, false, nil
	}
	status := StatusOf(err)
	if status != 0 && status != http.StatusUnprocessableEntity && status < 500 {
		return Declaration{}, false, err
	}
	found, lookErr := c.liveDeclaration(ctx, d)
	if lookErr != nil {
		return Declaration{}, false, errors.Join(err, fmt.Errorf("dfe: look up after failed create: %w", lookErr))
	}
	if found != nil {
		return *found, true, nil
	}
	return Declaration{}, false, err
}

func (c *Client) liveDeclaration(ctx context.Context, d NewDeclaration) (*Declaration, error) {
	list, err := c.DeclarationsOf(ctx, d.ParticipantID)
	if err != nil {
		return nil, err
	}
	for _, x := range list {
		a := x.Attributes
		if a.DeclarationType == d.DeclarationType && a.CourseIdentifier == d.CourseIdentifier && Live(a.State) {
			return &x, nil
		}
	}
	return nil, nil
}

// Live reports whether a declaration in this state still counts (will be or was paid).
func Live(state string) bool {
	switch state {
	case "voided", "awaiting_clawback", "clawed_back", "ineligible":
		return false
	}
	return true
}

// VoidDeclaration voids a declaration (a paid one moves to awaiting_clawback).
func (c *Client) VoidDeclaration(ctx context.Context, id string) (Declaration, error) {
	var res one[Declaration]
	err := c.change(ctx, http.MethodPut, "/api/v3/participant-declarations/"+url.PathEscape(id)+"/void", nil, &res)
	return res.Data, err
}

// Statements lists every statement changed since the time given (all when zero).
func (c *Client) Statements(ctx context.Context, updatedSince time.Time) ([]Statement, error) {
	return listAll[Statement](ctx, c, "/api/v3/statements", since(updatedSince))
}

// CreateOutcome records a passed or failed outcome for a participant's course, completed
// on the date given.
func (c *Client) CreateOutcome(ctx context.Context, participantID, course, state string, completed time.Time) (Outcome, error) {
	var res one[Outcome]
	err := c.change(ctx, http.MethodPost, "/api/v3/participants/npq/"+url.PathEscape(participantID)+"/outcomes",
		payload{payloadData{"npq-outcome-confirm", map[string]any{
			"course_identifier": course, "state": state, "completion_date": completed.Format(time.DateOnly)}}}, &res)
	return res.Data, err
}

// ChangeSchedule moves a participant's course to another schedule; cohort "" keeps it.
func (c *Client) ChangeSchedule(ctx context.Context, participantID, course, schedule, cohort string) (Participant, error) {
	attrs := map[string]any{"course_identifier": course, "schedule_identifier": schedule}
	if cohort != "" {
		attrs["cohort"] = cohort
	}
	return c.status(ctx, participantID, "change-schedule", "participant-change-schedule", attrs)
}

// Outcomes lists every outcome created since the time given (all when zero).
func (c *Client) Outcomes(ctx context.Context, createdSince time.Time) ([]Outcome, error) {
	f := url.Values{}
	if !createdSince.IsZero() {
		f.Set("created_since", createdSince.UTC().Format(time.RFC3339))
	}
	return listAll[Outcome](ctx, c, "/api/v3/participants/npq/outcomes", f)
}

// DeliveryPartner is a delivery partner as DfE knows it.
type DeliveryPartner struct {
	ID         string `json:"id"`
	Attributes struct {
		Name    string   `json:"name"`
		Cohorts []string `json:"cohort"`
	} `json:"attributes"`
}

// DeliveryPartners lists the delivery partners DfE knows, with their ids.
func (c *Client) DeliveryPartners(ctx context.Context) ([]DeliveryPartner, error) {
	return listAll[DeliveryPartner](ctx, c, "/api/v3/delivery-partners", nil)
}

// ParticipantOutcomes lists one participant's outcomes, following participant-id changes
// (410) as Participant does.
func (c *Client) ParticipantOutcomes(ctx context.Context, participantID string) ([]Outcome, []ParticipantIDChange, error) {
	var followed []ParticipantIDChange
	id := participantID
	for hop := 0; ; hop++ {
		list, err := listAll[Outcome](ctx, c, "/api/v3/participants/npq/"+url.PathEscape(id)+"/outcomes", nil)
		if err == nil {
			return list, followed, nil
		}
		change, ok := idChange(err, id)
		if !ok || hop >= maxIDHops {
			return nil, followed, err
		}
		followed = append(followed, change)
		id = change.To
	}
}
