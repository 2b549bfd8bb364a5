// Package demo loads demonstration data so every feature can be tried after `make run`.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	frameworkdata "npq/frameworks"
	"npq/internal/frameworks"
	"npq/internal/programme"

	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/dfe/milestones"
)

// Password is the password of every demo account.
const Password = "npq-demo-password"

// AdminTwoStepSecret is the published authenticator key of the demo's admins, assessors and
// moderator (the roles that must use two-step sign-in), so the demo can be used: add it to an
// authenticator app, or run `npq demo-code`.
const AdminTwoStepSecret = "NPQDEMOADMINTWOSTEPSECRET234567A"

// AdminEmail is the demo's provider admin.
const AdminEmail = "admin@demo.test"

// Account is a demo sign-in.
type Account struct {
	Email string
	Name  string
	Role  auth.Role
	// Partner is the index into HandbookPartners for partner staff, or -1.
	Partner int
}

// Accounts are the demo sign-ins `make run` prints.
var Accounts = []Account{
	{Email: "admin@demo.test", Name: "Ada Admin", Role: auth.RoleProviderAdmin, Partner: -1},
	{Email: "partner@demo.test", Name: "Priya Partner", Role: auth.RolePartnerStaff, Partner: 0},
	{Email: "partner2@demo.test", Name: "Pat Second-Partner", Role: auth.RolePartnerStaff, Partner: 1},
	{Email: "participant@demo.test", Name: "Pam Participant", Role: auth.RoleParticipant, Partner: -1},
	{Email: "participant2@demo.test", Name: "Paul Participant", Role: auth.RoleParticipant, Partner: -1},
	{Email: "participant3@demo.test", Name: "Priti Two-Courses", Role: auth.RoleParticipant, Partner: -1},
	{Email: "deferred@demo.test", Name: "Dee Deferred", Role: auth.RoleParticipant, Partner: -1},
	{Email: "return-asked@demo.test", Name: "Rhys Return-Asked", Role: auth.RoleParticipant, Partner: -1},
	{Email: "returning@demo.test", Name: "Ruth Returning", Role: auth.RoleParticipant, Partner: -1},
	{Email: "withdrawn@demo.test", Name: "Will Withdrawn", Role: auth.RoleParticipant, Partner: -1},
	{Email: "resubmit@demo.test", Name: "Rosa Resubmit", Role: auth.RoleParticipant, Partner: -1},
	{Email: "final-attempt@demo.test", Name: "Fred Final-Attempt", Role: auth.RoleParticipant, Partner: -1},
	{Email: "assessor@demo.test", Name: "Asha Assessor", Role: auth.RoleAssessor, Partner: -1},
	{Email: "assessor2@demo.test", Name: "Ben Marker", Role: auth.RoleAssessor, Partner: -1},
	{Email: "moderator@demo.test", Name: "Mo Moderator", Role: auth.RoleAssessor, Partner: -1},
}

// TwoStepEmails are the demo accounts whose role requires two-step sign-in: they share the
// published key AdminTwoStepSecret.
func TwoStepEmails() []string {
	var emails []string
	for _, a := range Accounts {
		if (auth.TwoStepPolicy{}).Requires(a.Role) {
			emails = append(emails, a.Email)
		}
	}
	return emails
}

// ErrProduction is returned when asked to load demo data into production.
var ErrProduction = errors.New("demo: refusing to load demo data when NPQ_ENV=production")

// Environment is the kind of deployment demo data would be loaded into.
type Environment int

// Environments, as NPQ_ENV names them.
const (
	Development Environment = iota // development or test
	Production
)

// Load creates or refreshes the demo data. Running it again changes nothing it made before.
// It loads the framework content first, as courses link to it. Production refuses it.
func Load(ctx context.Context, db database.DB, env Environment) error {
	if env == Production {
		return ErrProduction
	}
	lib, err := frameworks.Load(frameworkdata.FS)
	if err != nil {
		return err
	}
	if _, err := frameworks.Import(ctx, db, lib, frameworks.IfChanged); err != nil {
		return err
	}
	if err := database.InTx(ctx, db, func(tx pgx.Tx) error {
		partnerIDs := make([]int64, len(HandbookPartners))
		for i, p := range HandbookPartners {
			slug := strings.Trim(strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return '-'
			}, strings.ToLower(p.Name)), "-")
			err := tx.QueryRow(ctx, `
				INSERT INTO delivery_partners (name, region, contact_name, contact_email) VALUES ($1, $2, 'NPQ lead', $3)
				ON CONFLICT (lower(name)) DO UPDATE SET name = EXCLUDED.name
				RETURNING id`, p.Name, p.Region, "npq@"+slug+".demo.test").Scan(&partnerIDs[i])
			if err != nil {
				return fmt.Errorf("demo: partner %s: %w", p.Name, err)
			}
		}
		users := auth.Store{DB: tx}
		for _, a := range Accounts {
			var partner *int64
			if a.Partner >= 0 {
				partner = &partnerIDs[a.Partner]
			}
			if _, err := users.UpsertUser(ctx, a.Email, a.Name, a.Role, partner, Password); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO two_step (user_id, secret, enabled_at)
			SELECT id, $2, now() FROM users WHERE email = ANY($1)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret`, TwoStepEmails(), AdminTwoStepSecret); err != nil {
			return fmt.Errorf("demo: two-step sign-in: %w", err)
		}
		if err := loadLeaver(ctx, tx, partnerIDs[Leaver.Partner]); err != nil {
			return fmt.Errorf("demo: leaver: %w", err)
		}
		if err := loadProgramme(ctx, tx, partnerIDs, programme.Today(time.Now())); err != nil {
			return fmt.Errorf("demo: programme: %w", err)
		}
		if err := loadDfE(ctx, tx, time.Now()); err != nil {
			return fmt.Errorf("demo: DfE: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	// The partner page of DfE milestones at risk reads what the hourly job works out: work
	// it out now, so the demo partners see theirs at once.
	if _, err := milestones.Recompute(ctx, db, time.Now()); err != nil {
		return fmt.Errorf("demo: DfE milestones: %w", err)
	}
	return nil
}
