package auth

import (
	"testing"
	"time"
)

func TestAccountChangeCheck(t *testing.T) {
	gone := time.Now()
	p1, p2 := int64(1), int64(2)
	admin := User{ID: 1, Role: RoleProviderAdmin}
	other := User{ID: 2, Role: RoleProviderAdmin}
	staff := User{ID: 3, Role: RolePartnerStaff, DeliveryPartnerID: &p1}
	leaver := User{ID: 4, Role: RolePartnerStaff, DeliveryPartnerID: &p1, DeactivatedAt: &gone}
	learner := User{ID: 5, Role: RoleParticipant}
	for _, c := range []struct {
		name   string
		change AccountChange
		field  string // "" with want false means allowed
		refuse bool
	}{
		{"deactivate staff", AccountChange{Kind: ChangeDeactivate, ActorID: 1, Target: staff, ActiveAdmin: 2}, "", false},
		{"deactivate another admin", AccountChange{Kind: ChangeDeactivate, ActorID: 1, Target: other, ActiveAdmin: 2}, "", false},
		{"deactivate yourself", AccountChange{Kind: ChangeDeactivate, ActorID: 1, Target: admin, ActiveAdmin: 2}, "", true},
		{"deactivate the last admin", AccountChange{Kind: ChangeDeactivate, ActorID: 9, Target: other, ActiveAdmin: 1}, "", true},
		{"deactivate twice", AccountChange{Kind: ChangeDeactivate, ActorID: 1, Target: leaver, ActiveAdmin: 2}, "", true},
		{"reactivate a leaver", AccountChange{Kind: ChangeReactivate, ActorID: 1, Target: leaver, ActiveAdmin: 2}, "", false},
		{"reactivate an active account", AccountChange{Kind: ChangeReactivate, ActorID: 1, Target: staff, ActiveAdmin: 2}, "", true},
		{"move staff to another partner", AccountChange{Kind: ChangeRole, ActorID: 1, Target: staff, NewRole: RolePartnerStaff, NewPartner: &p2, ActiveAdmin: 2}, "", false},
		{"make staff an admin", AccountChange{Kind: ChangeRole, ActorID: 1, Target: staff, NewRole: RoleProviderAdmin, ActiveAdmin: 2}, "", false},
		{"demote another admin", AccountChange{Kind: ChangeRole, ActorID: 1, Target: other, NewRole: RoleAssessor, ActiveAdmin: 2}, "", false},
		{"demote yourself", AccountChange{Kind: ChangeRole, ActorID: 1, Target: admin, NewRole: RoleAssessor, ActiveAdmin: 2}, "role", true},
		{"demote the last admin", AccountChange{Kind: ChangeRole, ActorID: 9, Target: other, NewRole: RoleAssessor, ActiveAdmin: 1}, "role", true},
		{"no change", AccountChange{Kind: ChangeRole, ActorID: 1, Target: staff, NewRole: RolePartnerStaff, NewPartner: &p1, ActiveAdmin: 2}, "role", true},
		{"staff without a partner", AccountChange{Kind: ChangeRole, ActorID: 1, Target: other, NewRole: RolePartnerStaff, ActiveAdmin: 2}, "partner", true},
		{"an admin with a partner", AccountChange{Kind: ChangeRole, ActorID: 1, Target: staff, NewRole: RoleProviderAdmin, NewPartner: &p1, ActiveAdmin: 2}, "partner", true},
		{"no role", AccountChange{Kind: ChangeRole, ActorID: 1, Target: staff, ActiveAdmin: 2}, "role", true},
		{"a participant's role", AccountChange{Kind: ChangeRole, ActorID: 1, Target: learner, NewRole: RoleAssessor, ActiveAdmin: 2}, "role", true},
		{"make someone a participant", AccountChange{Kind: ChangeRole, ActorID: 1, Target: staff, NewRole: RoleParticipant, ActiveAdmin: 2}, "role", true},
		{"a leaver's role", AccountChange{Kind: ChangeRole, ActorID: 1, Target: leaver, NewRole: RoleAssessor, ActiveAdmin: 2}, "", true},
		{"an unknown change", AccountChange{Kind: "delete", ActorID: 1, Target: staff, ActiveAdmin: 2}, "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := c.change.Check()
			if (len(ps) > 0) != c.refuse {
				t.Fatalf("Check() = %v, want refused %v", ps, c.refuse)
			}
			if c.refuse && ps[0].Field != c.field {
				t.Errorf("refused on field %q (%s), want %q", ps[0].Field, ps[0].Message, c.field)
			}
		})
	}
}

func TestAccountStatus(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		a    Account
		want AccountStatus
	}{
		{Account{Activated: true}, StatusActive},
		{Account{}, StatusInvited},
		{Account{User: User{DeactivatedAt: &now}, Activated: true}, StatusDeactivated},
		{Account{User: User{DeactivatedAt: &now}}, StatusDeactivated},
	} {
		if got := c.a.Status(); got != c.want {
			t.Errorf("%+v: Status() = %s, want %s", c.a, got, c.want)
		}
	}
}
