package layout

import "testing"

func TestCurrentNavItem(t *testing.T) {
	m := &Meta{Nav: []NavItem{{Href: "/admin"}, {Href: "/admin/cohorts"}, {Href: "/frameworks"}}}
	for path, want := range map[string]string{"/admin": "/admin", "/admin/cohorts/7": "/admin/cohorts", "/admin/outbox": "/admin",
		"/frameworks/npqel-2021": "/frameworks", "/home": "", "/admincohorts": ""} {
		m.Path = path
		got := ""
		for _, it := range m.Nav {
			if m.Current(it.Href) {
				got = it.Href
			}
		}
		if got != want {
			t.Errorf("%s: current %q, want %q", path, got, want)
		}
	}
}
