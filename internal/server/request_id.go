package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"npq/internal/audit"
)

// requestID gives each request an opaque random id, for logs and the reference on error
// pages. It says nothing about the server (chi's own ids start with the host name) and
// ignores any id a client sends. It is stored where chi's middleware.GetReqID finds it.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b) //nolint:errcheck // never fails
		ctx := context.WithValue(r.Context(), middleware.RequestIDKey, hex.EncodeToString(b))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// routeBeforeRouting is the route pattern of a request answered before routing (the
// session could not be loaded, say), looked up in the router so the log line still names the
// route and never the raw path, which may hold a secret token.
func routeBeforeRouting(r *http.Request) string {
	if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.Routes != nil {
		if p := rctx.Routes.Find(chi.NewRouteContext(), r.Method, r.URL.EscapedPath()); p != "" {
			return p
		}
	}
	return "(unmatched)"
}

// auditOrigin lets every audit entry a request writes carry the client's address and the
// request's id. It runs after requestID and clientAddress.
func auditOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := audit.WithOrigin(r.Context(), audit.Origin{IP: clientIP(r), RequestID: middleware.GetReqID(r.Context())})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
