package programme

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/wording"
)

// FundingRoute is how a place is paid for.
type FundingRoute string

// The funding routes.
const (
	FundingScholarship  FundingRoute = "scholarship"
	FundingSchoolFunded FundingRoute = "school_funded"
	FundingSelfFunded   FundingRoute = "self_funded"
)

// FundingRoutes lists them in the order forms offer them.
var FundingRoutes = []FundingRoute{FundingScholarship, FundingSchoolFunded, FundingSelfFunded}

// Label is the route as people say it.
func (f FundingRoute) Label() string {
	switch f {
	case FundingScholarship:
		return "Scholarship (DfE funded)"
	case FundingSchoolFunded:
		return "School-funded"
	case FundingSelfFunded:
		return "Self-funded"
	}
	return string(f)
}

// Valid reports whether f is a known route.
func (f FundingRoute) Valid() bool {
	return slices.Contains(FundingRoutes, f)
}

// Status is an enrolment's training status, with DfE's values.
type Status string

// The training statuses.
const (
	StatusActive    Status = "active"
	StatusDeferred  Status = "deferred"
	StatusWithdrawn Status = "withdrawn"
	StatusCompleted Status = "completed"
)

// Label is the status as people say it.
func (s Status) Label() string {
	switch s {
	case StatusActive:
		return "Active"
	case StatusDeferred:
		return "Deferred"
	case StatusWithdrawn:
		return "Withdrawn"
	case StatusCompleted:
		return "Completed"
	}
	return string(s)
}

// CanSeeContent reports whether a participant with this status may read course content:
// not while deferred or after withdrawing.
func (s Status) CanSeeContent() bool { return s == StatusActive || s == StatusCompleted }

// Enrolment is a participant in a cohort.
type Enrolment struct {
	ID                     int64
	UserID                 int64
	Name, Email            string
	CohortID, CourseID     int64
	CohortName, CourseName string
	QualificationCode      string
	PartnerID              int64
	PartnerName            string
	PartnerContactName     string
	PartnerContactEmail    string
	FundingRoute           FundingRoute
	PaymentReceivedOn      *time.Time
	StartsOn               time.Time
	Status                 Status
	LastActivityAt         *time.Time
	LastItemID             *int64
	CohortStartsOn         time.Time
	StudyEndsOn            time.Time
}

const enrolmentColumns = `e.id, e.user_id, u.name, u.email, e.cohort_id, h.course_id, h.name, c.name, c.qualification_code,
	h.delivery_partner_id, p.name, p.contact_name, p.contact_email, e.funding_route, e.payment_received_on, e.starts_on, e.status, e.last_activity_at,
	e.last_item_id, h.starts_on, h.study_ends_on`

const enrolmentFrom = `FROM enrolments e JOIN users u ON u.id = e.user_id JOIN cohorts h ON h.id = e.cohort_id
	JOIN courses c ON c.id = h.course_id JOIN delivery_partners p ON p.id = h.delivery_partner_id`

func scanEnrolment(r pgx.Row) (Enrolment, error) {
	var e Enrolment
	err := r.Scan(&e.ID, &e.UserID, &e.Name, &e.Email, &e.CohortID, &e.CourseID, &e.CohortName, &e.CourseName, &e.QualificationCode,
		&e.PartnerID, &e.PartnerName, &e.PartnerContactName, &e.PartnerContactEmail, &e.FundingRoute, &e.PaymentReceivedOn, &e.StartsOn, &e.Status, &e.LastActivityAt,
		&e.LastItemID, &e.CohortStartsOn, &e.StudyEndsOn)
	return e, err
}

// EnrolmentsForUser lists a participant's enrolments: the active ones first, then newest.
func (s Store) EnrolmentsForUser(ctx context.Context, userID int64) ([]Enrolment, error) {
	rows, err := s.DB.Query(ctx, enrolmentsForUserSQL, userID)
	if err != nil {
		return nil, fmt.Errorf("programme: enrolments for user %d: %w", userID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Enrolment, error) { return scanEnrolment(r) })
}

const enrolmentsForUserSQL = `SELECT ` + enrolmentColumns + ` ` + enrolmentFrom + ` WHERE e.user_id = $1
		ORDER BY e.status = 'active' DESC, h.starts_on DESC`

// QueueEnrolmentsForUser queues on b the read of EnrolmentsForUser, which fills out when the
// batch is sent, so another store can read them in the same round trip as its own.
func QueueEnrolmentsForUser(b *pgx.Batch, userID int64, out *[]Enrolment) {
	b.Queue(enrolmentsForUserSQL, userID).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Enrolment, error) { return scanEnrolment(r) })
		if err != nil {
			return fmt.Errorf("programme: enrolments for user %d: %w", userID, err)
		}
		*out = list
		return nil
	})
}

// EnrolmentByID returns an enrolment.
func (s Store) EnrolmentByID(ctx context.Context, id int64) (Enrolment, error) {
	e, err := scanEnrolment(s.DB.QueryRow(ctx, `SELECT `+enrolmentColumns+` `+enrolmentFrom+` WHERE e.id = $1`, id))
	if database.IsNoRows(err) {
		return e, database.ErrNotFound
	}
	return e, err
}

// StatusChange is one entry of an enrolment's status history.
type StatusChange struct {
	Status      Status
	EffectiveOn time.Time
	Reason      string
	ChangedBy   string
	RecordedAt  time.Time
}

const statusHistorySQL = `
		SELECT h.status, h.effective_on, h.reason, coalesce(u.name, 'System'), h.recorded_at
		FROM enrolment_status_history h LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.enrolment_id = $1 ORDER BY h.id`

func collectStatusHistory(rows pgx.Rows) ([]StatusChange, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StatusChange, error) {
		var c StatusChange
		return c, r.Scan(&c.Status, &c.EffectiveOn, &c.Reason, &c.ChangedBy, &c.RecordedAt)
	})
}

// HistoryAndJourney returns an enrolment's status history and its journey (Journey) in one
// round trip: what the admin enrolment page shows.
func (s Store) HistoryAndJourney(ctx context.Context, e Enrolment) ([]StatusChange, []Block, error) {
	var history []StatusChange
	var blocks []Block
	b := &pgx.Batch{}
	b.Queue(statusHistorySQL, e.ID).Query(func(rows pgx.Rows) error {
		var err error
		history, err = collectStatusHistory(rows)
		return err
	})
	QueueJourney(b, e, &blocks)
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("programme: history and journey %d: %w", e.ID, err)
	}
	return history, blocks, nil
}

// RecordStatus appends a status change; a trigger keeps enrolments.status in step.
func RecordStatus(ctx context.Context, tx pgx.Tx, enrolmentID int64, status Status, effective time.Time, reason string, actorID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason, changed_by)
		VALUES ($1, $2, $3, $4, $5)`, enrolmentID, status, effective, reason, database.NullID(actorID))
	return err
}

// NewEnrolment is one person to enrol.
type NewEnrolment struct {
	Email, Name       string
	CohortID          int64
	FundingRoute      FundingRoute
	PaymentReceivedOn *time.Time
	StartsOn          *time.Time // zero: the cohort's start
	School            string     // where they work, as their application gave it; "" if not known
}

// Enrolment problems a form or a CSV row reports against the email.
var (
	ErrAlreadyEnrolled = errors.New("already enrolled in this cohort")
	ErrNotParticipant  = errors.New("this email address belongs to a staff account")
)

// Enrol enrols one person, creating their account and sending an invitation when they have
// none, or an email saying so when they have.
func (s Store) Enrol(ctx context.Context, n NewEnrolment, actorID int64, baseURL string) (int64, error) {
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var err error
		id, err = enrol(ctx, tx, n, actorID, baseURL)
		return err
	})
	return id, err
}

// EnrolInTx enrols one person as Enrol does, inside the caller's transaction.
func EnrolInTx(ctx context.Context, tx pgx.Tx, n NewEnrolment, actorID int64, baseURL string) (int64, error) {
	return enrol(ctx, tx, n, actorID, baseURL)
}

func enrol(ctx context.Context, tx pgx.Tx, n NewEnrolment, actorID int64, baseURL string) (int64, error) {
	email := auth.NormaliseEmail(n.Email)
	var c Cohort
	if err := tx.QueryRow(ctx, `SELECT h.id, h.name, c.name, h.starts_on FROM cohorts h JOIN courses c ON c.id = h.course_id WHERE h.id = $1`, n.CohortID).
		Scan(&c.ID, &c.Name, &c.CourseName, &c.StartsOn); err != nil {
		if database.IsNoRows(err) {
			return 0, database.ErrNotFound
		}
		return 0, err
	}
	starts := c.StartsOn
	if n.StartsOn != nil {
		starts = *n.StartsOn
	}
	userID, activated, err := participantAccount(ctx, tx, email, n.Name)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO enrolments (user_id, cohort_id, funding_route, payment_received_on, starts_on, school)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, cohort_id) DO NOTHING RETURNING id`,
		userID, n.CohortID, n.FundingRoute, n.PaymentReceivedOn, starts, n.School).Scan(&id)
	if database.IsNoRows(err) {
		return 0, ErrAlreadyEnrolled
	}
	if err != nil {
		return 0, err
	}
	if err := RecordStatus(ctx, tx, id, StatusActive, starts, "Enrolled", actorID); err != nil {
		return 0, err
	}
	place := wording.Enrolment{Name: n.Name, CourseName: c.CourseName, CohortName: c.Name, StartsOn: starts, BaseURL: baseURL}
	if !activated {
		intro, err := wording.EnrolmentIntro(place)
		if err != nil {
			return 0, err
		}
		if _, err := auth.InviteInTx(ctx, tx, auth.NewInvitation{Email: email, Name: n.Name, Role: auth.RoleParticipant,
			InvitedBy: actorID, Intro: intro}, baseURL); err != nil {
			return 0, err
		}
	} else {
		text, err := wording.EnrolmentEmail(place)
		if err != nil {
			return 0, err
		}
		if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: email, ToName: n.Name, Subject: text.Subject, Body: text.Body}); err != nil {
			return 0, err
		}
	}
	return id, audit.Record(ctx, tx, actorID, "enrolment.created", fmt.Sprintf("enrolment:%d", id),
		map[string]any{"email": email, "cohort_id": n.CohortID})
}

// participantAccount returns the participant account for an email address, creating one
// without a password (until they accept the invitation) when there is none. When another
// request is creating the same account at that moment, the insert waits for it and the
// account it made is used, so a double click never fails on the unique email.
func participantAccount(ctx context.Context, tx pgx.Tx, email, name string) (id int64, activated bool, err error) {
	err = tx.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, '', 'participant')
		ON CONFLICT (email) DO NOTHING RETURNING id`, email, name).Scan(&id)
	if !database.IsNoRows(err) {
		return id, false, err
	}
	var role auth.Role
	if err := tx.QueryRow(ctx, `SELECT id, role, password_hash <> '' FROM users WHERE email = $1`, email).Scan(&id, &role, &activated); err != nil {
		return 0, false, err
	}
	if role != auth.RoleParticipant {
		return 0, false, ErrNotParticipant
	}
	return id, activated, nil
}

// ImportProblem is a CSV row the import refused, with every reason.
type ImportProblem struct {
	Line     int
	Email    string
	Problems []string
}

// ImportEnrolments enrols every row, or none: if any row has a problem, nothing is saved and
// every problem is reported. Cohorts are looked up by name.
func (s Store) ImportEnrolments(ctx context.Context, rows []EnrolmentRow, actorID int64, baseURL string) (int, []ImportProblem, error) {
	var problems []ImportProblem
	errRollback := errors.New("rows with problems")
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		// One import at a time: the same file sent twice waits for the first, then finds
		// everyone already enrolled, and files that share people never deadlock.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('npq:enrolments:import'))`); err != nil {
			return err
		}
		cohorts := map[string]int64{}
		r, err := tx.Query(ctx, `SELECT lower(name), id FROM cohorts`)
		if err != nil {
			return err
		}
		for r.Next() {
			var name string
			var id int64
			if err := r.Scan(&name, &id); err != nil {
				return err
			}
			cohorts[name] = id
		}
		if err := r.Err(); err != nil {
			return err
		}
		for _, row := range rows {
			id, ok := cohorts[strings.ToLower(row.Cohort)]
			if !ok {
				problems = append(problems, ImportProblem{Line: row.Line, Email: row.Email, Problems: []string{fmt.Sprintf("Cohort “%s” does not exist", row.Cohort)}})
				continue
			}
			// A savepoint per row lets one bad row be reported without losing the others' checks.
			sp, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			_, err = enrol(ctx, sp, NewEnrolment{Email: row.Email, Name: row.Name, CohortID: id, FundingRoute: row.FundingRoute,
				PaymentReceivedOn: row.PaymentReceivedOn, StartsOn: row.StartsOn, School: row.School}, actorID, baseURL)
			switch {
			case errors.Is(err, ErrAlreadyEnrolled):
				problems = append(problems, ImportProblem{Line: row.Line, Email: row.Email, Problems: []string{"Already enrolled in " + row.Cohort}})
				sp.Rollback(ctx) //nolint:errcheck
			case errors.Is(err, ErrNotParticipant):
				problems = append(problems, ImportProblem{Line: row.Line, Email: row.Email, Problems: []string{"The email address belongs to a staff account, not a participant"}})
				sp.Rollback(ctx) //nolint:errcheck
			case err != nil:
				sp.Rollback(ctx) //nolint:errcheck
				return err
			default:
				if err := sp.Commit(ctx); err != nil {
					return err
				}
			}
		}
		if len(problems) > 0 {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		return 0, problems, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("programme: import enrolments: %w", err)
	}
	return len(rows), nil, nil
}
