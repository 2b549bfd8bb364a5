package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
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
