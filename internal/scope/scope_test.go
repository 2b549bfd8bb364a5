package scope

import (
	"testing"

	"npq/internal/auth"
)

func TestFor(t *testing.T) {
	partner := int64(7)
	tests := []struct {
		name string
		user *auth.User
		want Scope
	}{
		{"nobody signed in", nil, Scope{}},
		{"admin", &auth.User{ID: 1, Role: auth.RoleProviderAdmin}, Scope{all: true}},
		{"partner staff", &auth.User{ID: 2, Role: auth.RolePartnerStaff, DeliveryPartnerID: &partner}, Scope{partnerID: 7}},
		{"partner staff without a partner", &auth.User{ID: 3, Role: auth.RolePartnerStaff}, Scope{}},
		{"participant", &auth.User{ID: 4, Role: auth.RoleParticipant}, Scope{userID: 4}},
		{"participant with a partner by mistake", &auth.User{ID: 5, Role: auth.RoleParticipant, DeliveryPartnerID: &partner}, Scope{userID: 5}},
		{"assessor", &auth.User{ID: 6, Role: auth.RoleAssessor}, Scope{markerID: 6}},
		{"unknown role", &auth.User{ID: 8, Role: "superuser"}, Scope{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := For(tt.user); got != tt.want {
				t.Errorf("For = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestZeroScopeSeesNothing(t *testing.T) {
	var s Scope
	if s.All() || s.PartnerID() != 0 || s.UserID() != 0 || s.MarkerID() != 0 {
		t.Errorf("zero scope: %+v", s)
	}
	for _, id := range []int64{0, 1, 7} {
		if s.SeesPartner(id) {
			t.Errorf("zero scope sees partner %d", id)
		}
	}
}

func TestSeesPartner(t *testing.T) {
	tests := []struct {
		name    string
		scope   Scope
		partner int64
		want    bool
	}{
		{"admin, any partner", Admin(), 7, true},
		{"own partner", Partner(7), 7, true},
		{"another partner", Partner(7), 8, false},
		{"partner 0 sees nothing", Partner(0), 0, false},
		{"participant", Participant(7), 7, false},
		{"assessor", Assessor(7), 7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.scope.SeesPartner(tt.partner); got != tt.want {
				t.Errorf("SeesPartner(%d) = %v, want %v", tt.partner, got, tt.want)
			}
		})
	}
}
