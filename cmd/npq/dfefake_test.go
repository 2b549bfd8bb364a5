package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// npq dfe-fake serves seeded applications without a database and stops on cancel.
func TestDfEFakeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	env := map[string]string{"DFE_FAKE_ADDR": "127.0.0.1:0"}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"dfe-fake"}, func(k string) string { return env[k] }, &out) }()
	re := regexp.MustCompile(`DFE_API_URL=(\S+)`)
	var base string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("no address printed: %q", out.String())
	}
	req, _ := http.NewRequest("GET", base+"/api/v3/npq-applications", nil)
	req.Header.Set("Authorization", "Bearer "+dfeFakeToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(body.String(), "Amara Okafor") {
		t.Fatalf("%d %s", res.StatusCode, body.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
