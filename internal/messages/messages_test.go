package messages

import (
	"strings"
	"testing"
)

func TestDraftCheck(t *testing.T) {
	key := strings.Repeat("a1", 16)
	good := Draft{Key: key, To: []int64{1, 2}, Subject: "Book your webinar", Body: "Dates are filling up."}
	many := make([]int64, MaxRecipients+1)
	tests := []struct {
		name  string
		edit  func(*Draft)
		field string
		want  string
	}{
		{"good", func(*Draft) {}, "", ""},
		{"nobody", func(d *Draft) { d.To = nil }, "to", "Choose at least one person"},
		{"too many", func(d *Draft) { d.To = many }, "to", "at most 500 people"},
		{"no subject", func(d *Draft) { d.Subject = "" }, "subject", "Enter a subject"},
		{"long subject", func(d *Draft) { d.Subject = strings.Repeat("é", MaxSubject+1) }, "subject", "150 characters or fewer"},
		{"subject of two lines", func(d *Draft) { d.Subject = "One\nTwo" }, "subject", "one line"},
		{"no body", func(d *Draft) { d.Body = "" }, "body", "Enter the message"},
		{"long body", func(d *Draft) { d.Body = strings.Repeat("x", MaxBody+1) }, "body", "5000 characters or fewer"},
		{"no key", func(d *Draft) { d.Key = "" }, "key", "could not be read"},
		{"odd key", func(d *Draft) { d.Key = strings.Repeat("Z", 32) }, "key", "could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			tt.edit(&d)
			ps := d.Check()
			if tt.field == "" {
				if len(ps) > 0 {
					t.Errorf("problems: %v", ps)
				}
				return
			}
			if got := ps.For(tt.field); !strings.Contains(got, tt.want) {
				t.Errorf("%s: %q, want %q (all: %v)", tt.field, got, tt.want, ps)
			}
		})
	}
	if k := NewKey(); len(k) != 32 || (Draft{Key: k}).Check().For("key") != "" {
		t.Errorf("NewKey %q", k)
	}
}
