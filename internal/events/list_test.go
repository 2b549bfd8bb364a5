package events

import "testing"

func TestListFilterValues(t *testing.T) {
	for _, c := range []struct {
		in   string
		want ListStatus
		ok   bool
	}{{"", ListUpcoming, true}, {"past", ListPast, true}, {"register-not-taken", ListRegisterNotTaken, true}, {"all", ListAll, true}, {"soon", "", false}} {
		if got, ok := ParseListStatus(c.in); got != c.want || ok != c.ok {
			t.Errorf("ParseListStatus(%q) = %q %v", c.in, got, ok)
		}
	}
	for _, c := range []struct {
		in   string
		want Kind
		ok   bool
	}{{"", "", true}, {"webinar", KindWebinar, true}, {"face_to_face", KindFaceToFace, true}, {"party", "", false}} {
		if got, ok := ParseKind(c.in); got != c.want || ok != c.ok {
			t.Errorf("ParseKind(%q) = %q %v", c.in, got, ok)
		}
	}
	if !ListUpcoming.Soonest() || ListPast.Soonest() || ListCancelled.Soonest() {
		t.Error("only upcoming events run soonest first")
	}
	if e := (Event{Cohorts: []CohortRef{{Name: "NPQH Leeds"}, {Name: "NPQH York"}}}); e.CohortNames() != "NPQH Leeds, NPQH York" {
		t.Errorf("cohort names %q", e.CohortNames())
	}
}
