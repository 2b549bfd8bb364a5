package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/notify"
	"npq/internal/wording"
)

// Store reads and writes accounts and invitations.
type Store struct {
	DB database.DB
	// Hashing bounds how many passwords are hashed at once; nil shares one limiter across
	// the process.
	Hashing *HashLimiter
	// Sleep waits before a slowed sign-in attempt; nil waits for real (tests replace it).
	Sleep func(ctx context.Context, d time.Duration) error
}

const userColumns = `id, email, name, role, delivery_partner_id, password_hash, deactivated_at, session_version,
	EXISTS (SELECT FROM two_step WHERE two_step.user_id = users.id)`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.DeliveryPartnerID, &u.PasswordHash, &u.DeactivatedAt, &u.SessionVersion, &u.TwoStep)
	if database.IsNoRows(err) {
		return u, database.ErrNotFound
	}
	return u, err
}

// UserByID returns the user with this id.
func (s Store) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.DB.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		err = fmt.Errorf("auth: user %d: %w", id, err)
	}
	return u, err
}

// UserByEmail returns the user with this email address (any case).
func (s Store) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.DB.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, NormaliseEmail(email)))
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		err = fmt.Errorf("auth: user by email: %w", err)
	}
	return u, err
}

// DeliveryPartner is an organisation that delivers NPQs for the lead provider.
type DeliveryPartner struct {
	ID   int64
	Name string
}

// DeliveryPartners lists every delivery partner by name.
func (s Store) DeliveryPartners(ctx context.Context) ([]DeliveryPartner, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name FROM delivery_partners ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("auth: delivery partners: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DeliveryPartner, error) {
		var p DeliveryPartner
		return p, r.Scan(&p.ID, &p.Name)
	})
}

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitation asks someone to create an account with a given role.
type Invitation struct {
	ID                int64
	Email             string
	Name              string
	Role              Role
	DeliveryPartnerID *int64
	ExpiresAt         time.Time
	AcceptedAt        *time.Time
}

// InvitationState says whether an invitation link can still be used.
type InvitationState int

// The states of an invitation link.
const (
	InvitationUsable InvitationState = iota
	InvitationUnknown
	InvitationExpired
	InvitationUsed
)

// NewInvitation is what an admin fills in to invite someone.
type NewInvitation struct {
	Email             string
	Name              string
	Role              Role
	DeliveryPartnerID *int64
	InvitedBy         int64
	// Intro replaces the email's first sentence, e.g. to name the course someone is enrolled on.
	Intro string
}

// ErrEmailTaken means an account with this email address exists already.
var ErrEmailTaken = errors.New("an account with this email address already exists")

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// Invite records an invitation and queues the email with its link, in one transaction.
// It returns the secret token, which is stored only as a hash.
func (s Store) Invite(ctx context.Context, inv NewInvitation, baseURL string) (string, error) {
	token := newToken()
	email := NormaliseEmail(inv.Email)
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		return invite(ctx, tx, inv, email, token, baseURL)
	})
	if err != nil {
		if errors.Is(err, ErrEmailTaken) {
			return "", err
		}
		return "", fmt.Errorf("auth: invite %s: %w", email, err)
	}
	return token, nil
}

// InviteInTx is Invite inside the caller's transaction.
func InviteInTx(ctx context.Context, tx pgx.Tx, inv NewInvitation, baseURL string) (string, error) {
	token := newToken()
	return token, invite(ctx, tx, inv, NormaliseEmail(inv.Email), token, baseURL)
}

func invite(ctx context.Context, tx pgx.Tx, inv NewInvitation, email, token, baseURL string) error {
	// An account that exists but was never activated (made by an enrolment) can be
	// invited again with its own role; anyone else already has an account.
	var role Role
	var activated bool
	err := tx.QueryRow(ctx, `SELECT role, password_hash <> '' FROM users WHERE email = $1`, email).Scan(&role, &activated)
	switch {
	case err == nil && (activated || role != inv.Role):
		return ErrEmailTaken
	case err != nil && !database.IsNoRows(err):
		return err
	}
	// A new invitation replaces any earlier link still waiting for this address.
	if _, err := tx.Exec(ctx, `UPDATE invitations SET expires_at = now()
		WHERE email = $1 AND accepted_at IS NULL AND expires_at > now()`, email); err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO invitations (token_hash, email, name, role, delivery_partner_id, invited_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval) RETURNING id`,
		hashToken(token), email, inv.Name, inv.Role, inv.DeliveryPartnerID, database.NullID(inv.InvitedBy), InvitationLifetime.String()).Scan(&id); err != nil {
		return err
	}
	text, err := wording.InvitationEmail(wording.Invitation{Name: inv.Name, Intro: inv.Intro,
		RoleWithArticle: inv.Role.LabelWithArticle(), BaseURL: baseURL, Token: token})
	if err != nil {
		return err
	}
	if err := notify.Enqueue(ctx, tx, notify.Message{ToAddress: email, ToName: inv.Name, Subject: text.Subject, Body: text.Body}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, inv.InvitedBy, "invitation.created", fmt.Sprintf("invitation:%d", id),
		map[string]any{"email": email, "role": inv.Role})
}

// InvitationByToken finds the invitation for a link and says whether it can be used now.
func (s Store) InvitationByToken(ctx context.Context, token string, now time.Time) (Invitation, InvitationState, error) {
	var inv Invitation
	err := s.DB.QueryRow(ctx, `
		SELECT id, email, name, role, delivery_partner_id, expires_at, accepted_at
		FROM invitations WHERE token_hash = $1`, hashToken(token)).
		Scan(&inv.ID, &inv.Email, &inv.Name, &inv.Role, &inv.DeliveryPartnerID, &inv.ExpiresAt, &inv.AcceptedAt)
	switch {
	case database.IsNoRows(err):
		return inv, InvitationUnknown, nil
	case err != nil:
		return inv, InvitationUnknown, fmt.Errorf("auth: invitation: %w", err)
	case inv.AcceptedAt != nil:
		return inv, InvitationUsed, nil
	case !now.Before(inv.ExpiresAt):
		return inv, InvitationExpired, nil
	}
	return inv, InvitationUsable, nil
}

// ErrInvitationUnusable means the invitation was used, expired or never existed.
var ErrInvitationUnusable = errors.New("invitation cannot be used")

// AcceptInvitation creates the account for an invitation with the chosen password and marks
// the invitation used, once only, even when the form is submitted twice at once.
func (s Store) AcceptInvitation(ctx context.Context, token, password string) (User, error) {
	var hash string
	var err error
	if berr := s.hashing().Do(ctx, func() { hash, err = HashPassword(password) }); berr != nil {
		return User{}, berr
	}
	if err != nil {
		return User{}, err
	}
	var u User
	err = database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		var inv Invitation
		err := tx.QueryRow(ctx, `
			UPDATE invitations SET accepted_at = now()
			WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()
			RETURNING id, email, name, role, delivery_partner_id`, hashToken(token)).
			Scan(&inv.ID, &inv.Email, &inv.Name, &inv.Role, &inv.DeliveryPartnerID)
		if database.IsNoRows(err) {
			return ErrInvitationUnusable
		}
		if err != nil {
			return err
		}
		// Create the account, or activate the one an enrolment made, never another's.
		u, err = scanUser(tx.QueryRow(ctx, `
			INSERT INTO users (email, name, password_hash, role, delivery_partner_id)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash
			WHERE users.password_hash = '' AND users.role = EXCLUDED.role
			RETURNING `+userColumns,
			inv.Email, inv.Name, hash, inv.Role, inv.DeliveryPartnerID))
		if database.IsNoRows(err) {
			return ErrEmailTaken
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET user_id = $1 WHERE id = $2`, u.ID, inv.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.ID, "invitation.accepted", fmt.Sprintf("invitation:%d", inv.ID), nil)
	})
	if err != nil && !errors.Is(err, ErrInvitationUnusable) && !errors.Is(err, ErrEmailTaken) {
		err = fmt.Errorf("auth: accept invitation: %w", err)
	}
	return u, err
}

// UpsertUser creates or updates an account directly (used by the demo loader).
func (s Store) UpsertUser(ctx context.Context, email, name string, role Role, partnerID *int64, password string) (User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	u, err := scanUser(s.DB.QueryRow(ctx, `
		INSERT INTO users (email, name, password_hash, role, delivery_partner_id)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
			delivery_partner_id = EXCLUDED.delivery_partner_id
		RETURNING `+userColumns, NormaliseEmail(email), name, hash, role, partnerID))
	if err != nil {
		return u, fmt.Errorf("auth: upsert user %s: %w", email, err)
	}
	return u, nil
}

// InvitationSummary is an invitation as the admin list shows it.
type InvitationSummary struct {
	Invitation
	PartnerName string
	CreatedAt   time.Time
}

// Status is "Accepted", "Expired" or "Waiting" at now.
func (i InvitationSummary) Status(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return "Accepted"
	case !now.Before(i.ExpiresAt):
		return "Expired"
	}
	return "Waiting"
}

// RecentInvitations returns the latest invitations, newest first.
func (s Store) RecentInvitations(ctx context.Context, limit int) ([]InvitationSummary, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT i.id, i.email, i.name, i.role, i.delivery_partner_id, i.expires_at, i.accepted_at,
		       coalesce(p.name, ''), i.created_at
		FROM invitations i LEFT JOIN delivery_partners p ON p.id = i.delivery_partner_id
		ORDER BY i.created_at DESC, i.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("auth: recent invitations: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (InvitationSummary, error) {
		var i InvitationSummary
		err := r.Scan(&i.ID, &i.Email, &i.Name, &i.Role, &i.DeliveryPartnerID, &i.ExpiresAt, &i.AcceptedAt,
			&i.PartnerName, &i.CreatedAt)
		return i, err
	})
}
