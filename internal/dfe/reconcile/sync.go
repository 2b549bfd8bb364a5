package reconcile

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
	"npq/internal/dfe"
	"npq/internal/dfe/identifiers"
	"npq/internal/dfe/syncstate"
)

// Window is how often the sync runs; each reaches back two windows (see syncstate.Since).
const Window = 3 * time.Hour

// The lists the sync reads, as dfe_sync_state names them.
const (
	participantsList = "participants"
	declarationsList = "declarations"
)

// Lister lists DfE's participants and declarations changed since a time; *dfe.Client is one.
type Lister interface {
	Participants(ctx context.Context, updatedSince time.Time) ([]dfe.Participant, error)
	Declarations(ctx context.Context, updatedSince time.Time) ([]dfe.Declaration, error)
	Outcomes(ctx context.Context, createdSince time.Time) ([]dfe.Outcome, error)
}

// SyncResult says what a sync read and found.
type SyncResult struct {
	Since        time.Time // zero for a full sync
	Participants int
	Declarations int
	Outcomes     int
	IDsMoved     int // our participants moved to the id DfE replaced theirs with
	Mismatches   int
}

// Sync reads the participants and declarations DfE changed and the outcomes it recorded since
// the last sync (all of them the first time and once a week), follows DfE's participant-id
// changes, keeps DfE's copies and DfE's state of the declarations we sent, then reconciles.
// now is when it started.
func Sync(ctx context.Context, db database.DB, client Lister, now time.Time) (SyncResult, error) {
	last, full, err := syncstate.Read(ctx, db, participantsList)
	if err != nil {
		return SyncResult{}, fmt.Errorf("reconcile: %w", err)
	}
	res := SyncResult{Since: syncstate.Since(last, full, now, Window)}
	people, err := client.Participants(ctx, res.Since)
	if err != nil {
		return res, fmt.Errorf("reconcile: participants from DfE: %w", err)
	}
	decls, err := client.Declarations(ctx, res.Since)
	if err != nil {
		return res, fmt.Errorf("reconcile: declarations from DfE: %w", err)
	}
	outcomes, err := client.Outcomes(ctx, res.Since)
	if err != nil {
		return res, fmt.Errorf("reconcile: outcomes from DfE: %w", err)
	}
	res.Participants, res.Declarations, res.Outcomes = len(people), len(decls), len(outcomes)
	var changes []dfe.ParticipantIDChange
	for _, p := range people {
		changes = append(changes, p.Attributes.ParticipantIDChanges...)
	}
	if len(changes) > 0 {
		if res.IDsMoved, err = (identifiers.Store{DB: db}).RecordParticipantIDChanges(ctx, changes); err != nil {
			return res, fmt.Errorf("reconcile: %w", err)
		}
	}
	err = database.InTx(ctx, db, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, ch := range changes { // DfE's copies under a retired id move to the new one
			b.Queue(`DELETE FROM dfe_participants WHERE participant_id = $1`, ch.From)
			b.Queue(`UPDATE dfe_declarations_seen SET participant_id = $2 WHERE participant_id = $1`, ch.From, ch.To)
			b.Queue(`UPDATE dfe_outcomes_seen SET participant_id = $2 WHERE participant_id = $1`, ch.From, ch.To)
		}
		for _, p := range people {
			queueParticipant(b, p, now)
		}
		for _, d := range decls {
			if err := queueDeclaration(b, d, now); err != nil {
				return err
			}
		}
		for _, o := range outcomes {
			if err := queueOutcome(b, o, now); err != nil {
				return err
			}
		}
		syncstate.Queue(b, participantsList, now, res.Since.IsZero())
		syncstate.Queue(b, declarationsList, now, res.Since.IsZero())
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return res, fmt.Errorf("reconcile: save: %w", err)
	}
	res.Mismatches, err = Reconcile(ctx, db, now)
	return res, err
}

// queueParticipant upserts each of a DfE participant's courses; a copy DfE changed later
// than this one is left alone.
func queueParticipant(b *pgx.Batch, p dfe.Participant, now time.Time) {
	for _, e := range p.Attributes.Enrolments {
		b.Queue(`INSERT INTO dfe_participants (participant_id, course_identifier, full_name, training_status, schedule_identifier,
				cohort, dfe_updated_at, synced_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (participant_id, course_identifier) DO UPDATE SET full_name = EXCLUDED.full_name,
				training_status = EXCLUDED.training_status, schedule_identifier = EXCLUDED.schedule_identifier,
				cohort = EXCLUDED.cohort, dfe_updated_at = EXCLUDED.dfe_updated_at, synced_at = EXCLUDED.synced_at
			WHERE dfe_participants.dfe_updated_at <= EXCLUDED.dfe_updated_at`,
			p.ID, e.CourseIdentifier, p.Attributes.FullName, e.TrainingStatus, deref(e.ScheduleIdentifier), deref(e.Cohort),
			p.Attributes.UpdatedAt, now)
	}
}

// queueDeclaration upserts DfE's declaration and copies its state onto ours.
func queueDeclaration(b *pgx.Batch, d dfe.Declaration, now time.Time) error {
	a := d.Attributes
	date, err := time.Parse(time.RFC3339, a.DeclarationDate)
	if err != nil {
		return fmt.Errorf("reconcile: declaration %s: date %q: %w", d.ID, a.DeclarationDate, err)
	}
	b.Queue(`INSERT INTO dfe_declarations_seen (dfe_id, participant_id, course_identifier, declaration_type, declaration_date,
			state, dfe_updated_at, synced_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (dfe_id) DO UPDATE SET participant_id = EXCLUDED.participant_id, course_identifier = EXCLUDED.course_identifier,
			declaration_type = EXCLUDED.declaration_type, declaration_date = EXCLUDED.declaration_date, state = EXCLUDED.state,
			dfe_updated_at = EXCLUDED.dfe_updated_at, synced_at = EXCLUDED.synced_at
		WHERE dfe_declarations_seen.dfe_updated_at <= EXCLUDED.dfe_updated_at`,
		d.ID, a.ParticipantID, a.CourseIdentifier, a.DeclarationType, date, a.State, a.UpdatedAt, now)
	b.Queue(`UPDATE dfe_declarations SET dfe_state = $2 WHERE dfe_id = $1 AND dfe_state <> $2`, d.ID, a.State)
	return nil
}

// queueOutcome keeps DfE's outcome; DfE never changes one, so a copy held is left alone.
func queueOutcome(b *pgx.Batch, o dfe.Outcome, now time.Time) error {
	a := o.Attributes
	completed, err := time.Parse(time.DateOnly, a.CompletionDate)
	if err != nil {
		return fmt.Errorf("reconcile: outcome %s: completion date %q: %w", o.ID, a.CompletionDate, err)
	}
	b.Queue(`INSERT INTO dfe_outcomes_seen (dfe_id, participant_id, course_identifier, state, completion_date, dfe_created_at, synced_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dfe_id) DO NOTHING`,
		o.ID, a.ParticipantID, a.CourseIdentifier, a.State, completed, a.CreatedAt, now)
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
