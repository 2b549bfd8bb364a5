package listing

import (
	"errors"
	"net/url"
	"testing"
	"time"
)

func TestTimeKey(t *testing.T) {
	at := time.Date(2027, 3, 2, 9, 30, 0, 123, time.FixedZone("BST", 3600))
	gotAt, gotID, err := TimeKey(at, 42).TimeID()
	if err != nil || !gotAt.Equal(at) || gotID != 42 {
		t.Errorf("round trip: %v %d %v", gotAt, gotID, err)
	}
	if tt, id, err := Cursor(nil).TimeID(); err != nil || !tt.IsZero() || id != 0 {
		t.Errorf("no cursor: %v %d %v", tt, id, err)
	}
	for _, c := range []Cursor{{"x"}, {"yesterday", "1"}, {"2027-03-02T09:30:00Z", "one"}, {"2027-03-02T09:30:00Z", "0"}, {"a", "b", "c"}} {
		if _, _, err := c.TimeID(); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%v: %v", c, err)
		}
	}
}

func TestSeek(t *testing.T) {
	forward, _ := Read(url.Values{})
	backward, _ := Read(url.Values{"before": {Cursor{"a"}.String()}})
	for _, c := range []struct {
		ascending bool
		r         Request
		cmp, dir  string
	}{
		{true, forward, ">", "ASC"},
		{true, backward, "<", "DESC"},
		{false, forward, "<", "DESC"},
		{false, backward, ">", "ASC"},
	} {
		if cmp, dir := Seek(c.ascending, c.r); cmp != c.cmp || dir != c.dir {
			t.Errorf("ascending %v backward %v: %s %s", c.ascending, c.r.Backward(), cmp, dir)
		}
	}
}
