// Package auth holds accounts, roles, passwords, invitations and sign-in rate limits.
package auth

import (
	"bufio"
	_ "embed"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"npq/internal/problem"

	"github.com/alexedwards/argon2id"
)

// Role is what a user may do in the service.
type Role string

// The four roles.
const (
	RoleParticipant   Role = "participant"
	RolePartnerStaff  Role = "partner_staff"
	RoleProviderAdmin Role = "provider_admin"
	RoleAssessor      Role = "assessor"
)

// Roles lists every role in the order forms show them.
var Roles = []Role{RoleParticipant, RolePartnerStaff, RoleProviderAdmin, RoleAssessor}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	return slices.Contains(Roles, r)
}

// Label is the role's name as people say it.
func (r Role) Label() string {
	switch r {
	case RoleParticipant:
		return "Participant"
	case RolePartnerStaff:
		return "Delivery partner staff"
	case RoleProviderAdmin:
		return "Lead provider admin"
	case RoleAssessor:
		return "Assessor"
	}
	return string(r)
}

// LabelWithArticle is the label after "a" or "an", as in "an Assessor".
func (r Role) LabelWithArticle() string {
	l := r.Label()
	if strings.ContainsRune("AEIOU", rune(l[0])) {
		return "an " + l
	}
	return "a " + l
}

// HomePath is where a user of this role lands after signing in.
func (r Role) HomePath() string {
	switch r {
	case RoleParticipant:
		return "/home"
	case RolePartnerStaff:
		return "/partner"
	case RoleProviderAdmin:
		return "/admin"
	case RoleAssessor:
		return "/marking"
	}
	return "/"
}

// User is a person with an account.
type User struct {
	ID                int64
	Email             string
	Name              string
	Role              Role
	DeliveryPartnerID *int64
	PasswordHash      string
	// DeactivatedAt is when an admin deactivated the account (a leaver), or nil.
	DeactivatedAt *time.Time
	// SessionVersion goes up when a change to the account must end its sessions.
	SessionVersion int
	// TwoStep reports whether the account has two-step sign-in set up.
	TwoStep bool
}

// Deactivated reports whether the account may no longer sign in.
func (u User) Deactivated() bool { return u.DeactivatedAt != nil }

// Limits on what people type.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
	MaxNameLength     = 200
	MaxEmailLength    = 254
)

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// PasswordProblem explains why a new password is not acceptable, or returns "" when it is.
func PasswordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case strings.TrimSpace(password) == "":
		return "Enter a password"
	case n < MinPasswordLength:
		return fmt.Sprintf("Password must be %d characters or more", MinPasswordLength)
	case n > MaxPasswordLength:
		return fmt.Sprintf("Password must be %d characters or fewer", MaxPasswordLength)
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] || isRepetitive(lower) {
		return "Password is too common: choose one that would be hard to guess"
	}
	if email != "" && strings.Contains(lower, strings.ToLower(email)) {
		return "Password must not contain your email address"
	}
	return ""
}

// isRepetitive catches passwords made of one short run repeated, such as "abcabcabcabc".
func isRepetitive(s string) bool {
	for size := 1; size <= 4; size++ {
		if len(s)%size != 0 {
			continue
		}
		if strings.Repeat(s[:size], len(s)/size) == s {
			return true
		}
	}
	return false
}

// HashPassword returns an argon2id hash of password.
func HashPassword(password string) (string, error) {
	h, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return h, nil
}

var hashParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// dummyHash is compared against when no account matches, so that a wrong email takes as
// long as a wrong password.
var dummyHash, _ = HashPassword("no account has this password")

// CheckPassword reports whether password matches hash. An empty hash never matches but
// takes as long as a real comparison.
func CheckPassword(password, hash string) bool {
	if hash == "" {
		argon2id.ComparePasswordAndHash(password, dummyHash) //nolint:errcheck // timing only
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// NormaliseEmail trims and lower-cases an email address.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// EmailProblem explains why s is not a usable email address, or returns "".
func EmailProblem(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "Enter an email address"
	}
	if len(s) > MaxEmailLength {
		return fmt.Sprintf("Email address must be %d characters or fewer", MaxEmailLength)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "Enter an email address in the correct format, like name@example.com"
	}
	return ""
}

// NameProblem explains why s is not a usable name, or returns "".
func NameProblem(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "Enter a full name"
	case utf8.RuneCountInString(s) > MaxNameLength:
		return fmt.Sprintf("Full name must be %d characters or fewer", MaxNameLength)
	}
	return ""
}

// Check applies the rules for inviting someone: a name and an email address that can be
// used, a role, and a delivery partner exactly when the role is delivery partner staff. Its
// problems are keyed by the form's field names.
func (n NewInvitation) Check() problem.Problems {
	var p problem.Problems
	p.Add("name", NameProblem(n.Name))
	p.Add("email", EmailProblem(n.Email))
	switch {
	case n.Role == "":
		p.Add("role", "Select a role")
	case !n.Role.Valid():
		p.Add("role", "Select one of the roles listed")
	case n.Role == RolePartnerStaff && n.DeliveryPartnerID == nil:
		p.Add("partner", "Select the delivery partner this person works for")
	case n.Role != RolePartnerStaff && n.DeliveryPartnerID != nil:
		p.Add("partner", "Only delivery partner staff belong to a delivery partner: choose “Not a delivery partner's staff”")
	}
	return p
}

// TwoStepPolicy says which roles must give a code from an authenticator app as well as their
// password. Provider admins and assessors always must: they see and decide on many people's
// records. Partner staff must when PartnerStaff is set; participants may choose.
type TwoStepPolicy struct {
	PartnerStaff bool
}

// Requires reports whether someone with role must have two-step sign-in set up.
func (p TwoStepPolicy) Requires(r Role) bool {
	switch r {
	case RoleProviderAdmin, RoleAssessor:
		return true
	case RolePartnerStaff:
		return p.PartnerStaff
	}
	return false
}
