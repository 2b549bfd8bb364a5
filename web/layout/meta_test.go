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

func TestCurrentItemByAlsoPrefixes(t *testing.T) {
	nav := []NavItem{{Href: "/admin"}, {Href: "/admin/deferrals", Also: []string{"/admin/withdrawals", "/admin/returns", "/admin/requests"},
		Sub: []NavItem{{Href: "/admin/deferrals"}, {Href: "/admin/withdrawals"}, {Href: "/admin/returns"}}}}
	for path, want := range map[string]int{"/admin": 0, "/admin/returns": 1, "/admin/requests/4": 1, "/admin/todo/returns": 0, "/home": -1} {
		if got := CurrentItem(nav, path); got != want {
			t.Errorf("%s: %d, want %d", path, got, want)
		}
	}
	m := &Meta{Nav: nav, Path: "/admin/withdrawals"}
	if s, cur, ok := m.Section(); !ok || cur != 1 || len(s.Sub) != 3 {
		t.Errorf("section: %v %d %v", s, cur, ok)
	}
	m.Path = "/admin/requests/4"
	if _, cur, ok := m.Section(); !ok || cur != -1 {
		t.Errorf("a request page is in the section with no current sub-page: %d %v", cur, ok)
	}
	m.Path = "/admin"
	if _, _, ok := m.Section(); ok {
		t.Error("the overview has no section")
	}
}

func TestCurrentNavItemWithCourse(t *testing.T) {
	m := &Meta{Path: "/events", Nav: []NavItem{{Href: "/home"}, {Href: "/learn?course=7"}, {Href: "/events?course=7"}}}
	if !m.Current("/events?course=7") || m.Current("/learn?course=7") || m.Current("/home") {
		t.Errorf("the events link with a course should be current on /events")
	}
}
