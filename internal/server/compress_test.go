package server

import (
	"io"
	"net/http"
	"testing"
)

func TestCompressionSkipsSmallResponses(t *testing.T) {
	a := newTestApp(t)
	for _, tt := range []struct {
		path, accept, want string
	}{
		{"/healthz", "gzip", ""},     // 3 bytes: not worth it
		{"/sign-in", "gzip", "gzip"}, // a page
		{"/sign-in", "zstd, gzip", "zstd"},
		{"/sign-in", "", ""},
	} {
		req, _ := http.NewRequest("GET", a.ts.URL+tt.path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := res.Header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("%s with %q: Content-Encoding %q, want %q", tt.path, tt.accept, got, tt.want)
		}
		if tt.path == "/healthz" && string(body) != "ok\n" {
			t.Errorf("/healthz body %q", body)
		}
		if res.Header.Get("Vary") == "" {
			t.Errorf("%s: no Vary header", tt.path)
		}
	}
}
