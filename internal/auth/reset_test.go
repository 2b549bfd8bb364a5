package auth

import "testing"

func TestThrottleReset(t *testing.T) {
	tests := []struct {
		name                  string
		forEmail, fromAddress int
		want                  ResetVerdict
	}{
		{"first request", 0, 0, ResetVerdict{Send: true}},
		{"third for the address", MaxResetEmailsPerAccount - 1, 5, ResetVerdict{Send: true}},
		{"past the emails for the address: same answer, no email", MaxResetEmailsPerAccount, 5, ResetVerdict{}},
		{"client address at its limit", 0, MaxResetRequestsPerAddress, ResetVerdict{Refuse: true}},
		{"client address just under", 0, MaxResetRequestsPerAddress - 1, ResetVerdict{Send: true}},
	}
	for _, tt := range tests {
		if got := ThrottleReset(tt.forEmail, tt.fromAddress); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
