package statuses

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/outbound"
)

// Client pushes status changes to DfE; *dfe.Client is one. Participant reads a participant,
// following DfE's participant-id changes.
type Client interface {
	Defer(ctx context.Context, participantID, course, reason string) (dfe.Participant, error)
	Resume(ctx context.Context, participantID, course string) (dfe.Participant, error)
	Withdraw(ctx context.Context, participantID, course, reason string) (dfe.Participant, error)
	Participant(ctx context.Context, id string) (dfe.Participant, []dfe.ParticipantIDChange, error)
}

// SendResult says what a send run did.
type SendResult struct {
	Sent     int // DfE holds them now
	Already  int // of Sent, the ones DfE already held (a push whose answer was lost)
	Failed   int // DfE refused them; they are not sent again unless an admin asks
	HeldBack int // waiting for the enrolment's earlier declarations or changes
	Left     int // left due: DfE was busy or unreachable
}

// outgoing is a claimed due change with what DfE needs.
type outgoing struct {
	id            int64
	participantID string
	course        string
	action        Action
	reason        string
	effectiveOn   time.Time
	earliestDue   *time.Time
	earlierDue    bool
}

// SendDue pushes the due status changes in id order, each in its own transaction that holds
// the row's lock while DfE is called, so runs on several instances at once (which skip locked
// rows) push each once. A change is held back (HeldBack) while its enrolment has due
// declarations dated on or before it, or an earlier change still due; the declarations job
// sends declarations first, so normally none are left. DfE's training status is recorded on
// success. A refusal (422) is first checked against DfE's record of the participant: when
// DfE already holds the status asked for (an earlier push whose answer was lost), the change
// is recorded as sent; otherwise it is recorded as failed with DfE's text and not sent again.
// When DfE is busy (429 after the client's retries), failing (5xx, network) or refuses our
// token, the change stays due and the run stops. A retired participant id is followed
// (outbound.FollowParticipant) and the push sent again.
func SendDue(ctx context.Context, db database.DB, client Client, now time.Time) (SendResult, error) {
	var res SendResult
	var after int64
	for {
		var done, stop bool
		err := database.InTx(ctx, db, func(tx pgx.Tx) error {
			o, err := claim(ctx, tx, after)
			if database.IsNoRows(err) {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			after = o.id
			if HeldBack(o.effectiveOn, o.earliestDue, o.earlierDue) {
				res.HeldBack++
				return nil
			}
			stop, err = send(ctx, tx, client, o, now, &res)
			return err
		})
		if err != nil || done || stop {
			return res, err
		}
	}
}

// claim locks the next due change after the id given, skipping those another run holds, with
// the enrolment's earliest due declaration and whether an earlier change of it is due.
func claim(ctx context.Context, tx pgx.Tx, after int64) (outgoing, error) {
	var o outgoing
	err := tx.QueryRow(ctx, `SELECT c.id, u.dfe_participant_id::text, e.dfe_course_identifier, c.action, c.reason, c.effective_on,
			(SELECT min(d.declaration_date) FROM dfe_declarations d WHERE d.enrolment_id = c.enrolment_id AND d.state = 'due'),
			EXISTS (SELECT 1 FROM dfe_status_changes x WHERE x.enrolment_id = c.enrolment_id AND x.state = 'due' AND x.id < c.id)
		FROM dfe_status_changes c JOIN enrolments e ON e.id = c.enrolment_id JOIN users u ON u.id = e.user_id
		WHERE c.state = 'due' AND c.id > $1 AND u.dfe_participant_id IS NOT NULL AND e.dfe_course_identifier IS NOT NULL
		ORDER BY c.id LIMIT 1 FOR UPDATE OF c SKIP LOCKED`, after).Scan(
		&o.id, &o.participantID, &o.course, &o.action, &o.reason, &o.effectiveOn, &o.earliestDue, &o.earlierDue)
	if err != nil && !database.IsNoRows(err) {
		return o, fmt.Errorf("statuses: claim after %d: %w", after, err)
	}
	return o, err
}

// push asks DfE for the change.
func push(ctx context.Context, client Client, o outgoing) (dfe.Participant, error) {
	switch o.action {
	case Defer:
		return client.Defer(ctx, o.participantID, o.course, o.reason)
	case Withdraw:
		return client.Withdraw(ctx, o.participantID, o.course, o.reason)
	}
	return client.Resume(ctx, o.participantID, o.course)
}

// trainingStatus is DfE's training status of the course in a participant's record.
func trainingStatus(p dfe.Participant, course string) string {
	for _, e := range p.Attributes.Enrolments {
		if e.CourseIdentifier == course {
			return e.TrainingStatus
		}
	}
	return ""
}

// send pushes one claimed change and records the answer; stop says DfE cannot take more now.
func send(ctx context.Context, tx pgx.Tx, client Client, o outgoing, now time.Time, res *SendResult) (stop bool, err error) {
	got, err := push(ctx, client, o)
	if to, moved, ferr := outbound.FollowParticipant(ctx, tx, client, o.participantID, err); ferr != nil {
		return true, ferr
	} else if moved {
		o.participantID = to
		got, err = push(ctx, client, o)
	}
	answer := outbound.AnswerOf(err)
	status := trainingStatus(got, o.course)
	if answer == outbound.Refused {
		// DfE refuses a move to the status it already holds: the push may have reached DfE
		// before its answer was lost.
		if p, _, perr := client.Participant(ctx, o.participantID); perr == nil && trainingStatus(p, o.course) == o.action.TrainingStatus() {
			answer, status = outbound.Accepted, o.action.TrainingStatus()
			res.Already++
		}
	}
	switch answer {
	case outbound.Accepted:
		_, err = tx.Exec(ctx, `UPDATE dfe_status_changes SET state = 'sent', dfe_training_status = $2, error = '', attempts = attempts + 1,
				last_attempt_at = $3, sent_at = $3 WHERE id = $1`, o.id, status, now)
		res.Sent++
	case outbound.Refused:
		err = outbound.RecordNotSent(ctx, tx, "dfe_status_changes", o.id, err, true, now)
		res.Failed++
	default:
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		err = outbound.RecordNotSent(ctx, tx, "dfe_status_changes", o.id, err, false, now)
		res.Left++
		stop = true
	}
	if err != nil {
		return stop, fmt.Errorf("statuses: record change %d: %w", o.id, err)
	}
	return stop, nil
}
