// Package layout renders the page frame: header, navigation, footer and assets.
package layout

import "context"

// CurrentUser is who is signed in, as the page frame shows them.
type CurrentUser struct {
	Name string
	Role string // auth.Role value
}

// NavItem is one link in the header navigation.
type NavItem struct {
	Label string
	Href  string
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

// Current reports whether href is the navigation item for the page: the item whose link is
// the longest prefix of the path, so /admin/cohorts/7 is under Cohorts, not Overview.
func (m *Meta) Current(href string) bool {
	best := ""
	for _, item := range m.Nav {
		if under(m.Path, item.Href) && len(item.Href) > len(best) {
			best = item.Href
		}
	}
	return best == href
}

func under(path, href string) bool {
	return path == href || (href != "/" && len(path) > len(href) && path[:len(href)] == href && path[len(href)] == '/')
}
