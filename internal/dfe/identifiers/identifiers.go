// Package identifiers keeps DfE's identifiers for our records: a participant's DfE
// participant id and TRN, an enrolment's DfE application, course, cohort, schedule and
// funded place, and a delivery partner's DfE id. Admins correct them through a checked
// draft; participant-id changes DfE reports (HTTP 410) are recorded and followed.
package identifiers

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/problem"
)

// Courses are DfE's NPQ course identifiers.
var Courses = []string{
	"npq-senior-leadership", "npq-headship", "npq-executive-leadership", "npq-early-years-leadership",
	"npq-senco", "npq-leading-behaviour-culture", "npq-leading-literacy", "npq-leading-primary-mathematics",
	"npq-leading-teaching", "npq-leading-teaching-development", "npq-early-headship-coaching-offer",
	"npq-additional-support-offer",
}

// Schedules are DfE's NPQ schedule identifiers.
var Schedules = []string{
	"npq-leadership-autumn", "npq-leadership-spring", "npq-specialist-autumn", "npq-specialist-spring",
	"npq-ehco-march", "npq-ehco-june", "npq-ehco-november", "npq-ehco-december",
	"npq-aso-march", "npq-aso-june", "npq-aso-november", "npq-aso-december",
}

var (
	uuidShape   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	trnShape    = regexp.MustCompile(`^[0-9]{7}$`)
	cohortShape = regexp.MustCompile(`^[0-9]{4}[a-z]?$`)
)

// IsUUID reports whether s has the shape of a UUID, as DfE's ids do.
func IsUUID(s string) bool { return uuidShape.MatchString(s) }

// EnrolmentIDs are DfE's identifiers for one enrolment and its participant. Empty strings
// (and a nil FundedPlace) mean not known.
type EnrolmentIDs struct {
	EnrolmentID   int64
	UserID        int64
	ParticipantID string
	TRN           string
	ApplicationID string
	Course        string
	Cohort        string
	Schedule      string
	FundedPlace   *bool
}

// Draft is the admin's change form for an enrolment's DfE identifiers, as typed.
type Draft struct {
	ParticipantID, TRN, ApplicationID, Course, Cohort, Schedule string
	// FundedPlace is "yes", "no" or "" (not known).
	FundedPlace string
}

// Fields are the draft's form fields in the order the form shows them.
var Fields = []string{"participant_id", "trn", "application_id", "course", "cohort", "schedule", "funded_place"}

// Normalise trims the draft and lower-cases the ids.
func (d Draft) Normalise() Draft {
	d.ParticipantID = strings.ToLower(strings.TrimSpace(d.ParticipantID))
	d.ApplicationID = strings.ToLower(strings.TrimSpace(d.ApplicationID))
	d.TRN = strings.TrimSpace(d.TRN)
	d.Course = strings.TrimSpace(d.Course)
	d.Cohort = strings.TrimSpace(d.Cohort)
	d.Schedule = strings.TrimSpace(d.Schedule)
	return d
}

// Check returns the problems with a (normalised) draft, keyed by field. Every field may be
// left empty: DfE's ids are not known until an application is accepted.
func (d Draft) Check() problem.Problems {
	var ps problem.Problems
	if d.ParticipantID != "" && !IsUUID(d.ParticipantID) {
		ps.Add("participant_id", "Enter the DfE participant ID as DfE gives it, like 7a8fef46-3c43-42c0-b3d5-1ba5904ba562")
	}
	if d.TRN != "" && !trnShape.MatchString(d.TRN) {
		ps.Add("trn", "Enter the teacher reference number (TRN) as 7 digits")
	}
	if d.ApplicationID != "" && !IsUUID(d.ApplicationID) {
		ps.Add("application_id", "Enter the DfE application ID as DfE gives it, like 7a8fef46-3c43-42c0-b3d5-1ba5904ba562")
	}
	if d.Course != "" && !slices.Contains(Courses, d.Course) {
		ps.Add("course", "Choose a DfE course identifier from the list")
	}
	if d.Cohort != "" && !cohortShape.MatchString(d.Cohort) {
		ps.Add("cohort", "Enter the DfE cohort as a year, like 2026")
	}
	if d.Schedule != "" && !slices.Contains(Schedules, d.Schedule) {
		ps.Add("schedule", "Choose a DfE schedule identifier from the list")
	}
	if d.FundedPlace != "" && d.FundedPlace != "yes" && d.FundedPlace != "no" {
		ps.Add("funded_place", "Choose whether DfE funds the place")
	}
	return ps
}

// DraftOf is the form for identifiers already held.
func DraftOf(ids EnrolmentIDs) Draft {
	d := Draft{ParticipantID: ids.ParticipantID, TRN: ids.TRN, ApplicationID: ids.ApplicationID,
		Course: ids.Course, Cohort: ids.Cohort, Schedule: ids.Schedule}
	if ids.FundedPlace != nil {
		d.FundedPlace = map[bool]string{true: "yes", false: "no"}[*ids.FundedPlace]
	}
	return d
}

// Store reads and changes DfE identifiers.
type Store struct {
	DB database.DB
}

// ForEnrolment returns the DfE identifiers of an enrolment and its participant.
func (s Store) ForEnrolment(ctx context.Context, enrolmentID int64) (EnrolmentIDs, error) {
	var ids EnrolmentIDs
	b := &pgx.Batch{}
	QueueForEnrolment(b, enrolmentID, &ids)
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return ids, err
	}
	return ids, nil
}

// QueueForEnrolment queues in b the read of an enrolment's DfE identifiers into ids, for a
// page that reads them with other things in one round trip. The batch fails with
// database.ErrNotFound when there is no such enrolment.
func QueueForEnrolment(b *pgx.Batch, enrolmentID int64, ids *EnrolmentIDs) {
	ids.EnrolmentID = enrolmentID
	b.Queue(`SELECT e.user_id, coalesce(u.dfe_participant_id::text, ''), coalesce(u.trn, ''),
			coalesce(e.dfe_application_id::text, ''), coalesce(e.dfe_course_identifier, ''), coalesce(e.dfe_cohort, ''),
			coalesce(e.dfe_schedule_identifier, ''), e.dfe_funded_place
		FROM enrolments e JOIN users u ON u.id = e.user_id WHERE e.id = $1`, enrolmentID).QueryRow(func(r pgx.Row) error {
		err := r.Scan(&ids.UserID, &ids.ParticipantID, &ids.TRN, &ids.ApplicationID, &ids.Course, &ids.Cohort, &ids.Schedule, &ids.FundedPlace)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("identifiers: enrolment %d: %w", enrolmentID, err)
		}
		return nil
	})
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Save stores a checked draft for an enrolment and its participant, and records who changed
// what. An id already held by another participant or enrolment is a problem on its field.
func (s Store) Save(ctx context.Context, enrolmentID int64, d Draft, actorID int64) error {
	var funded *bool
	if d.FundedPlace != "" {
		v := d.FundedPlace == "yes"
		funded = &v
	}
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var userID int64
		err := tx.QueryRow(ctx, `UPDATE enrolments SET dfe_application_id = $2, dfe_course_identifier = $3, dfe_cohort = $4,
				dfe_schedule_identifier = $5, dfe_funded_place = $6 WHERE id = $1 RETURNING user_id`,
			enrolmentID, orNull(d.ApplicationID), orNull(d.Course), orNull(d.Cohort), orNull(d.Schedule), funded).Scan(&userID)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if database.IsUniqueViolation(err, "enrolments_dfe_application_id_key") {
			return problem.Problem{Field: "application_id", Message: "Another enrolment already has this DfE application ID"}
		}
		if err != nil {
			return fmt.Errorf("identifiers: save enrolment %d: %w", enrolmentID, err)
		}
		_, err = tx.Exec(ctx, `UPDATE users SET dfe_participant_id = $2, trn = $3 WHERE id = $1`,
			userID, orNull(d.ParticipantID), orNull(d.TRN))
		if database.IsUniqueViolation(err, "users_dfe_participant_id_key") {
			return problem.Problem{Field: "participant_id", Message: "Another participant already has this DfE participant ID"}
		}
		if err != nil {
			return fmt.Errorf("identifiers: save participant %d: %w", userID, err)
		}
		return audit.Record(ctx, tx, actorID, "dfe.identifiers_changed", fmt.Sprintf("enrolment:%d", enrolmentID), map[string]any{
			"participant_id": d.ParticipantID, "trn_given": d.TRN != "", "application_id": d.ApplicationID,
			"course_identifier": d.Course, "cohort": d.Cohort, "schedule_identifier": d.Schedule, "funded_place": d.FundedPlace,
		})
	})
}

// RecordParticipantIDChanges records the participant-id changes a DfE call followed (the
// client's Participant and ParticipantOutcomes return them) and moves each participant
// holding a retired id to its new one. It is safe to call again with the same changes. It
// returns how many participants moved.
func (s Store) RecordParticipantIDChanges(ctx context.Context, changes []dfe.ParticipantIDChange) (int, error) {
	moved := 0
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		moved = 0
		for _, ch := range changes {
			if !IsUUID(ch.From) || !IsUUID(ch.To) {
				return fmt.Errorf("identifiers: participant id change %q → %q is not between DfE ids", ch.From, ch.To)
			}
			var userID *int64
			err := tx.QueryRow(ctx, `UPDATE users SET dfe_participant_id = $2 WHERE dfe_participant_id = $1 RETURNING id`,
				ch.From, ch.To).Scan(&userID)
			if err != nil && !database.IsNoRows(err) {
				return fmt.Errorf("identifiers: follow participant id %s: %w", ch.From, err)
			}
			if userID == nil {
				_ = tx.QueryRow(ctx, `SELECT id FROM users WHERE dfe_participant_id = $1`, ch.To).Scan(&userID)
			}
			tag, err := tx.Exec(ctx, `INSERT INTO dfe_participant_id_changes (user_id, from_id, to_id, changed_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT (from_id, to_id) DO NOTHING`, userID, ch.From, ch.To, ch.ChangedAt)
			if err != nil {
				return fmt.Errorf("identifiers: record participant id change: %w", err)
			}
			if tag.RowsAffected() == 0 || userID == nil {
				continue
			}
			moved++
			if err := audit.Record(ctx, tx, 0, "dfe.participant_id_changed", fmt.Sprintf("user:%d", *userID),
				map[string]any{"from": ch.From, "to": ch.To, "changed_at": ch.ChangedAt}); err != nil {
				return err
			}
		}
		return nil
	})
	return moved, err
}

// PartnerDfEID returns a delivery partner's DfE id, or "" when it is not known.
func (s Store) PartnerDfEID(ctx context.Context, partnerID int64) (string, error) {
	var id string
	err := s.DB.QueryRow(ctx, `SELECT coalesce(dfe_id::text, '') FROM delivery_partners WHERE id = $1`, partnerID).Scan(&id)
	if database.IsNoRows(err) {
		return "", database.ErrNotFound
	}
	return id, err
}

// SavePartnerDfEID sets (or, with "", clears) a delivery partner's DfE id, audited.
func (s Store) SavePartnerDfEID(ctx context.Context, partnerID int64, dfeID string, actorID int64) error {
	dfeID = strings.ToLower(strings.TrimSpace(dfeID))
	if dfeID != "" && !IsUUID(dfeID) {
		return problem.Problem{Field: "dfe_id", Message: "Enter the DfE delivery partner ID as DfE gives it, like 7a8fef46-3c43-42c0-b3d5-1ba5904ba562"}
	}
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE delivery_partners SET dfe_id = $2 WHERE id = $1`, partnerID, orNull(dfeID))
		if database.IsUniqueViolation(err, "delivery_partners_dfe_id_key") {
			return problem.Problem{Field: "dfe_id", Message: "Another delivery partner already has this DfE ID"}
		}
		if err != nil {
			return fmt.Errorf("identifiers: partner %d: %w", partnerID, err)
		}
		if tag.RowsAffected() == 0 {
			return database.ErrNotFound
		}
		return audit.Record(ctx, tx, actorID, "dfe.partner_id_changed", fmt.Sprintf("partner:%d", partnerID), map[string]any{"dfe_id": dfeID})
	})
}
