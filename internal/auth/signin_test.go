package auth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/testdb"
)

func TestThrottleSignIn(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		f    auth.SignInFailures
		want auth.SignInVerdict
	}{
		{"first attempt", auth.SignInFailures{}, auth.SignInVerdict{}},
		{"a few typos", auth.SignInFailures{Pair: 3, Address: 3, Account: 3}, auth.SignInVerdict{}},
		{"alert on the failure that reaches the threshold", auth.SignInFailures{Pair: 4, Address: 4, Account: 4},
			auth.SignInVerdict{Alert: true}},
		{"pair hammering is refused", auth.SignInFailures{Pair: 5, Address: 5, Account: 5}, auth.SignInVerdict{Refuse: true}},
		{"pair refused whatever else", auth.SignInFailures{Pair: 9, Address: 9, Account: 0}, auth.SignInVerdict{Refuse: true}},
		{"shared school address with many typos", auth.SignInFailures{Pair: 1, Address: 60, Account: 1}, auth.SignInVerdict{}},
		{"spraying address is refused", auth.SignInFailures{Pair: 0, Address: 100, Account: 0}, auth.SignInVerdict{Refuse: true}},
		{"account attacked elsewhere: slowed from a fresh address", auth.SignInFailures{Account: 5},
			auth.SignInVerdict{Delay: 250 * ms, Alert: true}},
		{"delay grows", auth.SignInFailures{Account: 6}, auth.SignInVerdict{Delay: 500 * ms, Alert: true}},
		{"delay grows more", auth.SignInFailures{Pair: 2, Address: 2, Account: 8}, auth.SignInVerdict{Delay: 2000 * ms, Alert: true}},
		{"delay is bounded", auth.SignInFailures{Account: 9}, auth.SignInVerdict{Delay: auth.MaxSignInDelay, Alert: true}},
		{"delay stays bounded", auth.SignInFailures{Account: 1000}, auth.SignInVerdict{Delay: auth.MaxSignInDelay, Alert: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.ThrottleSignIn(tt.f); got != tt.want {
				t.Errorf("ThrottleSignIn(%+v) = %+v, want %+v", tt.f, got, tt.want)
			}
		})
	}
}

// sleeps records the delays Authenticate asks for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) last() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.d) == 0 {
		return -1
	}
	return s.d[len(s.d)-1]
}

const (
	goodPassword = "correct horse battery staple"
	badPassword  = "wrong password!"
)

func newSignInStore(t *testing.T) (auth.Store, *sleeps) {
	t.Helper()
	sl := &sleeps{}
	s := auth.Store{DB: testdb.New(t), Sleep: sl.sleep}
	if _, err := s.UpsertUser(context.Background(), "pam@school.test", "Pam", auth.RoleParticipant, nil, goodPassword); err != nil {
		t.Fatal(err)
	}
	return s, sl
}

func countRows(t *testing.T, s auth.Store, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAuthenticateThrottlesTheAttackerNotTheHolder(t *testing.T) {
	ctx := context.Background()
	s, sl := newSignInStore(t)
	// Email is matched case-insensitively.
	if _, err := s.Authenticate(ctx, " PAM@school.test", goodPassword, "10.0.0.1"); err != nil {
		t.Fatalf("good sign-in: %v", err)
	}
	for i := range auth.MaxFailuresPerPair {
		if _, err := s.Authenticate(ctx, "pam@school.test", badPassword, "10.0.0.2"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// The address that kept failing is refused, even with the right password.
	for _, pw := range []string{badPassword, goodPassword} {
		if _, err := s.Authenticate(ctx, "pam@school.test", pw, "10.0.0.2"); !errors.Is(err, auth.ErrRateLimited) {
			t.Fatalf("hammering address: %v", err)
		}
	}
	// The holder elsewhere still signs in, slowed down a little.
	if u, err := s.Authenticate(ctx, "pam@school.test", goodPassword, "10.0.0.3"); err != nil || u.Email != "pam@school.test" {
		t.Fatalf("holder from a fresh address: %v", err)
	}
	if d := sl.last(); d <= 0 || d > auth.MaxSignInDelay {
		t.Errorf("holder's attempt delayed %v", d)
	}
	// Their success does not wipe the attacker's record.
	if _, err := s.Authenticate(ctx, "pam@school.test", goodPassword, "10.0.0.2"); !errors.Is(err, auth.ErrRateLimited) {
		t.Errorf("attacker after the holder signed in: %v", err)
	}
	// Attempts from many addresses are slowed more and more, up to the bound, never refused.
	var prev time.Duration
	for i := range 8 {
		if _, err := s.Authenticate(ctx, "pam@school.test", badPassword, fmt.Sprintf("10.0.1.%d", i)); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("distributed attempt %d: %v", i, err)
		}
		d := sl.last()
		if d < prev || d > auth.MaxSignInDelay {
			t.Errorf("attempt %d delayed %v after %v", i, d, prev)
		}
		prev = d
	}
	if prev != auth.MaxSignInDelay {
		t.Errorf("delay reached %v, want %v", prev, auth.MaxSignInDelay)
	}
	if _, err := s.Authenticate(ctx, "pam@school.test", goodPassword, "10.0.2.1"); err != nil {
		t.Errorf("holder during a distributed attack: %v", err)
	}
	// The holder was told once, not on every failure.
	if n := countRows(t, s, `SELECT count(*) FROM outbox WHERE to_address = 'pam@school.test' AND subject LIKE '%sign in%'`); n != 1 {
		t.Errorf("%d alert emails, want 1", n)
	}
	// Once the window has passed, another attack brings another email.
	if _, err := s.DB.Exec(ctx, `UPDATE sign_in_alerts SET sent_at = sent_at - interval '16 minutes'`); err != nil {
		t.Fatal(err)
	}
	s.Authenticate(ctx, "pam@school.test", badPassword, "10.0.3.1") //nolint:errcheck
	if n := countRows(t, s, `SELECT count(*) FROM outbox WHERE to_address = 'pam@school.test'`); n != 2 {
		t.Errorf("%d alert emails after the window, want 2", n)
	}
}

func TestAuthenticateSharedAddressAndSpraying(t *testing.T) {
	ctx := context.Background()
	s, _ := newSignInStore(t)
	// Twenty colleagues behind one school address mistype their passwords.
	for i := range 20 {
		s.Authenticate(ctx, fmt.Sprintf("teacher%d@school.test", i), badPassword, "192.0.2.10") //nolint:errcheck
	}
	if _, err := s.Authenticate(ctx, "pam@school.test", goodPassword, "192.0.2.10"); err != nil {
		t.Fatalf("colleague behind the same address: %v", err)
	}
	// An address trying guesses across many accounts is refused.
	for i := 20; i < auth.MaxFailuresPerAddress; i++ {
		if _, err := s.Authenticate(ctx, fmt.Sprintf("teacher%d@school.test", i), badPassword, "192.0.2.10"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := s.Authenticate(ctx, "pam@school.test", goodPassword, "192.0.2.10"); !errors.Is(err, auth.ErrRateLimited) {
		t.Fatalf("spraying address: %v", err)
	}
	if _, err := s.Authenticate(ctx, "pam@school.test", goodPassword, "192.0.2.11"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func TestAuthenticateTreatsUnknownEmailsLikeKnownOnes(t *testing.T) {
	ctx := context.Background()
	s, sl := newSignInStore(t)
	run := func(email, network string) ([]string, []time.Duration) {
		sl.mu.Lock()
		sl.d = nil
		sl.mu.Unlock()
		var results []string
		for i := range 9 {
			ip := fmt.Sprintf("%s.%d", network, i%3)
			_, err := s.Authenticate(ctx, email, badPassword, ip)
			results = append(results, fmt.Sprint(err))
		}
		sl.mu.Lock()
		defer sl.mu.Unlock()
		return results, append([]time.Duration(nil), sl.d...)
	}
	knownErrs, knownSleeps := run("pam@school.test", "10.9.1")
	unknownErrs, unknownSleeps := run("pat@school.test", "10.9.2")
	if fmt.Sprint(knownErrs) != fmt.Sprint(unknownErrs) || fmt.Sprint(knownSleeps) != fmt.Sprint(unknownSleeps) {
		t.Errorf("known: %v %v\nunknown: %v %v", knownErrs, knownSleeps, unknownErrs, unknownSleeps)
	}
	if n := countRows(t, s, `SELECT count(*) FROM outbox WHERE to_address = 'pat@school.test'`); n != 0 {
		t.Errorf("%d emails to an address with no account", n)
	}
}

func TestAuthenticateCountsParallelAttemptsExactly(t *testing.T) {
	ctx := context.Background()
	s, _ := newSignInStore(t)
	var wg sync.WaitGroup
	var checked, refused, other atomic.Int32
	for range 30 {
		wg.Go(func() {
			_, err := s.Authenticate(ctx, "pam@school.test", badPassword, "10.0.0.2")
			switch {
			case errors.Is(err, auth.ErrBadCredentials):
				checked.Add(1)
			case errors.Is(err, auth.ErrRateLimited):
				refused.Add(1)
			default:
				other.Add(1)
				t.Errorf("unexpected: %v", err)
			}
		})
	}
	wg.Wait()
	if checked.Load() != auth.MaxFailuresPerPair || refused.Load() != 30-auth.MaxFailuresPerPair {
		t.Errorf("checked %d, refused %d, other %d; want %d checked", checked.Load(), refused.Load(), other.Load(), auth.MaxFailuresPerPair)
	}
	if n := countRows(t, s, `SELECT count(*) FROM sign_in_failures`); n != auth.MaxFailuresPerPair {
		t.Errorf("%d failures recorded, want %d", n, auth.MaxFailuresPerPair)
	}
}

func TestAuthenticateWhenHashingIsBusy(t *testing.T) {
	ctx := context.Background()
	s, _ := newSignInStore(t)
	s.Hashing = auth.NewHashLimiter(1, 20*time.Millisecond)
	release := occupy(t, s.Hashing)
	defer release()
	if _, err := s.Authenticate(ctx, "pam@school.test", badPassword, "10.0.0.2"); !errors.Is(err, auth.ErrBusy) {
		t.Fatalf("busy: %v", err)
	}
	// Nothing was checked, so nothing counts against anyone.
	if n := countRows(t, s, `SELECT count(*) FROM sign_in_failures`); n != 0 {
		t.Errorf("%d failures recorded while busy", n)
	}
	token, err := s.Invite(ctx, auth.NewInvitation{Email: "new@school.test", Name: "New", Role: auth.RoleAssessor}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptInvitation(ctx, token, goodPassword); !errors.Is(err, auth.ErrBusy) {
		t.Fatalf("accepting while busy: %v", err)
	}
	if _, state, _ := s.InvitationByToken(ctx, token, time.Now()); state != auth.InvitationUsable {
		t.Errorf("invitation state %v after a busy refusal", state)
	}
	release()
	if _, err := s.AcceptInvitation(ctx, token, goodPassword); err != nil {
		t.Fatalf("accepting once free: %v", err)
	}
}

// occupy holds every slot of l until release is called.
func occupy(t *testing.T, l *auth.HashLimiter) (release func()) {
	t.Helper()
	held, done, finished := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		l.Do(context.Background(), func() { close(held); <-done }) //nolint:errcheck
	}()
	<-held
	var once sync.Once
	return func() { once.Do(func() { close(done); <-finished }) }
}

func TestHashLimiterBoundsConcurrency(t *testing.T) {
	l := auth.NewHashLimiter(3, time.Minute)
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			err := l.Do(context.Background(), func() {
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most.Load() != 3 {
		t.Errorf("at most %d ran at once, want 3", most.Load())
	}
	// A full limiter turns callers away after its wait, or when they give up.
	l = auth.NewHashLimiter(1, 10*time.Millisecond)
	release := occupy(t, l)
	if err := l.Do(context.Background(), func() { t.Error("ran while full") }); !errors.Is(err, auth.ErrBusy) {
		t.Errorf("full limiter: %v", err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Do(cancelled, func() { t.Error("ran after cancel") }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	release()
	ran := false
	if err := l.Do(context.Background(), func() { ran = true }); err != nil || !ran {
		t.Errorf("free limiter: %v %v", err, ran)
	}
}
