package programme

import (
	"errors"
	"testing"

	"npq/internal/listing"
)

func TestParticipantKey(t *testing.T) {
	row := ParticipantRow{Name: "Amara Iqbal", UserID: 7, EnrolmentID: 0}
	name, user, enrolment, err := participantKey(ParticipantKey(row))
	if err != nil || name != "Amara Iqbal" || user != 7 || enrolment != 0 {
		t.Errorf("round trip: %q %d %d %v", name, user, enrolment, err)
	}
	for _, c := range []listing.Cursor{{"a", "1"}, {"a", "x", "1"}, {"a", "0", "1"}, {"a", "1", "-1"}, {"a", "1", "y"}} {
		if _, _, _, err := participantKey(c); !errors.Is(err, listing.ErrBadRequest) {
			t.Errorf("%v: %v", c, err)
		}
	}
	for _, c := range []struct {
		in   string
		want Status
		ok   bool
	}{{"", "", true}, {"active", StatusActive, true}, {"completed", StatusCompleted, true}, {"gone", "", false}} {
		if got, ok := ParseStatus(c.in); got != c.want || ok != c.ok {
			t.Errorf("ParseStatus(%q) = %q %v", c.in, got, c.ok)
		}
	}
}
