package audit

import "testing"

func TestDescribe(t *testing.T) {
	for _, c := range []struct{ action, want string }{
		{"sign_in.succeeded", "Signed in"},
		{"deferral.approved", "Approved a deferral"},
		{"email.change_confirmed", "Email change confirmed"},
		{"", "Unknown action"},
		{"..", "Unknown action"},
	} {
		if got := Describe(c.action); got != c.want {
			t.Errorf("Describe(%q) = %q, want %q", c.action, got, c.want)
		}
	}
}

func TestSubjectLinkAndWords(t *testing.T) {
	for _, c := range []struct{ subject, link, words string }{
		{"user:12", "/admin/users/12", "user 12"},
		{"request:3", "/admin/requests/3", "request 3"},
		{"submission:9", "/admin/assessment/9", "submission 9"},
		{"invitation:4", "", "invitation 4"},
		{"user:", "", "user:"},
		{"user:1x", "", "user:1x"},
		{"/admin/deferrals.csv", "", "/admin/deferrals.csv"},
		{"", "", ""},
	} {
		if got := SubjectLink(c.subject); got != c.link {
			t.Errorf("SubjectLink(%q) = %q, want %q", c.subject, got, c.link)
		}
		if got := SubjectWords(c.subject); got != c.words {
			t.Errorf("SubjectWords(%q) = %q, want %q", c.subject, got, c.words)
		}
	}
}

func TestParsePerson(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Person
	}{
		{"", Person{}},
		{" 12 ", Person{ID: 12}},
		{"0", Person{Email: "0"}},
		{"Ann@School.test", Person{Email: "ann@school.test"}},
	} {
		if got := ParsePerson(c.in); got != c.want {
			t.Errorf("ParsePerson(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestKindsMatchTheirActions(t *testing.T) {
	account, _ := KindByValue("account")
	want := map[string]bool{`password\_reset.%`: true, "account.%": true, "user.%": true}
	n := 0
	for _, p := range account.patterns {
		if want[p] {
			n++
		}
	}
	if n != len(want) {
		t.Errorf("account patterns %v", account.patterns)
	}
	if _, ok := KindByValue("nonsense"); ok {
		t.Error("an unknown kind was found")
	}
}
