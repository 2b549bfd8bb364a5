package server

import (
	"net/http"
	"strings"
)

// Private pages must not be kept by browsers or shared caches: after signing out, pressing
// Back must not show them again. Three rules decide, and settleCacheControl enforces them as
// the response starts:
//   - every response to a signed-in user is private (markSignedInPrivate);
//   - every response that sets a cookie is private (sign-in, sign-out);
//   - pages reached by a secret link (invitations, calendar feeds) mark themselves (noStore).
//
// A response that declares itself public (hashed static assets) keeps its cache lifetime.

// noStoreHeader is the one Cache-Control value a private response carries.
const noStoreHeader = "no-store"

// privateResponses settles each response's Cache-Control. It runs outside the session
// middleware so it sees the cookie and the cache header that middleware adds.
func privateResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&cacheControlWriter{ResponseWriter: w}, r)
	})
}

// markSignedInPrivate marks every response to a signed-in user as private. It runs after
// loadUser; handlers may still declare a public response (static assets).
func markSignedInPrivate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r.Context()) != nil {
			w.Header().Set("Cache-Control", noStoreHeader)
		}
		next.ServeHTTP(w, r)
	})
}

// noStore marks every answer of a handler as private, whoever asks and whatever happens.
func noStore(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", noStoreHeader)
		return h(w, r)
	}
}

// cacheControlWriter settles Cache-Control when the response starts.
type cacheControlWriter struct {
	http.ResponseWriter
	settled bool
}

func (cw *cacheControlWriter) settle() {
	if cw.settled {
		return
	}
	cw.settled = true
	settleCacheControl(cw.Header())
}

// settleCacheControl replaces whatever Cache-Control a private response has collected (the
// session middleware adds no-cache="Set-Cookie") with exactly no-store.
func settleCacheControl(h http.Header) {
	cc := strings.Join(h.Values("Cache-Control"), ", ")
	if strings.Contains(cc, "no-store") || (len(h.Values("Set-Cookie")) > 0 && !strings.Contains(cc, "public")) {
		h.Set("Cache-Control", noStoreHeader)
	}
}

func (cw *cacheControlWriter) WriteHeader(status int) {
	cw.settle()
	cw.ResponseWriter.WriteHeader(status)
}

func (cw *cacheControlWriter) Write(b []byte) (int, error) {
	cw.settle()
	return cw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (cw *cacheControlWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }
