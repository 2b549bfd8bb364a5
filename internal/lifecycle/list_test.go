package lifecycle

import "testing"

func TestListFilterValues(t *testing.T) {
	for in, want := range map[string]State{"": "", "open": StateOpen, "moved": StateMoved} {
		if got, ok := ParseState(in); !ok || got != want {
			t.Errorf("ParseState(%q) = %q %v", in, got, ok)
		}
	}
	if _, ok := ParseState("all"); ok {
		t.Error("ParseState accepts all")
	}
	for in, want := range map[string]Kind{"": "", "deferral": KindDeferral, "withdrawal": KindWithdrawal} {
		if got, ok := ParseKind(in); !ok || got != want {
			t.Errorf("ParseKind(%q) = %q %v", in, got, ok)
		}
	}
	if _, ok := ParseKind("holiday"); ok {
		t.Error("ParseKind accepts holiday")
	}
	if StateMoved.Label() != "Moved to another cohort" || StateApproved.Label() != "Approved" {
		t.Error("state labels")
	}
}
