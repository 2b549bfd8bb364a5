// Package layout renders the page frame: header, navigation, footer and assets.
package layout

import (
	"context"
	"strings"
)

// CurrentUser is who is signed in, as the page frame shows them.
type CurrentUser struct {
	Name string
	Role string // auth.Role value
}

// NavItem is one link in the header navigation, or in the sub-navigation of its section.
type NavItem struct {
	Label string
	Href  string
	// Also are further path prefixes whose pages belong to the item: returns and request
	// pages to Requests, say.
	Also []string
	// Sub are the section's own pages, shown under the header on every page of the section.
	Sub []NavItem
}

// Meta is what every page needs from the request: set once by middleware.
type Meta struct {
	User  *CurrentUser
	Nav   []NavItem
	Path  string
	Nonce string
	Flash string
	// PopFlash takes the flash message from the session; nil outside a session.
	PopFlash func() string
	// Problem is a message saying why something the user asked for did not happen.
	Problem    string
	PopProblem func() string
	CSS        string
	JS         string
	Favicon    string
}

type metaKey struct{}

// WithMeta stores m in ctx for the page frame.
func WithMeta(ctx context.Context, m *Meta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaFrom returns the request's Meta, or an empty one.
func MetaFrom(ctx context.Context) *Meta {
	if m, ok := ctx.Value(metaKey{}).(*Meta); ok && m != nil {
		return m
	}
	return &Meta{}
}

// Current reports whether href is the navigation item for the page.
func (m *Meta) Current(href string) bool {
	i := CurrentItem(m.Nav, m.Path)
	return i >= 0 && pathOf(m.Nav[i].Href) == pathOf(href)
}

// Section is the current page's navigation item when it has pages of its own to show under
// the header, with the index of the current one among them (-1 for none).
func (m *Meta) Section() (NavItem, int, bool) {
	i := CurrentItem(m.Nav, m.Path)
	if i < 0 || len(m.Nav[i].Sub) == 0 {
		return NavItem{}, -1, false
	}
	return m.Nav[i], CurrentItem(m.Nav[i].Sub, m.Path), true
}

// CurrentItem is the index of the item a page at path belongs to: the one with the longest
// link (without its query) or Also prefix that path is at or under, so /admin/cohorts/7 is under Cohorts, not
// Overview, and /admin/returns under Requests. It is -1 when none is.
func CurrentItem(items []NavItem, path string) int {
	best, bestLen := -1, 0
	for i, item := range items {
		for _, prefix := range append([]string{item.Href}, item.Also...) {
			if p := pathOf(prefix); under(path, p) && len(p) > bestLen {
				best, bestLen = i, len(p)
			}
		}
	}
	return best
}

// pathOf is a link without its query, which may carry the participant's chosen course.
func pathOf(href string) string {
	if i := strings.IndexByte(href, '?'); i >= 0 {
		return href[:i]
	}
	return href
}

func under(path, href string) bool {
	return path == href || (href != "/" && len(path) > len(href) && path[:len(href)] == href && path[len(href)] == '/')
}
