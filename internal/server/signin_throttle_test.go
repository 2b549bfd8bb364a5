package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/config"
)

// signInFrom posts a sign-in as if through a proxy from address ip.
func signInFrom(c *testClient, ip, email, password string) *testResponse {
	c.a.t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	req, _ := http.NewRequest("POST", c.a.ts.URL+"/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	return c.do(req)
}

// noSleeps makes slowed sign-ins answer at once, recording the delays asked for.
func (a *testApp) noSleeps() *[]time.Duration {
	var mu sync.Mutex
	var d []time.Duration
	a.srv.users.Sleep = func(_ context.Context, x time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		d = append(d, x)
		return nil
	}
	return &d
}

func TestSignInUnderAttackStillLetsTheHolderIn(t *testing.T) {
	a := newTestApp(t, func(c *config.Config) { c.TrustProxyHeaders = true })
	delays := a.noSleeps()
	u := a.userFor(auth.RoleParticipant)
	attacker := a.client()
	for i := range auth.MaxFailuresPerPair {
		if res := signInFrom(attacker, "203.0.113.66", u.Email, "guess number one"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i, res.StatusCode)
		}
	}
	if res := signInFrom(attacker, "203.0.113.66", u.Email, testPassword); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("attacker's address not refused: %d", res.StatusCode)
	}
	// Colleagues behind the attacker's school address are not locked out of their own accounts.
	other := a.user("colleague@school.test", auth.RoleParticipant, nil)
	if res := signInFrom(a.client(), "203.0.113.66", other.Email, testPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("colleague on the same address: %d", res.StatusCode)
	}
	// The holder, elsewhere, signs in: slowed a little, not refused.
	holder := a.client()
	if res := signInFrom(holder, "198.51.100.20", u.Email, testPassword); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != "/home" {
		t.Fatalf("holder: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if len(*delays) == 0 || (*delays)[len(*delays)-1] <= 0 {
		t.Errorf("holder not slowed: %v", *delays)
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE to_address = $1 AND subject LIKE 'Someone is trying to sign in%'`, u.Email); n != 1 {
		t.Errorf("%d alert emails to the holder, want 1", n)
	}
}

func TestParallelWrongPasswordsAreCountedExactly(t *testing.T) {
	a := newTestApp(t)
	a.noSleeps()
	u := a.userFor(auth.RoleParticipant)
	form := url.Values{"email": {u.Email}, "password": {"not the password"}}.Encode()
	statuses := make(chan int, 30)
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			res, err := http.Post(a.ts.URL+"/sign-in", "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	checked := got[http.StatusUnprocessableEntity]
	if checked+got[http.StatusServiceUnavailable] != auth.MaxFailuresPerPair || got[http.StatusTooManyRequests] != 30-auth.MaxFailuresPerPair {
		t.Errorf("statuses %v: want %d checked and the rest refused", got, auth.MaxFailuresPerPair)
	}
	if n := a.count(`SELECT count(*) FROM sign_in_failures`); n != checked {
		t.Errorf("%d failures recorded for %d checked", n, checked)
	}
}

func TestPasswordHashingBusyAnswers503(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RoleParticipant)
	a.srv.users.Hashing = auth.NewHashLimiter(1, 10*time.Millisecond)
	held, done, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		a.srv.users.Hashing.Do(context.Background(), func() { close(held); <-done }) //nolint:errcheck
	}()
	<-held
	check := func(name string, res *testResponse) {
		t.Helper()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(res.text("main"), "Many people are signing in") {
			t.Errorf("%s: %d Retry-After %q %q", name, res.StatusCode, res.Header.Get("Retry-After"), res.text("main"))
		}
	}
	check("sign-in", a.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {testPassword}}))
	token, err := a.srv.users.Invite(context.Background(), auth.NewInvitation{Email: "new@school.test", Name: "New", Role: auth.RoleAssessor}, a.ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	check("invitation", a.client().post("/invitations/"+token, url.Values{"password": {testPassword}, "confirm": {testPassword}}))
	if n := a.count(`SELECT count(*) FROM users WHERE email = 'new@school.test'`) + a.count(`SELECT count(*) FROM sign_in_failures`); n != 0 {
		t.Errorf("busy requests changed %d rows", n)
	}
	close(done)
	<-finished
	if res := a.client().post("/invitations/"+token, url.Values{"password": {testPassword}, "confirm": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("invitation once free: %d", res.StatusCode)
	}
}
