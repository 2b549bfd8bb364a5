package outbound

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/listing"
)

// OutcomeStates are the states the outcome updates list offers, in order (outcomes are never
// voided: a later one replaces them at DfE).
var OutcomeStates = []State{StateDue, StateSent, StateFailed}

// ParseOutcomeState reads the outcome list's ?state=: "" is due.
func ParseOutcomeState(v string) (State, bool) {
	s, ok := ParseState(v)
	return s, ok && s != StateVoided
}

// OutcomeUpdate is one row of dfe_outcomes with who it is for.
type OutcomeUpdate struct {
	ID             int64
	EnrolmentID    int64
	Name, Email    string
	Course         string
	DfECourse      string
	Cohort         string
	DfECohort      string
	Passed         bool
	CompletionDate time.Time
	Evidence       []string
	Why            string
	RuleVersion    string
	State          State
	DfEID          string
	Error          string
	Attempts       int
	SentAt         *time.Time
}

// OutcomeKey is an outcome update's position in its list: completion date, oldest first.
func OutcomeKey(o OutcomeUpdate) listing.Cursor { return listing.TimeKey(o.CompletionDate, o.ID) }

// Outcomes is one page of outcome updates in a state (f.Type is not used), oldest completion
// date first, fetched by keyset; the statement holds only the filters chosen.
func (s Store) Outcomes(ctx context.Context, f Filter, r listing.Request) ([]OutcomeUpdate, error) {
	at, id, err := r.Cursor().TimeID()
	if err != nil {
		return nil, err
	}
	cmp, dir := listing.Seek(true, r)
	var w database.Conds
	w.Where("o.state = " + database.Literal(string(f.State)))
	if f.Query != "" {
		trn := w.Arg(f.Query)
		w.Search("(u.name ILIKE $? OR u.email ILIKE $? OR u.trn = "+trn+")", database.Contains(f.Query))
	}
	if id != 0 {
		w.Where("(o.completion_date, o.id) " + cmp + " (" + w.Arg(at) + "::date, " + w.Arg(id) + ")")
	}
	rows, err := s.DB.Query(ctx, `SELECT o.id, o.enrolment_id, u.name, u.email, c.name, coalesce(e.dfe_course_identifier, ''), h.name,
			coalesce(e.dfe_cohort, ''), o.passed, o.completion_date, o.evidence, o.why, o.rule_version, o.state, coalesce(o.dfe_id::text, ''),
			o.error, o.attempts, o.sent_at
		FROM dfe_outcomes o JOIN enrolments e ON e.id = o.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN courses c ON c.id = h.course_id
		WHERE `+w.SQL()+`
		ORDER BY o.completion_date `+dir+`, o.id `+dir+` LIMIT `+strconv.Itoa(r.Limit()), w.QueryArgs()...)
	if err != nil {
		return nil, fmt.Errorf("outbound: outcomes: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutcomeUpdate, error) {
		var o OutcomeUpdate
		return o, r.Scan(&o.ID, &o.EnrolmentID, &o.Name, &o.Email, &o.Course, &o.DfECourse, &o.Cohort, &o.DfECohort, &o.Passed,
			&o.CompletionDate, &o.Evidence, &o.Why, &o.RuleVersion, &o.State, &o.DfEID, &o.Error, &o.Attempts, &o.SentAt)
	})
}
