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
)

// Sender sends a declaration to DfE; *dfe.Client is one. CreateDeclaration never repeats a
// create blindly: when DfE already holds a live declaration of the type (an earlier send
// whose answer was lost), it returns that one with existing true.
type Sender interface {
	CreateDeclaration(ctx context.Context, d dfe.NewDeclaration) (decl dfe.Declaration, existing bool, err error)
}

// SendResult says what a send run did.
type SendResult struct {
	Sent    int // DfE holds them now (created, or found already there)
	Matched int // of Sent, the ones DfE already held
	Failed  int // DfE refused them; they are not sent again
	Left    int // left due: DfE was busy or unreachable
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
// declaration stays due and the run stops: the next run tries again.
func SendDue(ctx context.Context, db database.DB, client Sender, now time.Time) (SendResult, error) {
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
			stop, err = send(ctx, tx, client, o, now, &res)
			return err
		})
		if err != nil {
			return res, err
		}
		if done || stop {
			return res, nil
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
	decl, existing, err := client.CreateDeclaration(ctx, dfe.NewDeclaration{ParticipantID: o.participantID, DeclarationType: o.typ,
		CourseIdentifier: o.course, DeclarationDate: o.date, DeliveryPartnerID: o.partnerID, HasPassed: o.hasPassed})
	switch Outcome(err) {
	case Accepted:
		_, err = tx.Exec(ctx, `UPDATE dfe_declarations SET state = 'sent', dfe_id = $2, dfe_state = $3, matched_existing = $4,
				error = '', attempts = attempts + 1, last_attempt_at = $5, sent_at = $5 WHERE id = $1`,
			o.id, decl.ID, decl.Attributes.State, existing, now)
		res.Sent++
		if existing {
			res.Matched++
		}
	case Refused:
		_, err = tx.Exec(ctx, `UPDATE dfe_declarations SET state = 'failed', error = $2, attempts = attempts + 1, last_attempt_at = $3
			WHERE id = $1`, o.id, refusalText(err), now)
		res.Failed++
	default:
		if ctx.Err() != nil {
			return true, ctx.Err()
		}
		_, err = tx.Exec(ctx, `UPDATE dfe_declarations SET error = $2, attempts = attempts + 1, last_attempt_at = $3 WHERE id = $1`,
			o.id, "Not sent yet: "+err.Error(), now)
		res.Left++
		stop = true
	}
	if err != nil {
		return stop, fmt.Errorf("outbound: record declaration %d: %w", o.id, err)
	}
	return stop, nil
}

// SendOutcome is what DfE's answer to a create means for the declaration.
type SendOutcome int

// The outcomes of a send.
const (
	Accepted SendOutcome = iota // DfE holds it
	Refused                     // DfE refused the declaration itself (400, 404, 409, 410, 422): record it, do not send again
	Later                       // DfE was busy, failing, unreachable or refused our token: keep it due
)

// Outcome classifies the error CreateDeclaration returned.
func Outcome(err error) SendOutcome {
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
