package outbound

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/problem"
)

// Voider voids a declaration at DfE; *dfe.Client is one.
type Voider interface {
	VoidDeclaration(ctx context.Context, id string) (dfe.Declaration, error)
}

// MaxReason is the longest reason for voiding, in characters.
const MaxReason = 1000

// CheckVoid returns the problems with a reason for voiding.
func CheckVoid(reason string) problem.Problems {
	var ps problem.Problems
	ps.Required("reason", strings.TrimSpace(reason), "Enter why the declaration is voided")
	ps.Add("reason", problem.TooLong("The reason", reason, MaxReason))
	return ps
}

// Void voids a declaration at an admin's decision. A sent one is voided at DfE first (a paid
// one becomes awaiting_clawback there); a due or refused one never reached DfE and is voided
// here only. The row is locked throughout (a send in progress finishes first), so a double
// click voids it once, and the decision is audited in the same transaction.
func (s Store) Void(ctx context.Context, client Voider, id int64, reason string, actorID int64, now time.Time) error {
	reason = strings.TrimSpace(reason)
	return database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var enrolment int64
		var state State
		var typ, dfeID string
		err := tx.QueryRow(ctx, `SELECT enrolment_id, state, declaration_type, coalesce(dfe_id::text, '') FROM dfe_declarations
			WHERE id = $1 FOR UPDATE`, id).Scan(&enrolment, &state, &typ, &dfeID)
		if database.IsNoRows(err) {
			return database.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("outbound: lock declaration %d: %w", id, err)
		}
		if state == StateVoided {
			return problem.New("This declaration has already been voided")
		}
		dfeState := ""
		if state == StateSent && dfeID != "" {
			got, err := client.VoidDeclaration(ctx, dfeID)
			if err != nil {
				return refusedByDfE(err)
			}
			dfeState = got.Attributes.State
		}
		if _, err := tx.Exec(ctx, `UPDATE dfe_declarations SET state = 'voided', dfe_state = coalesce(nullif($2, ''), dfe_state),
				voided_at = $3, voided_by = $4, void_reason = $5 WHERE id = $1`, id, dfeState, now, database.NullID(actorID), reason); err != nil {
			return fmt.Errorf("outbound: record void %d: %w", id, err)
		}
		return audit.Record(ctx, tx, actorID, "dfe.declaration_voided", fmt.Sprintf("enrolment:%d", enrolment),
			map[string]any{"declaration_id": id, "dfe_id": dfeID, "declaration_type": typ, "was": string(state), "dfe_state": dfeState, "reason": reason})
	})
}

// refusedByDfE is the problem of a void DfE refused, in DfE's words.
func refusedByDfE(err error) error {
	var apiErr *dfe.APIError
	if errors.As(err, &apiErr) && apiErr.Status < 500 && apiErr.Status != 429 {
		return fmt.Errorf("%w (%v)", problem.Newf("DfE refused to void it: %s", apiErr.Detail()), err)
	}
	return fmt.Errorf("%w (%v)", problem.New("DfE could not be reached, so nothing has changed. Try again in a few minutes."), err)
}
