// Package demo loads demonstration data so every feature can be tried after `make run`.
package demo

import (
	"context"
	"errors"
	"fmt"

	"npq/internal/auth"
	"npq/internal/database"
)

// Password is the password of every demo account.
const Password = "npq-demo-password"

// Account is a demo sign-in.
type Account struct {
	Email string
	Name  string
	Role  auth.Role
	// Partner is the index into Partners for partner staff, or -1.
	Partner int
}

// Partners are the demo delivery partners (the handbook's list is loaded with programmes).
var Partners = []string{"Northern Lights Teaching School Hub", "Three Rivers Trust"}

// Accounts are the demo sign-ins `make run` prints.
var Accounts = []Account{
	{Email: "admin@demo.test", Name: "Ada Admin", Role: auth.RoleProviderAdmin, Partner: -1},
	{Email: "partner@demo.test", Name: "Priya Partner", Role: auth.RolePartnerStaff, Partner: 0},
	{Email: "partner2@demo.test", Name: "Pat Second-Partner", Role: auth.RolePartnerStaff, Partner: 1},
	{Email: "participant@demo.test", Name: "Pam Participant", Role: auth.RoleParticipant, Partner: -1},
	{Email: "participant2@demo.test", Name: "Paul Participant", Role: auth.RoleParticipant, Partner: -1},
	{Email: "assessor@demo.test", Name: "Asha Assessor", Role: auth.RoleAssessor, Partner: -1},
}

// ErrProduction is returned when asked to load demo data into production.
var ErrProduction = errors.New("demo: refusing to load demo data when NPQ_ENV=production")

// Load creates or refreshes the demo data. Running it again changes nothing it made before.
func Load(ctx context.Context, db database.DB, production bool) error {
	if production {
		return ErrProduction
	}
	partnerIDs := make([]int64, len(Partners))
	for i, name := range Partners {
		err := db.QueryRow(ctx, `
			INSERT INTO delivery_partners (name) VALUES ($1)
			ON CONFLICT (lower(name)) DO UPDATE SET name = EXCLUDED.name
			RETURNING id`, name).Scan(&partnerIDs[i])
		if err != nil {
			return fmt.Errorf("demo: partner %s: %w", name, err)
		}
	}
	users := auth.Store{DB: db}
	for _, a := range Accounts {
		var partner *int64
		if a.Partner >= 0 {
			partner = &partnerIDs[a.Partner]
		}
		if _, err := users.UpsertUser(ctx, a.Email, a.Name, a.Role, partner, Password); err != nil {
			return err
		}
	}
	return nil
}
