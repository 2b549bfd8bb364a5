package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/scope"
	"npq/web/layout"
)

type userKey struct{}

type scopeKey struct{}

type sessionIDKey struct{}

// currentSessionID returns the id of the signed-in session (see auth.Store.StartSession), or 0.
func currentSessionID(ctx context.Context) int64 {
	id, _ := ctx.Value(sessionIDKey{}).(int64)
	return id
}

// currentUser returns the signed-in user, or nil.
func currentUser(ctx context.Context) *auth.User {
	u, _ := ctx.Value(userKey{}).(*auth.User)
	return u
}

// maxFormBytes bounds every request body that is not a file upload.
const maxFormBytes = 1 << 20

// logRequests logs one line per request: the route pattern, never the raw path, so that
// secrets in URLs (invitation tokens, calendar tokens) stay out of logs.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := chi.RouteContext(r.Context()).RoutePattern()
		if route == "" {
			route = routeBeforeRouting(r)
		}
		level := slog.LevelInfo
		if ww.Status() >= 500 {
			level = slog.LevelError
		}
		attrs := []any{"method", r.Method, "route", route, "status", ww.Status(),
			"bytes", ww.BytesWritten(), "duration", time.Since(start), "request_id", middleware.GetReqID(r.Context())}
		if u := currentUser(r.Context()); u != nil {
			attrs = append(attrs, "user_id", u.ID)
		}
		s.log.Log(r.Context(), level, "request", attrs...)
	})
}

// recoverPanics turns a panic into a logged 500 page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()),
					"request_id", middleware.GetReqID(r.Context()))
				s.renderError(w, r, httpError{Status: http.StatusInternalServerError})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the Content-Security-Policy (with a per-request nonce for the few
// inline scripts, kept in the page's layout.Meta) and the other protective headers.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 18)
		rand.Read(b) //nolint:errcheck // never fails
		nonce := base64.StdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; "+
			"style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "+
			"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.cfg.SecureCookies() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		m := &layout.Meta{Nonce: nonce, Path: r.URL.Path}
		next.ServeHTTP(w, r.WithContext(layout.WithMeta(r.Context(), m)))
	})
}

// limitBodies bounds request bodies so a huge form cannot exhaust memory.
func limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// loadUser puts the signed-in user (if any) and their navigation into the request.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		m := layout.MetaFrom(ctx)
		if id := s.sessions.GetInt64(ctx, "user_id"); id != 0 {
			// A session ended elsewhere (signed out from another device, a password change)
			// or never recorded is signed out.
			u, sessionID, err := s.signedInUser(ctx, r, id)
			switch {
			case errors.Is(err, database.ErrNotFound):
				s.sessions.Remove(ctx, "user_id")
				s.sessions.Remove(ctx, "session_key")
			case err == nil && !sessionStillValid(u, s.sessions.GetInt(ctx, "session_version")):
				// A leaver, or an account changed since this session began: signed out now.
				if err := s.sessions.RenewToken(ctx); err != nil {
					s.renderError(w, r, err)
					return
				}
				s.sessions.Remove(ctx, "user_id")
				s.sessions.Remove(ctx, "session_version")
				s.sessions.Remove(ctx, "session_key")
			case err != nil:
				s.renderError(w, r, err)
				return
			default:
				ctx = context.WithValue(ctx, userKey{}, &u)
				ctx = context.WithValue(ctx, sessionIDKey{}, sessionID)
				ctx = context.WithValue(ctx, scopeKey{}, scope.For(&u))
				m.User = &layout.CurrentUser{Name: u.Name, Role: string(u.Role)}
				m.Nav = navFor(u.Role)
			}
		}
		m.PopFlash = func() string { return s.sessions.PopString(ctx, "flash") }
		m.PopProblem = func() string { return s.sessions.PopString(ctx, "problem") }
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// signedInUser returns the user signed in on the request's session as user id, with the id
// of their account session: as the session store read them with the session when it could,
// or else with one more query. A session ended elsewhere is database.ErrNotFound.
func (s *Server) signedInUser(ctx context.Context, r *http.Request, id int64) (auth.User, int64, error) {
	if load, ok := ctx.Value(sessionLoadKey{}).(*sessionLoad); ok && load.found && load.session.Linked {
		if u := load.session.User; u != nil && u.ID == id {
			return *u, load.session.AccountSessionID, nil
		}
		return auth.User{}, 0, database.ErrNotFound
	}
	return s.users.UserBySession(ctx, id, s.sessions.GetString(ctx, "session_key"), clientIP(r), s.now())
}

// sessionStillValid reports whether a session that began at sessionVersion may go on as u:
// not once u is deactivated, nor after a change to the account that ends its sessions.
func sessionStillValid(u auth.User, sessionVersion int) bool {
	return !u.Deactivated() && u.SessionVersion == sessionVersion
}

// redirectToSignIn sends a signed-out visitor to sign in, then back to where they were going.
func (s *Server) redirectToSignIn(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		next = r.URL.Path
	}
	http.Redirect(w, r, "/sign-in?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// safeNext returns next when it is a path on this site, or "". Browsers drop tabs and
// newlines and read a backslash as a slash, so "/\t/evil.example" would leave the site: only a
// single leading slash with no control characters or backslashes, as sent or once decoded, is
// accepted.
func safeNext(next string) string {
	decoded, err := url.PathUnescape(next)
	if err != nil || !isLocalPath(next) || !isLocalPath(decoded) {
		return ""
	}
	return next
}

// isLocalPath reports whether p starts with exactly one slash and has no control characters
// or backslashes.
func isLocalPath(p string) bool {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && p[1] == '/') {
		return false
	}
	for _, r := range p {
		if r == '\\' || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// clientAddress finds the address rate limits count against: the connection's peer, or,
// when the peer is one of proxies, the right-most X-Forwarded-For entry that is not a proxy.
// Clients can set X-Real-IP, True-Client-IP and the left of X-Forwarded-For, so those are
// never believed.
func clientAddress(proxies []netip.Prefix) func(http.Handler) http.Handler {
	if len(proxies) == 0 {
		return middleware.ClientIPFromRemoteAddr
	}
	ranges := make([]string, len(proxies))
	for i, p := range proxies {
		ranges[i] = p.String()
	}
	return middleware.ClientIPFromXFF(ranges...)
}

// clientIP is the address clientAddress found, or the peer's when the proxy headers were
// unreadable.
func clientIP(r *http.Request) string {
	if ip := middleware.GetClientIP(r.Context()); ip != "" {
		return ip
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
