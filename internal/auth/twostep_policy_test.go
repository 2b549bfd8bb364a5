package auth

import "testing"

func TestTwoStepPolicyRequires(t *testing.T) {
	tests := []struct {
		policy TwoStepPolicy
		role   Role
		want   bool
	}{
		{TwoStepPolicy{}, RoleProviderAdmin, true},
		{TwoStepPolicy{}, RoleAssessor, true},
		{TwoStepPolicy{}, RolePartnerStaff, false},
		{TwoStepPolicy{}, RoleParticipant, false},
		{TwoStepPolicy{PartnerStaff: true}, RolePartnerStaff, true},
		{TwoStepPolicy{PartnerStaff: true}, RoleParticipant, false},
		{TwoStepPolicy{PartnerStaff: true}, RoleProviderAdmin, true},
		{TwoStepPolicy{}, Role("visitor"), false},
	}
	for _, tt := range tests {
		if got := tt.policy.Requires(tt.role); got != tt.want {
			t.Errorf("%+v.Requires(%s) = %v, want %v", tt.policy, tt.role, got, tt.want)
		}
	}
}
