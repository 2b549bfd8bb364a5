package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/testdb"
)

func TestPasswordProblem(t *testing.T) {
	tests := []struct {
		name, password, want string
	}{
		{"empty", "", "Enter a password"},
		{"blank", "             ", "Enter a password"},
		{"too short", "short-pass1", "Password must be 12 characters or more"},
		{"too long", strings.Repeat("x9", 65), "Password must be 128 characters or fewer"},
		{"common", "Password1234", "Password is too common: choose one that would be hard to guess"},
		{"common from list", "qwertyuiop123", "Password is too common: choose one that would be hard to guess"},
		{"repeated", "abcabcabcabc", "Password is too common: choose one that would be hard to guess"},
		{"contains email", "xx-pam@school.test-xx", "Password must not contain your email address"},
		{"good", "correct horse battery staple", ""},
		{"good unicode", "café-au-lait-tuesday", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.PasswordProblem(tt.password, "pam@school.test"); got != tt.want {
				t.Errorf("PasswordProblem(%q) = %q, want %q", tt.password, got, tt.want)
			}
		})
	}
}

func TestEmailProblem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "Enter an email address"},
		{"not-an-email", "Enter an email address in the correct format, like name@example.com"},
		{"a@b", "Enter an email address in the correct format, like name@example.com"},
		{"Pam <pam@school.test>", "Enter an email address in the correct format, like name@example.com"},
		{strings.Repeat("a", 250) + "@x.test", "Email address must be 254 characters or fewer"},
		{"pam@school.test", ""},
		{"  Pam.Smith+npq@School.Test ", ""},
	}
	for _, tt := range tests {
		if got := auth.EmailProblem(tt.in); got != tt.want {
			t.Errorf("EmailProblem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRoleLabels(t *testing.T) {
	if got := auth.RoleAssessor.LabelWithArticle(); got != "an Assessor" {
		t.Errorf("got %q", got)
	}
	if got := auth.RoleParticipant.LabelWithArticle(); got != "a Participant" {
		t.Errorf("got %q", got)
	}
	for _, r := range auth.Roles {
		if !r.Valid() || r.HomePath() == "/" {
			t.Errorf("role %s has no home", r)
		}
	}
	if auth.Role("superuser").Valid() {
		t.Error("unknown role is valid")
	}
}

func TestInvitationLifecycle(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	s := auth.Store{DB: pool}

	token, err := s.Invite(ctx, auth.NewInvitation{Email: "New.Person@School.test", Name: "New Person", Role: auth.RoleAssessor}, "http://npq.test")
	if err != nil {
		t.Fatal(err)
	}
	inv, state, err := s.InvitationByToken(ctx, token, time.Now())
	if err != nil || state != auth.InvitationUsable || inv.Email != "new.person@school.test" {
		t.Fatalf("fresh invitation: %+v %v %v", inv, state, err)
	}
	var body string
	if err := pool.QueryRow(ctx, `SELECT body FROM outbox WHERE to_address = 'new.person@school.test'`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "http://npq.test/invitations/"+token) {
		t.Errorf("email lacks the link: %s", body)
	}
	var stored int
	pool.QueryRow(ctx, `SELECT count(*) FROM invitations WHERE token_hash::text LIKE '%' || $1 || '%'`, token).Scan(&stored) //nolint:errcheck
	if stored != 0 {
		t.Error("token stored in clear")
	}

	if _, state, _ := s.InvitationByToken(ctx, "not-a-real-token", time.Now()); state != auth.InvitationUnknown {
		t.Errorf("unknown token state %v", state)
	}

	// Two submissions at once: exactly one account, one success.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = s.AcceptInvitation(ctx, token, "correct horse battery staple")
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, auth.ErrInvitationUnusable):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d acceptances succeeded, want 1", ok)
	}
	if _, state, _ := s.InvitationByToken(ctx, token, time.Now()); state != auth.InvitationUsed {
		t.Errorf("used invitation state %v", state)
	}
	if _, err := s.Invite(ctx, auth.NewInvitation{Email: "new.person@school.test", Name: "X", Role: auth.RoleAssessor}, ""); !errors.Is(err, auth.ErrEmailTaken) {
		t.Errorf("inviting an existing account: %v", err)
	}

	// Expired links cannot be used.
	token2, err := s.Invite(ctx, auth.NewInvitation{Email: "late@school.test", Name: "Late", Role: auth.RoleParticipant}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'late@school.test'`); err != nil {
		t.Fatal(err)
	}
	if _, state, _ := s.InvitationByToken(ctx, token2, time.Now()); state != auth.InvitationExpired {
		t.Errorf("expired state %v", state)
	}
	if _, err := s.AcceptInvitation(ctx, token2, "correct horse battery staple"); !errors.Is(err, auth.ErrInvitationUnusable) {
		t.Errorf("accepting expired: %v", err)
	}

	// A new invitation replaces an earlier one still waiting.
	first, _ := s.Invite(ctx, auth.NewInvitation{Email: "twice@school.test", Name: "Twice", Role: auth.RoleParticipant}, "")
	second, _ := s.Invite(ctx, auth.NewInvitation{Email: "twice@school.test", Name: "Twice", Role: auth.RoleParticipant}, "")
	if _, state, _ := s.InvitationByToken(ctx, first, time.Now()); state != auth.InvitationExpired {
		t.Errorf("superseded invitation state %v", state)
	}
	if _, state, _ := s.InvitationByToken(ctx, second, time.Now()); state != auth.InvitationUsable {
		t.Errorf("newest invitation state %v", state)
	}
}

func TestNewInvitationCheck(t *testing.T) {
	partner := int64(3)
	for _, tt := range []struct {
		name string
		n    auth.NewInvitation
		want string
	}{
		{"an admin", auth.NewInvitation{Name: "Ada", Email: "ada@lp.test", Role: auth.RoleProviderAdmin}, ""},
		{"partner staff", auth.NewInvitation{Name: "Sam", Email: "sam@hub.test", Role: auth.RolePartnerStaff, DeliveryPartnerID: &partner}, ""},
		{"nothing", auth.NewInvitation{}, "name: Enter a full name|email: Enter an email address|role: Select a role"},
		{"a bad email", auth.NewInvitation{Name: "Ada", Email: "ada@", Role: auth.RoleAssessor},
			"email: Enter an email address in the correct format, like name@example.com"},
		{"a made-up role", auth.NewInvitation{Name: "Ada", Email: "ada@lp.test", Role: "owner", DeliveryPartnerID: &partner}, "role: Select one of the roles listed"},
		{"partner staff without a partner", auth.NewInvitation{Name: "Sam", Email: "sam@hub.test", Role: auth.RolePartnerStaff},
			"partner: Select the delivery partner this person works for"},
		{"an assessor with a partner", auth.NewInvitation{Name: "Ada", Email: "ada@lp.test", Role: auth.RoleAssessor, DeliveryPartnerID: &partner},
			"partner: Only delivery partner staff belong to a delivery partner: choose “Not a delivery partner's staff”"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range tt.n.Check() {
				got = append(got, p.Field+": "+p.Message)
			}
			if strings.Join(got, "|") != tt.want {
				t.Errorf("got  %q\nwant %q", strings.Join(got, "|"), tt.want)
			}
		})
	}
}
