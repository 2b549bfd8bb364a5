package lifecycle

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/events"
	"npq/internal/listing"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/wording"
)

// Request is a request to defer or withdraw, with its decision.
type Request struct {
	ID, EnrolmentID      int64
	Kind                 Kind
	Reason               string
	Details              string
	StartsOn             time.Time
	PlannedReturnOn      *time.Time
	Source               string
	DiscussedWithPartner bool
	State                State
	CreatedAt            time.Time
	DecidedAt            *time.Time
	DecidedBy            string
	DecisionNotes        string
	EffectiveOn          *time.Time
	ExceptionReason      string
	ReturnCohortID       *int64
	ReturnCohortName     string
	ReturnBlockID        *int64
	ReturnOn             *time.Time
	Refund               *string
	RefundPence          *int
	ReturnAskedAt        *time.Time
	ReturnAnswer         *ReturnAnswer
	ReturnedAt           *time.Time
	// The enrolment's facts.
	UserID            int64
	Name, Email       string
	Status            programme.Status
	CohortID          int64
	CohortName        string
	CourseID          int64
	CourseName        string
	QualificationCode string
	CourseIdentifier  string
	PartnerID         int64
	PartnerName       string
	FundingRoute      programme.FundingRoute
	PaymentReceivedOn *time.Time
	EnrolmentStarts   time.Time
	StudyEndsOn       time.Time
	Done, Required    int
	FutureBookings    int
	Letters           []LetterRef // the letters sent about it, filled in by RequestsPage
}

// ReasonLabel is the request's reason in words.
func (r Request) ReasonLabel() string { return ReasonLabel(r.Kind, r.Reason) }

// Facts are the request's eligibility facts.
func (r Request) Facts() Facts {
	return Facts{Status: r.Status, FundingRoute: r.FundingRoute, PaymentReceivedOn: r.PaymentReceivedOn, StartsOn: r.EnrolmentStarts}
}

// requestColumns are what scanRequest reads: the request, its enrolment and its progress.
const requestColumns = requestBaseColumns + requestProgress

// requestBaseColumns are the request's and its enrolment's facts.
const requestBaseColumns = `r.id, r.enrolment_id, r.kind, r.reason, r.details, r.starts_on, r.planned_return_on, r.source,
	r.discussed_with_partner, r.state, r.created_at, r.decided_at, coalesce(du.name, ''), r.decision_notes, r.effective_on,
	r.exception_reason, r.return_cohort_id, coalesce(rc.name, ''), r.return_block_id, r.return_on, r.refund, r.refund_pence,
	r.return_asked_at, r.return_answer, r.returned_at,
	e.user_id, u.name, u.email, e.status, e.cohort_id, h.name, h.course_id, c.name, c.qualification_code, q.course_identifier,
	h.delivery_partner_id, p.name, e.funding_route, e.payment_received_on, e.starts_on, h.study_ends_on`

// requestProgress are the progress columns of requestColumns: the required activities done,
// counted from one range scan of the enrolment's completions (its latest record per activity)
// against the course's required activities (req in requestFrom, worked out once per query,
// not once per row; OFFSET 0 keeps that test out of the scan, which would otherwise look up
// each required activity in the index), the required activities, and the places booked ahead.
const requestProgress = `,
	(SELECT count(*) FROM (SELECT DISTINCT ON (ic.item_id) ic.item_id, ic.completed FROM item_completions ic
	   WHERE ic.enrolment_id = e.id ORDER BY ic.item_id, ic.id DESC OFFSET 0) l
	   WHERE l.completed AND l.item_id = ANY(req.items)),
	coalesce(cardinality(req.items), 0),
	(SELECT count(*) FROM bookings bk JOIN events ev ON ev.id = bk.event_id WHERE bk.enrolment_id = e.id AND bk.status IN ('booked', 'waiting') AND ev.starts_at > now())`

// requestColumnsWithoutProgress are requestColumns with zero progress, for lists that do not
// show it.
const requestColumnsWithoutProgress = requestBaseColumns + `, 0, 0, 0`

// requestFrom is what requestColumns read from.
const requestFrom = requestBaseFrom + `
	LEFT JOIN (SELECT b.course_id, array_agg(i.id) AS items FROM block_items i JOIN blocks b ON b.id = i.block_id
	  WHERE i.required AND i.archived_at IS NULL AND b.archived_at IS NULL GROUP BY b.course_id) req ON req.course_id = h.course_id`

// requestBaseFrom is what requestColumnsWithoutProgress read from.
const requestBaseFrom = `FROM status_requests r JOIN enrolments e ON e.id = r.enrolment_id JOIN users u ON u.id = e.user_id
	JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id JOIN qualifications q ON q.code = c.qualification_code
	JOIN delivery_partners p ON p.id = h.delivery_partner_id
	LEFT JOIN users du ON du.id = r.decided_by LEFT JOIN cohorts rc ON rc.id = r.return_cohort_id`

func scanRequest(row pgx.Row, extra ...any) (Request, error) {
	var r Request
	dest := []any{&r.ID, &r.EnrolmentID, &r.Kind, &r.Reason, &r.Details, &r.StartsOn, &r.PlannedReturnOn, &r.Source,
		&r.DiscussedWithPartner, &r.State, &r.CreatedAt, &r.DecidedAt, &r.DecidedBy, &r.DecisionNotes, &r.EffectiveOn,
		&r.ExceptionReason, &r.ReturnCohortID, &r.ReturnCohortName, &r.ReturnBlockID, &r.ReturnOn, &r.Refund, &r.RefundPence,
		&r.ReturnAskedAt, &r.ReturnAnswer, &r.ReturnedAt,
		&r.UserID, &r.Name, &r.Email, &r.Status, &r.CohortID, &r.CohortName, &r.CourseID, &r.CourseName, &r.QualificationCode, &r.CourseIdentifier,
		&r.PartnerID, &r.PartnerName, &r.FundingRoute, &r.PaymentReceivedOn, &r.EnrolmentStarts, &r.StudyEndsOn,
		&r.Done, &r.Required, &r.FutureBookings}
	err := row.Scan(append(dest, extra...)...)
	return r, err
}

func (s Store) requests(ctx context.Context, where string, args ...any) ([]Request, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+requestColumns+` `+requestFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: requests: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) { return scanRequest(r) })
}

// Requests and letters are seen through their enrolment (e) and its cohort (h): all of them
// by admins, a partner's participants' by its staff, a participant's own by them, and none by
// anyone else (scope.Scope).

// RequestByID returns a request within sc, or database.ErrNotFound.
func (s Store) RequestByID(ctx context.Context, id int64, sc scope.Scope) (Request, error) {
	list, err := s.requests(ctx, "r.id = $1 AND ($2 OR h.delivery_partner_id = $3 OR e.user_id = $4)",
		id, sc.All(), sc.PartnerID(), sc.UserID())
	if err != nil {
		return Request{}, err
	}
	if len(list) == 0 {
		return Request{}, database.ErrNotFound
	}
	return list[0], nil
}

// RequestsFor lists the requests within sc, newest first.
func (s Store) RequestsFor(ctx context.Context, sc scope.Scope, limit int) ([]Request, error) {
	var w database.Conds
	addScope(&w, sc, "r.delivery_partner_id")
	return s.requests(ctx, w.SQL()+" ORDER BY r.created_at DESC, r.id DESC LIMIT "+strconv.Itoa(limit), w.Args...)
}

// addScope adds the condition that a row of a participant's enrolment (e) is within sc: one
// condition per kind of scope, so that each can use its index. partner is the column with
// the enrolment's partner: a request's own copy (r.delivery_partner_id, kept by triggers) or
// its cohort's.
func addScope(w *database.Conds, sc scope.Scope, partner string) {
	switch {
	case sc.All():
	case sc.PartnerID() != 0:
		w.Add(partner+" = $?", sc.PartnerID())
	case sc.UserID() != 0:
		w.Add("e.user_id = $?", sc.UserID())
	default:
		w.Where("false")
	}
}

// Queue lists the open requests of a kind, oldest first, with the facts needed to decide.
func (s Store) Queue(ctx context.Context, kind Kind) ([]Request, error) {
	return s.requests(ctx, "r.kind = $1 AND r.state = 'open' ORDER BY r.created_at, r.id", kind)
}

// returning is the condition of an approved deferral not yet ended.
const returning = "r.kind = 'deferral' AND r.state = 'approved' AND r.returned_at IS NULL AND r.withdrawal_case_id IS NULL"

// Returns lists approved deferrals not yet returned, soonest return first.
func (s Store) Returns(ctx context.Context) ([]Request, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+requestColumnsWithoutProgress+` `+requestBaseFrom+` WHERE `+returning+` ORDER BY r.return_on, r.id`)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: returns: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) { return scanRequest(r) })
}

// ReturnKey is a deferral's position in the list of returns: its return date, and its id.
func ReturnKey(r Request) listing.Cursor { return listing.TimeKey(*r.ReturnOn, r.ID) }

// ReturnsPage lists a page of the approved deferrals not yet returned, soonest return first,
// in the query's order for listing.Cut, with how many in all return by dueBy and after it.
// The counts come from the partial index of returns, in the same statement.
func (s Store) ReturnsPage(ctx context.Context, dueBy time.Time, req listing.Request) (list []Request, due, later int, err error) {
	at, id, err := req.Cursor().TimeID()
	if err != nil {
		return nil, 0, 0, err
	}
	cmp, dir := listing.Seek(true, req)
	var w database.Conds
	by := w.Arg(dueBy)
	w.Where(returning)
	if id != 0 {
		w.Where("(r.return_on, r.id) " + cmp + " (" + w.Arg(at) + "::timestamptz::date, " + w.Arg(id) + ")")
	}
	rows, err := s.DB.Query(ctx, `SELECT `+requestColumnsWithoutProgress+`,
		(SELECT count(*) FROM status_requests r WHERE `+returning+` AND r.return_on <= `+by+`::date),
		(SELECT count(*) FROM status_requests r WHERE `+returning+` AND r.return_on > `+by+`::date)
		`+requestBaseFrom+` WHERE `+w.SQL()+`
		ORDER BY r.return_on `+dir+`, r.id `+dir+` LIMIT `+strconv.Itoa(req.Limit()), w.Args...)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("lifecycle: returns page: %w", err)
	}
	list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) { return scanRequest(r, &due, &later) })
	if err != nil {
		return nil, 0, 0, fmt.Errorf("lifecycle: returns page: %w", err)
	}
	if len(list) == 0 && id != 0 {
		// No row carried the counts, and a page past the end (an old link) does not mean
		// there are none.
		err = s.DB.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM status_requests r WHERE `+returning+` AND r.return_on <= $1::date),
			(SELECT count(*) FROM status_requests r WHERE `+returning+` AND r.return_on > $1::date)`, dueBy).Scan(&due, &later)
	}
	return list, due, later, err
}

// NewRequest is a request as submitted.
type NewRequest struct {
	EnrolmentID          int64
	Kind                 Kind
	Reason               string
	Details              string
	StartsOn             time.Time
	PlannedReturnOn      *time.Time
	Source               string
	DiscussedWithPartner bool
	RequestedBy          int64
}

// ErrOpenRequest refuses a second open request for an enrolment.
var ErrOpenRequest = problem.New("There is already an open request for this enrolment: it must be decided or cancelled first")

// lockEnrolmentStatus locks an enrolment and returns its status.
func lockEnrolmentStatus(ctx context.Context, tx pgx.Tx, enrolmentID int64) (programme.Status, error) {
	var st programme.Status
	err := tx.QueryRow(ctx, `SELECT status FROM enrolments WHERE id = $1 FOR UPDATE`, enrolmentID).Scan(&st)
	if database.IsNoRows(err) {
		return st, database.ErrNotFound
	}
	return st, err
}

// Create records a request. One request can be open per enrolment (the database enforces it).
func (s Store) Create(ctx context.Context, n NewRequest) (int64, error) {
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := lockEnrolmentStatus(ctx, tx, n.EnrolmentID)
		if err != nil {
			return err
		}
		if p := StateProblem(n.Kind, st); p != "" {
			return problem.New(p)
		}
		if !ValidReason(n.Kind, n.Reason) {
			return problem.New("Choose one of the reasons listed")
		}
		err = tx.QueryRow(ctx, `INSERT INTO status_requests (enrolment_id, kind, reason, details, starts_on, planned_return_on, source,
				discussed_with_partner, requested_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, n.EnrolmentID, n.Kind, n.Reason, n.Details, n.StartsOn,
			n.PlannedReturnOn, n.Source, n.DiscussedWithPartner, database.NullID(n.RequestedBy)).Scan(&id)
		if database.IsUniqueViolation(err, "status_requests_one_open") {
			return ErrOpenRequest
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, n.RequestedBy, string(n.Kind)+".requested", fmt.Sprintf("request:%d", id), map[string]any{"reason": n.Reason, "source": n.Source})
	})
	return id, wrap("create request", err)
}

// wrap adds context to an error, keeping it (a problem.Problem, database.ErrNotFound) for
// errors.As and errors.Is.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("lifecycle: %s: %w", what, err)
}

// Cancel withdraws an open request within sc; participants can cancel only their own. The
// change and its audit entry are one transaction.
func (s Store) Cancel(ctx context.Context, id int64, sc scope.Scope, actorID int64) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE status_requests r SET state = 'cancelled' FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id
			WHERE r.id = $1 AND e.id = r.enrolment_id AND r.state = 'open' AND ($2 OR h.delivery_partner_id = $3 OR e.user_id = $4)`,
			id, sc.All(), sc.PartnerID(), sc.UserID())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return problem.New("This request is no longer open")
		}
		return audit.Record(ctx, tx, actorID, "request.cancelled", fmt.Sprintf("request:%d", id), nil)
	})
	return wrap("cancel request", err)
}

// Candidates lists the cohorts of a course a participant could return to, with block dates.
func (s Store) Candidates(ctx context.Context, courseID int64) ([]CohortSchedule, error) {
	rows, err := s.DB.Query(ctx, candidatesSQL, courseID)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: candidates: %w", err)
	}
	return collectCandidates(rows)
}

const candidatesSQL = `SELECT h.id, h.name, h.delivery_partner_id, p.name, b.position, b.id, cb.opens_on
		FROM cohorts h JOIN delivery_partners p ON p.id = h.delivery_partner_id
		JOIN cohort_blocks cb ON cb.cohort_id = h.id JOIN blocks b ON b.id = cb.block_id
		WHERE h.course_id = $1 ORDER BY h.starts_on, h.id, b.position`

func collectCandidates(rows pgx.Rows) ([]CohortSchedule, error) {
	defer rows.Close()
	var out []CohortSchedule
	for rows.Next() {
		var c CohortSchedule
		var pos int
		var blockID int64
		var opens time.Time
		if err := rows.Scan(&c.CohortID, &c.Name, &c.PartnerID, &c.PartnerName, &pos, &blockID, &opens); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].CohortID != c.CohortID {
			c.BlockOpens, c.BlockIDs = map[int]time.Time{}, map[int]int64{}
			out = append(out, c)
		}
		last := &out[len(out)-1]
		last.BlockOpens[pos], last.BlockIDs[pos] = opens, blockID
	}
	return out, rows.Err()
}

// Decision is an admin's decision on a request.
type Decision struct {
	RequestID       int64
	Approve         bool
	Notes           string
	EffectiveOn     time.Time
	ReturnCohortID  int64
	ReturnBlockID   int64
	ReturnOn        time.Time
	ExceptionReason string
	Refund          string // none, partial, full (withdrawals of paid places)
	RefundPence     int
	ActorID         int64
	Now             time.Time
}

// Decide approves or refuses an open request. Approving changes the training status (with the
// effective date, reason code and deciding admin), cancels future bookings (waiting lists move
// up), stops access to content, and confirms the decision in writing to the participant and
// their delivery partner.
func (s Store) Decide(ctx context.Context, d Decision) (int64, error) {
	var letterID int64
	err := database.InTxRetry(ctx, s.DB, func(tx pgx.Tx) error {
		r, err := lockedRequest(ctx, tx, d.RequestID)
		if err != nil {
			return err
		}
		if r.State != StateOpen {
			return problem.New("This request has already been decided or cancelled")
		}
		st, err := lockEnrolmentStatus(ctx, tx, r.EnrolmentID)
		if err != nil {
			return err
		}
		if !d.Approve {
			if _, err := tx.Exec(ctx, `UPDATE status_requests SET state = 'refused', decided_by = $2, decided_at = now(), decision_notes = $3 WHERE id = $1`,
				r.ID, d.ActorID, d.Notes); err != nil {
				return err
			}
			text, err := s.refusalLetter(r, d)
			if err != nil {
				return err
			}
			letterID, err = s.letter(ctx, tx, r, "refusal", text)
			if err != nil {
				return err
			}
			return audit.Record(ctx, tx, d.ActorID, string(r.Kind)+".refused", fmt.Sprintf("request:%d", r.ID), map[string]any{"notes": d.Notes})
		}
		if p := StateProblem(r.Kind, st); p != "" {
			return problem.New(p)
		}
		status := programme.StatusWithdrawn
		if r.Kind == KindDeferral {
			status = programme.StatusDeferred
			if ps := DeferralProblems(r.Facts(), programme.Today(d.Now)); len(ps) > 0 {
				return problem.New("Not eligible to defer: " + strings.Join(ps, "; ") + ". Offer a move to the next cohort instead.")
			}
			if d.ReturnCohortID == 0 || d.ReturnOn.IsZero() {
				return problem.New("Choose the cohort and date the participant returns to")
			}
			if ReturnTooLate(d.EffectiveOn, d.ReturnOn) && strings.TrimSpace(d.ExceptionReason) == "" {
				return problem.New("The return is more than 12 months after the deferral starts: record the reason for the exception")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE status_requests SET state = 'approved', decided_by = $2, decided_at = now(), decision_notes = $3,
				effective_on = $4, return_cohort_id = $5, return_block_id = $6, return_on = $7, exception_reason = $8,
				refund = $9, refund_pence = $10 WHERE id = $1`,
			r.ID, d.ActorID, d.Notes, d.EffectiveOn, database.NullID(d.ReturnCohortID), database.NullID(d.ReturnBlockID),
			nullDate(d.ReturnOn), d.ExceptionReason, nullString(d.Refund), nullPence(d.Refund, d.RefundPence)); err != nil {
			return err
		}
		if err := programme.RecordStatus(ctx, tx, r.EnrolmentID, status, d.EffectiveOn, r.Reason, d.ActorID); err != nil {
			return err
		}
		cancelled, err := events.Store{DB: tx, BaseURL: s.BaseURL}.CancelForEnrolment(ctx, tx, r.EnrolmentID, d.ActorID, d.Now, string(status))
		if err != nil {
			return err
		}
		r, err = lockedRequest(ctx, tx, d.RequestID)
		if err != nil {
			return err
		}
		words := s.withdrawalLetter
		if r.Kind == KindDeferral {
			words = s.deferralLetter
		}
		text, err := words(r, cancelled)
		if err != nil {
			return err
		}
		letterID, err = s.letter(ctx, tx, r, string(r.Kind), text)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, d.ActorID, string(r.Kind)+".approved", fmt.Sprintf("request:%d", r.ID), map[string]any{
			"reason": r.Reason, "effective_on": d.EffectiveOn.Format("2006-01-02"), "bookings_cancelled": cancelled.Booked, "waiting_cancelled": cancelled.Waiting, "refund": d.Refund})
	})
	return letterID, wrap("decide", err)
}

func lockedRequest(ctx context.Context, tx pgx.Tx, id int64) (Request, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM status_requests WHERE id = $1 FOR UPDATE`, id); err != nil {
		return Request{}, err
	}
	r, err := scanRequest(tx.QueryRow(ctx, `SELECT `+requestColumns+` `+requestFrom+` WHERE r.id = $1`, id))
	if database.IsNoRows(err) {
		return r, database.ErrNotFound
	}
	return r, err
}

func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullPence(refund string, p int) *int {
	if refund != "partial" {
		return nil
	}
	return &p
}

// MoveToNextCohort moves an enrolment to another cohort of the same course (offered instead of
// a deferral to someone not eligible to defer), closes the request, and confirms it in writing.
func (s Store) MoveToNextCohort(ctx context.Context, requestID, cohortID, actorID int64, now time.Time) (int64, error) {
	var letterID int64
	err := database.InTxRetry(ctx, s.DB, func(tx pgx.Tx) error {
		r, err := lockedRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if r.State != StateOpen {
			return problem.New("This request has already been decided or cancelled")
		}
		if _, err := lockEnrolmentStatus(ctx, tx, r.EnrolmentID); err != nil {
			return err
		}
		var starts time.Time
		var name string
		err = tx.QueryRow(ctx, `SELECT starts_on, name FROM cohorts WHERE id = $1 AND course_id = $2 AND id <> $3`, cohortID, r.CourseID, r.CohortID).Scan(&starts, &name)
		if database.IsNoRows(err) {
			return problem.New("Choose another cohort of the same course")
		}
		if err != nil {
			return err
		}
		ev := events.Store{DB: tx, BaseURL: s.BaseURL}
		if _, err := ev.CancelForEnrolment(ctx, tx, r.EnrolmentID, actorID, now, "moved to another cohort"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE enrolments SET cohort_id = $2, starts_on = $3 WHERE id = $1`, r.EnrolmentID, cohortID, starts); err != nil {
			if database.IsUniqueViolation(err, "") {
				return problem.New("The participant already has a place in that cohort")
			}
			return err
		}
		if err := programme.RecordStatus(ctx, tx, r.EnrolmentID, programme.StatusActive, starts, "Moved to cohort "+name, actorID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE status_requests SET state = 'moved', decided_by = $2, decided_at = now(), effective_on = $3,
			return_cohort_id = $4, decision_notes = 'Moved to the next cohort instead of deferring' WHERE id = $1`, r.ID, actorID, starts, cohortID); err != nil {
			return err
		}
		text, err := wording.CohortMoveLetter(wording.CohortMove{LetterTo: s.letterTo(r),
			Problems: DeferralProblems(r.Facts(), programme.Today(now)), NewCohortName: name, StartsOn: starts})
		if err != nil {
			return err
		}
		letterID, err = s.letter(ctx, tx, r, "cohort-move", text)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "enrolment.moved", fmt.Sprintf("enrolment:%d", r.EnrolmentID), map[string]any{"cohort_id": cohortID, "request_id": r.ID})
	})
	return letterID, wrap("move to cohort", err)
}

const requestsForEnrolmentWhere = "r.enrolment_id = $1 ORDER BY r.created_at DESC, r.id DESC"

// RequestsForEnrolment lists an enrolment's requests, newest first.
func (s Store) RequestsForEnrolment(ctx context.Context, enrolmentID int64) ([]Request, error) {
	return s.requests(ctx, requestsForEnrolmentWhere, enrolmentID)
}
