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
	CSS      string
	JS       string
	Favicon  string
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

// Current reports whether href is the section the page belongs to.
func (m *Meta) Current(href string) bool {
	if href == m.Path {
		return true
	}
	return href != "/" && len(m.Path) > len(href) && m.Path[:len(href)] == href && m.Path[len(href)] == '/'
}
