// Package applications brings DfE's NPQ applications in: a sync copies them (upsert by
// DfE's id, keeping DfE's status) into dfe_applications, and admins accept or reject the
// pending ones; accepting tells DfE and enrols the participant, sending their invitation.
package applications

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/syncstate"
)

// ReachBack is how far before the last sync's start the next one asks from, so a change DfE
// recorded while the last sync ran (or with a clock a little behind ours) is not missed.
const ReachBack = 30 * time.Minute

// syncList names the applications list in dfe_sync_state.
const syncList = "applications"

// Since is the updated_since a sync asks for, given when the last one started (zero when
// there has been none: then everything is read).
func Since(lastStart time.Time) time.Time {
	if lastStart.IsZero() {
		return time.Time{}
	}
	return lastStart.Add(-ReachBack)
}

// Lister lists DfE's applications changed since a time; *dfe.Client is one.
type Lister interface {
	Applications(ctx context.Context, updatedSince time.Time) ([]dfe.Application, error)
}

// Result says what a sync did.
type Result struct {
	Since time.Time
	Read  int
}

// Sync reads every application DfE changed since the last sync (reaching back ReachBack;
// all of them the first time) and upserts them, keeping DfE's status. An application DfE
// changed earlier than the copy held is left alone. now is when the sync started.
func Sync(ctx context.Context, db database.DB, client Lister, now time.Time) (Result, error) {
	var last time.Time
	err := db.QueryRow(ctx, `SELECT synced_until FROM dfe_sync_state WHERE list = $1`, syncList).Scan(&last)
	if err != nil && !database.IsNoRows(err) {
		return Result{}, fmt.Errorf("applications: sync state: %w", err)
	}
	res := Result{Since: Since(last)}
	apps, err := client.Applications(ctx, res.Since)
	if err != nil {
		return res, fmt.Errorf("applications: list from DfE: %w", err)
	}
	res.Read = len(apps)
	err = database.InTx(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, a := range apps {
			queueUpsert(b, a, now)
		}
		syncstate.Queue(b, syncList, now, false)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return res, fmt.Errorf("applications: save %d: %w", len(apps), err)
	}
	return res, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func queueUpsert(b *pgx.Batch, a dfe.Application, now time.Time) {
	at := a.Attributes
	status := str(at.Status)
	if status == "" {
		status = "pending"
	}
	b.Queue(`INSERT INTO dfe_applications (id, participant_id, full_name, email, trn, course_identifier, school_urn, cohort,
			schedule_identifier, funded_place, eligible_for_funding, status, dfe_created_at, dfe_updated_at, synced_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (id) DO UPDATE SET participant_id = EXCLUDED.participant_id, full_name = EXCLUDED.full_name,
			email = EXCLUDED.email, trn = EXCLUDED.trn, course_identifier = EXCLUDED.course_identifier,
			school_urn = EXCLUDED.school_urn, cohort = EXCLUDED.cohort, schedule_identifier = EXCLUDED.schedule_identifier,
			funded_place = EXCLUDED.funded_place, eligible_for_funding = EXCLUDED.eligible_for_funding,
			status = EXCLUDED.status, dfe_created_at = EXCLUDED.dfe_created_at, dfe_updated_at = EXCLUDED.dfe_updated_at,
			synced_at = EXCLUDED.synced_at
		WHERE dfe_applications.dfe_updated_at <= EXCLUDED.dfe_updated_at`,
		a.ID, at.ParticipantID, at.FullName, str(at.Email), str(at.TeacherReferenceNumber), at.CourseIdentifier,
		at.SchoolURN, str(at.Cohort), str(at.ScheduleIdentifier), at.FundedPlace, at.EligibleForFunding, status,
		at.CreatedAt, at.UpdatedAt, now)
}
