package applications

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/identifiers"
	"npq/internal/problem"
	"npq/internal/programme"
)

// Decider tells DfE of a decision; *dfe.Client is one.
type Decider interface {
	AcceptApplication(ctx context.Context, id string, fundedPlace *bool, schedule string) (dfe.Application, error)
	RejectApplication(ctx context.Context, id string) (dfe.Application, error)
}

// AcceptDraft is an admin's acceptance as typed: our cohort, whether DfE funds the place
// ("yes" or "no"), and a DfE schedule ("" leaves it to DfE).
type AcceptDraft struct {
	Cohort      string
	FundedPlace string
	Schedule    string
}

// AcceptFields are the acceptance form's fields in order.
var AcceptFields = []string{"cohort", "funded_place", "schedule"}

// Check returns the problems with an acceptance, keyed by field.
func (d AcceptDraft) Check() problem.Problems {
	var ps problem.Problems
	if id, err := strconv.ParseInt(d.Cohort, 10, 64); d.Cohort == "" || err != nil || id <= 0 {
		ps.Add("cohort", "Choose the cohort to accept them into")
	}
	if d.FundedPlace != "yes" && d.FundedPlace != "no" {
		ps.Add("funded_place", "Choose whether DfE funds the place")
	}
	if d.Schedule != "" && !slices.Contains(identifiers.Schedules, d.Schedule) {
		ps.Add("schedule", "Choose a DfE schedule from the list, or leave it to DfE")
	}
	return ps
}

// CohortID is the chosen cohort (after Check found no problem).
func (d AcceptDraft) CohortID() int64 {
	id, _ := strconv.ParseInt(d.Cohort, 10, 64)
	return id
}

// MaxReason is the longest reason for a rejection, in characters.
const MaxReason = 1000

// CheckRejection returns the problems with a rejection's reason.
func CheckRejection(reason string) problem.Problems {
	var ps problem.Problems
	ps.Required("reason", strings.TrimSpace(reason), "Enter why the application is rejected")
	ps.Add("reason", problem.TooLong("The reason", reason, MaxReason))
	return ps
}

// ErrDecided is the problem of an application someone has already decided.
func errDecided(s Status) error {
	return problem.Newf("This application has already been %s", strings.ToLower(s.Label()))
}

// refusedByDfE is the problem of a decision DfE refused, in DfE's words.
func refusedByDfE(err error) error {
	var apiErr *dfe.APIError
	if errors.As(err, &apiErr) && apiErr.Status < 500 && apiErr.Status != 429 {
		return fmt.Errorf("%w (%v)", problem.Newf("DfE refused it: %s", apiErr.Detail()), err)
	}
	return fmt.Errorf("%w (%v)", problem.New("DfE could not be reached, so nothing has changed. Try again in a few minutes."), err)
}

// lock locks a pending application for a decision; a decided one is a problem.
func lock(ctx context.Context, tx pgx.Tx, id string) (Application, error) {
	if !identifiers.IsUUID(id) {
		return Application{}, database.ErrNotFound
	}
	a, err := scan(tx.QueryRow(ctx, `SELECT `+columns+` `+from+` WHERE a.id = $1 FOR UPDATE OF a`, id))
	if database.IsNoRows(err) {
		return a, database.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("applications: lock %s: %w", id, err)
	}
	if a.Status != StatusPending {
		return a, errDecided(a.Status)
	}
	return a, nil
}

// Accept accepts a pending application into one of our cohorts: DfE is told, the participant
// is enrolled with the application's DfE ids and invited (through the outbox), and the
// decision is recorded, all or nothing. The application's row is locked throughout, so a
// double click or two admins at once accept it once: the second finds it accepted. It
// returns the enrolment's id.
func (s Store) Accept(ctx context.Context, dfeAPI Decider, id string, d AcceptDraft, actorID int64, baseURL string, now time.Time) (int64, error) {
	var enrolmentID int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		a, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkPlace(ctx, tx, a, d.CohortID(), now); err != nil {
			return err
		}
		funded := d.FundedPlace == "yes"
		got, err := dfeAPI.AcceptApplication(ctx, a.ID, &funded, d.Schedule)
		if err != nil {
			return refusedByDfE(err)
		}
		route := programme.FundingSchoolFunded
		if funded {
			route = programme.FundingScholarship
		}
		school := ""
		if a.SchoolURN != "" {
			school = "School URN " + a.SchoolURN
		}
		enrolmentID, err = programme.EnrolInTx(ctx, tx, programme.NewEnrolment{Email: a.Email, Name: a.FullName,
			CohortID: d.CohortID(), FundingRoute: route, School: school}, actorID, baseURL)
		if err != nil {
			return fmt.Errorf("applications: enrol %s: %w", a.ID, err)
		}
		schedule := str(got.Attributes.ScheduleIdentifier)
		if schedule == "" {
			schedule = d.Schedule
		}
		if _, err := tx.Exec(ctx, `UPDATE enrolments SET dfe_application_id = $2, dfe_course_identifier = $3, dfe_cohort = nullif($4, ''),
				dfe_schedule_identifier = nullif($5, ''), dfe_funded_place = $6 WHERE id = $1`,
			enrolmentID, a.ID, a.Course, a.Cohort, schedule, funded); err != nil {
			return fmt.Errorf("applications: enrolment ids %s: %w", a.ID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET dfe_participant_id = $2, trn = coalesce(trn, nullif($3, ''))
				FROM enrolments e WHERE e.id = $1 AND users.id = e.user_id`, enrolmentID, a.ParticipantID, a.TRN); err != nil {
			return fmt.Errorf("applications: participant ids %s: %w", a.ID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE dfe_applications SET status = 'accepted', enrolment_id = $2, decided_by = $3, decided_at = $4,
				schedule_identifier = $5, funded_place = $6 WHERE id = $1`, a.ID, enrolmentID, database.NullID(actorID), now, schedule, funded); err != nil {
			return fmt.Errorf("applications: record acceptance %s: %w", a.ID, err)
		}
		return audit.Record(ctx, tx, actorID, "dfe.application_accepted", fmt.Sprintf("enrolment:%d", enrolmentID),
			map[string]any{"application_id": a.ID, "cohort_id": d.CohortID(), "funded_place": funded, "schedule_identifier": schedule})
	})
	return enrolmentID, err
}

// checkPlace refuses, before DfE is told anything, an acceptance that could not enrol: a
// cohort not of the application's course or already over, an email address that is a staff
// account's or already enrolled in the cohort, or a DfE participant id another account holds.
func checkPlace(ctx context.Context, tx pgx.Tx, a Application, cohortID int64, now time.Time) error {
	var course string
	var ends time.Time
	err := tx.QueryRow(ctx, `SELECT q.course_identifier, h.study_ends_on FROM cohorts h JOIN courses c ON c.id = h.course_id
		JOIN qualifications q ON q.code = c.qualification_code WHERE h.id = $1`, cohortID).Scan(&course, &ends)
	if database.IsNoRows(err) || (err == nil && (course != a.Course || ends.Before(programme.Today(now)))) {
		return problem.Problem{Field: "cohort", Message: "Choose one of the cohorts listed"}
	}
	if err != nil {
		return fmt.Errorf("applications: cohort %d: %w", cohortID, err)
	}
	if a.Email == "" {
		return problem.New("DfE gave no email address for this application, so there is nobody to invite")
	}
	email := auth.NormaliseEmail(a.Email)
	var staff, enrolled, otherHolder bool
	err = tx.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM users WHERE email = $1 AND role <> 'participant'),
			EXISTS (SELECT 1 FROM enrolments e JOIN users u ON u.id = e.user_id WHERE u.email = $1 AND e.cohort_id = $2),
			EXISTS (SELECT 1 FROM users WHERE dfe_participant_id = $3 AND email <> $1)`,
		email, cohortID, a.ParticipantID).Scan(&staff, &enrolled, &otherHolder)
	switch {
	case err != nil:
		return fmt.Errorf("applications: check %s: %w", a.ID, err)
	case staff:
		return problem.New("The application's email address belongs to a staff account: correct it with DfE first")
	case enrolled:
		return problem.Problem{Field: "cohort", Message: "They are already enrolled in this cohort"}
	case otherHolder:
		return problem.New("Another participant here already has this DfE participant ID: check the two records before accepting")
	}
	return nil
}

// Reject rejects a pending application: DfE is told, and the reason is kept here (DfE's API
// takes none). Like Accept, it locks the application, so it is decided once.
func (s Store) Reject(ctx context.Context, dfeAPI Decider, id, reason string, actorID int64, now time.Time) error {
	reason = strings.TrimSpace(reason)
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		a, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := dfeAPI.RejectApplication(ctx, a.ID); err != nil {
			return refusedByDfE(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE dfe_applications SET status = 'rejected', decided_by = $2, decided_at = $3, reject_reason = $4
				WHERE id = $1`, a.ID, database.NullID(actorID), now, reason); err != nil {
			return fmt.Errorf("applications: record rejection %s: %w", a.ID, err)
		}
		return audit.Record(ctx, tx, actorID, "dfe.application_rejected", "dfe_application:"+a.ID,
			map[string]any{"application_id": a.ID, "reason": reason})
	})
}
