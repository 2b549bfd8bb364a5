package outbound

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/identifiers"
)

// Sender sends declarations and outcome updates to DfE; *dfe.Client is one.
// CreateDeclaration never repeats a create blindly: when DfE already holds a live
// declaration of the type (an earlier send whose answer was lost), it returns that one with
// existing true.
//
// Participant reads a participant, following DfE's participant-id changes: DfE refuses a
// create for a retired participant id (422), and its participant record answers 410 with
// where the id went (FollowParticipant).
type Sender interface {
	CreateDeclaration(ctx context.Context, d dfe.NewDeclaration) (decl dfe.Declaration, existing bool, err error)
	CreateOutcome(ctx context.Context, participantID, course, state string, completed time.Time) (dfe.Outcome, error)
	Participant(ctx context.Context, id string) (dfe.Participant, []dfe.ParticipantIDChange, error)
}

// SendResult says what a send run did.
type SendResult struct {
	Sent    int // DfE holds them now (created, or found already there)
	Matched int // of Sent, the ones DfE already held
	Failed  int // DfE refused them; they are not sent again
	Left    int // left due: DfE was busy or unreachable
	// OutcomesSent and OutcomesFailed count the outcome updates sent and refused.
	OutcomesSent, OutcomesFailed int
}

// outgoing is a due declaration with what DfE needs.
type outgoing struct {
	id            int64
	participantID string
	course        string
	partnerID     string
	typ           string
	date          time.Time
	hasPassed     *bool
}

// SendDue sends the due declarations in id order, each in its own transaction that holds
// the row's lock while DfE is called, so runs on several instances at once (which skip
// locked rows) send each once. DfE's id and state are recorded on success; a refusal of the
// declaration (a 422, say) is recorded as failed with DfE's text and not sent again; when DfE
// is busy (429 after the client's retries), failing (5xx, network) or refuses our token, the
// declaration stays due and the run stops: the next run tries again. Then it sends the due
// outcome updates of enrolments whose completed declaration DfE holds, the same way.
func SendDue(ctx context.Context, db database.DB, client Sender, now time.Time) (SendResult, error) {
	var res SendResult
	stopped, err := each(ctx, db, func(tx pgx.Tx, after int64) (int64, bool, error) {
		o, err := claim(ctx, tx, after)
		if err != nil {
			return 0, false, err
		}
		stop, err := send(ctx, tx, client, o, now, &res)
		return o.id, stop, err
	})
	if err != nil || stopped {
		return res, err
	}
	_, err = each(ctx, db, func(tx pgx.Tx, after int64) (int64, bool, error) {
		o, err := claimOutcome(ctx, tx, after)
		if err != nil {
			return 0, false, err
		}
		stop, err := sendOutcome(ctx, tx, client, o, now, &res)
		return o.id, stop, err
	})
	return res, err
}

// each runs step in a transaction of its own until it claims nothing (pgx.ErrNoRows) or
// says stop; step claims the next row after the id given and returns its id.
func each(ctx context.Context, db database.DB, step func(tx pgx.Tx, after int64) (id int64, stop bool, err error)) (stopped bool, err error) {
	var after int64
	for {
		var done, stop bool
		err := database.InTx(ctx, db, func(tx pgx.Tx) error {
			id, s, err := step(tx, after)
			if database.IsNoRows(err) {
				done = true
				return nil
			}
			after, stop = id, s
			return err
		})
		if err != nil || done || stop {
			return stop, err
		}
	}
}

// claim locks the next due declaration after the id given, skipping those another run holds.
func claim(ctx context.Context, tx pgx.Tx, after int64) (outgoing, error) {
	var o outgoing
	err := tx.QueryRow(ctx, `SELECT d.id, u.dfe_participant_id::text, e.dfe_course_identifier, coalesce(p.dfe_id::text, ''),
			d.declaration_type, d.declaration_date, d.has_passed
		FROM dfe_declarations d JOIN enrolments e ON e.id = d.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id JOIN delivery_partners p ON p.id = h.delivery_partner_id
		WHERE d.state = 'due' AND d.id > $1 AND u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
		ORDER BY d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`, after).Scan(
		&o.id, &o.participantID, &o.course, &o.partnerID, &o.typ, &o.date, &o.hasPassed)
	if err != nil && !database.IsNoRows(err) {
		return o, fmt.Errorf("outbound: claim after %d: %w", after, err)
	}
	return o, err
}

// send calls DfE for one claimed declaration and records the answer; stop says DfE cannot
// take more now.
func send(ctx context.Context, tx pgx.Tx, client Sender, o outgoing, now time.Time, res *SendResult) (stop bool, err error) {
	create := func() (dfe.Declaration, bool, error) {
		return client.CreateDeclaration(ctx, dfe.NewDeclaration{ParticipantID: o.participantID, DeclarationType: o.typ,
			CourseIdentifier: o.course, DeclarationDate: o.date, DeliveryPartnerID: o.partnerID, HasPassed: o.hasPassed})
	}
	decl, existing, err := create()
	if to, moved, ferr := FollowParticipant(ctx, tx, client, o.participantID, err); ferr != nil {
		return true, ferr
	} else if moved {
		o.participantID = to
		decl, existing, err = create()
	}
	switch AnswerOf(err) {
	case Accepted:
		_, err = tx.Exec(ctx, `UPDATE dfe_declarations SET state = 'sent', dfe_id = $2, dfe_state = $3, matched_existing = $4,
				error = '', attempts = attempts + 1, last_attempt_at = $5, sent_at = $5 WHERE id = $1`,
			o.id, decl.ID, decl.Attributes.State, existing, now)
		res.Sent++
		if existing {
			res.Matched++
		}
	case Refused:
		err = RecordNotSent(ctx, tx, "dfe_declarations", o.id, err, true, now)
		res.Failed++
	default:
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		err = RecordNotSent(ctx, tx, "dfe_declarations", o.id, err, false, now)
		res.Left++
		stop = true
	}
	if err != nil {
		return stop, fmt.Errorf("outbound: record declaration %d: %w", o.id, err)
	}
	return stop, nil
}

// ParticipantReader reads a participant, following DfE's participant-id changes; *dfe.Client
// is one.
type ParticipantReader interface {
	Participant(ctx context.Context, id string) (dfe.Participant, []dfe.ParticipantIDChange, error)
}

// FollowParticipant follows a retired participant id after DfE refused a call with a 422
// (which is how DfE answers a create for an id it replaced when it merged two records of one
// person) or a 410 (how a participant's own addresses answer for it): it reads the
// participant, whose record answers 410 with the new id, records the change and moves our
// participant to it (identifiers.RecordParticipantIDChanges, audited), and returns the new id
// for the call to be sent again. Any other answer, or a participant DfE did not move, leaves
// the refusal as it was.
func FollowParticipant(ctx context.Context, tx pgx.Tx, client ParticipantReader, id string, callErr error) (to string, moved bool, err error) {
	if s := dfe.StatusOf(callErr); s != http.StatusUnprocessableEntity && s != http.StatusGone {
		return "", false, nil
	}
	// A lookup that fails, or finds the participant where it was, leaves the refusal standing.
	_, changes, _ := client.Participant(ctx, id)
	if len(changes) == 0 {
		return "", false, nil
	}
	if _, err := (identifiers.Store{DB: tx}).RecordParticipantIDChanges(ctx, changes); err != nil {
		return "", false, fmt.Errorf("outbound: follow participant id %s: %w", id, err)
	}
	return changes[len(changes)-1].To, true, nil
}

// RecordNotSent records on row id of table (dfe_declarations, dfe_outcomes or
// dfe_status_changes: never input) an attempt DfE did not accept: refused, it is kept as
// failed with DfE's text and not sent again; otherwise it stays due, with why, for the next run.
func RecordNotSent(ctx context.Context, tx pgx.Tx, table string, id int64, sendErr error, refused bool, now time.Time) error {
	if refused {
		_, err := tx.Exec(ctx, `UPDATE `+table+` SET state = 'failed', error = $2, attempts = attempts + 1, last_attempt_at = $3
			WHERE id = $1`, id, refusalText(sendErr), now)
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE `+table+` SET error = $2, attempts = attempts + 1, last_attempt_at = $3 WHERE id = $1`,
		id, "Not sent yet: "+sendErr.Error(), now)
	return err
}

// Answer is what DfE's answer to a create means for the row sent.
type Answer int

// The answers a send may get.
const (
	Accepted Answer = iota // DfE holds it
	Refused                // DfE refused the declaration itself (400, 404, 409, 410, 422): record it, do not send again
	Later                  // DfE was busy, failing, unreachable or refused our token: keep it due
)

// AnswerOf classifies the error a create (a declaration or an outcome) returned.
func AnswerOf(err error) Answer {
	switch status := dfe.StatusOf(err); {
	case err == nil:
		return Accepted
	case status == http.StatusBadRequest, status == http.StatusNotFound, status == http.StatusConflict,
		status == http.StatusGone, status == http.StatusUnprocessableEntity:
		return Refused
	}
	return Later
}

// refusalText is DfE's own text of a refusal.
func refusalText(err error) string {
	var apiErr *dfe.APIError
	if errors.As(err, &apiErr) {
		if d := apiErr.Detail(); d != "" {
			return d
		}
	}
	return err.Error()
}

// outgoingOutcome is a due outcome update with what DfE needs.
type outgoingOutcome struct {
	id            int64
	participantID string
	course        string
	passed        bool
	completed     time.Time
}

// claimOutcome locks the next due outcome update after the id given whose completed
// declaration DfE holds (DfE refuses an outcome without one).
func claimOutcome(ctx context.Context, tx pgx.Tx, after int64) (outgoingOutcome, error) {
	var o outgoingOutcome
	err := tx.QueryRow(ctx, `SELECT o.id, u.dfe_participant_id::text, e.dfe_course_identifier, o.passed, o.completion_date
		FROM dfe_outcomes o JOIN enrolments e ON e.id = o.enrolment_id JOIN users u ON u.id = e.user_id
		WHERE o.state = 'due' AND o.id > $1 AND u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
		  AND EXISTS (SELECT 1 FROM dfe_declarations c WHERE c.enrolment_id = o.enrolment_id AND c.declaration_type = 'completed' AND c.state = 'sent')
		ORDER BY o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED`, after).Scan(&o.id, &o.participantID, &o.course, &o.passed, &o.completed)
	if err != nil && !database.IsNoRows(err) {
		return o, fmt.Errorf("outbound: claim outcome after %d: %w", after, err)
	}
	return o, err
}

// sendOutcome posts one claimed outcome update and records the answer. DfE keeps outcomes
// append-only and the same outcome posted again changes nothing there, so one whose answer
// was lost is simply sent again by the next run.
func sendOutcome(ctx context.Context, tx pgx.Tx, client Sender, o outgoingOutcome, now time.Time, res *SendResult) (stop bool, err error) {
	state := "failed"
	if o.passed {
		state = "passed"
	}
	got, err := client.CreateOutcome(ctx, o.participantID, o.course, state, o.completed)
	if to, moved, ferr := FollowParticipant(ctx, tx, client, o.participantID, err); ferr != nil {
		return true, ferr
	} else if moved {
		got, err = client.CreateOutcome(ctx, to, o.course, state, o.completed)
	}
	switch AnswerOf(err) {
	case Accepted:
		_, err = tx.Exec(ctx, `UPDATE dfe_outcomes SET state = 'sent', dfe_id = nullif($2, '')::uuid, error = '', attempts = attempts + 1,
				last_attempt_at = $3, sent_at = $3 WHERE id = $1`, o.id, got.ID, now)
		res.OutcomesSent++
	case Refused:
		err = RecordNotSent(ctx, tx, "dfe_outcomes", o.id, err, true, now)
		res.OutcomesFailed++
	default:
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		err = RecordNotSent(ctx, tx, "dfe_outcomes", o.id, err, false, now)
		res.Left++
		stop = true
	}
	if err != nil {
		return stop, fmt.Errorf("outbound: record outcome %d: %w", o.id, err)
	}
	return stop, nil
}
