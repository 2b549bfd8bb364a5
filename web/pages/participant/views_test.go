package participant

import "testing"

func TestContinueLabel(t *testing.T) {
	for _, tt := range []struct{ title, want string }{
		{"Self-study: in practice", "Continue with Self-study: in practice"},
		{"Introduction and diagnostic", "Continue with Introduction and diagnostic"},
		{"", "Continue"},
	} {
		if got := (ContinueLink{ItemTitle: tt.title}).Label(); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestCohortAndPartner(t *testing.T) {
	for _, tt := range []struct{ cohort, partner, want string }{
		{"NPQEL Spring 2025 – Camden Learning", "Camden Learning", "NPQEL Spring 2025 · Camden Learning"},
		{"NPQH Spring 2026 – Barnsley and Doncaster", "Barnsley and Doncaster Teaching School Hub", "NPQH Spring 2026 · Barnsley and Doncaster Teaching School Hub"},
		{"NPQH 2026 - riverside hub", "Riverside Hub", "NPQH 2026 · Riverside Hub"},
		{"Riverside Hub NPQH 2026", "Riverside Hub", "Riverside Hub NPQH 2026"},
		{"NPQH Riverside", "Riverside Hub", "NPQH Riverside · Riverside Hub"},
		{"NPQSL Autumn 2025 – North", "Camden Learning", "NPQSL Autumn 2025 – North · Camden Learning"},
		{"NPQSL Autumn 2025", "", "NPQSL Autumn 2025"},
	} {
		if got := CohortAndPartner(tt.cohort, tt.partner); got != tt.want {
			t.Errorf("%q, %q: got %q, want %q", tt.cohort, tt.partner, got, tt.want)
		}
	}
}
