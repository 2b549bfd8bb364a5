package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"npq/internal/auth"
)

func TestSessionSaveNeeded(t *testing.T) {
	codec := scs.GobCodec{}
	deadline := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	encode := func(deadline time.Time, values map[string]any) []byte {
		b, err := codec.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	values := map[string]any{"user_id": int64(7), "session_key": "k", "session_version": 1}
	stored := encode(deadline, values)
	expiry := deadline.Add(-8 * time.Hour)
	for _, tc := range []struct {
		name   string
		data   []byte
		expiry time.Time
		want   bool
	}{
		{"unchanged, same expiry", stored, expiry, false},
		{"unchanged, expiry 59 seconds on", stored, expiry.Add(59 * time.Second), false},
		{"unchanged, expiry a minute on", stored, expiry.Add(time.Minute), true},
		{"unchanged, expiry an hour on", stored, expiry.Add(time.Hour), true},
		{"same values encoded again", encode(deadline, map[string]any{"session_version": 1, "session_key": "k", "user_id": int64(7)}), expiry, false},
		{"a value added", encode(deadline, map[string]any{"user_id": int64(7), "session_key": "k", "session_version": 1, "flash": "Saved"}), expiry, true},
		{"a value removed", encode(deadline, map[string]any{"user_id": int64(7), "session_version": 1}), expiry, true},
		{"a value changed", encode(deadline, map[string]any{"user_id": int64(8), "session_key": "k", "session_version": 1}), expiry, true},
		{"a new deadline", encode(deadline.Add(time.Hour), values), expiry, true},
		{"unreadable", []byte("not gob"), expiry, true},
	} {
		if got := sessionSaveNeeded(codec, stored, expiry, tc.data, tc.expiry); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// storedExpiry is the expiry of the one stored session of a user.
func (a *testApp) storedExpiry(u auth.User) time.Time {
	a.t.Helper()
	var at time.Time
	if err := a.pool.QueryRow(context.Background(), `SELECT s.expiry FROM sessions s
		JOIN account_sessions x ON x.key_hash = s.account_key_hash WHERE x.user_id = $1`, u.ID).Scan(&at); err != nil {
		a.t.Fatal(err)
	}
	return at
}

// moveStoredExpiry moves a user's stored session expiry by d.
func (a *testApp) moveStoredExpiry(u auth.User, d time.Duration) {
	a.t.Helper()
	if _, err := a.pool.Exec(context.Background(), `UPDATE sessions s SET expiry = s.expiry + make_interval(secs => $2)
		FROM account_sessions x WHERE x.key_hash = s.account_key_hash AND x.user_id = $1`, u.ID, d.Seconds()); err != nil {
		a.t.Fatal(err)
	}
}

// A signed-in page reads the session, its account session and the user in one query, and does
// not write the session back while its stored expiry is less than a minute old.
func TestSignedInRequestReadsTheSessionOnceAndWritesNothing(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	before := a.storedExpiry(u)
	a.queries.Reset()
	if res := c.get("/account/name"); res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	n, trace := a.queries.Count()
	if n != 1 {
		t.Errorf("%d queries, want 1 (the session with its user):\n%v", n, trace)
	}
	if after := a.storedExpiry(u); !after.Equal(before) {
		t.Errorf("session written: expiry %s, was %s", after, before)
	}
}

// An unchanged session is saved again once its stored expiry is a minute or more old, so a
// session in use stays alive past the idle timeout of its first request.
func TestSessionInUseStaysAlive(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	// Nearly idle for the whole timeout: 30 seconds left.
	a.moveStoredExpiry(u, -(auth.SessionIdleTimeout - 30*time.Second))
	if res := c.get("/account/name"); res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want the page", res.StatusCode)
	}
	if left := time.Until(a.storedExpiry(u)); left < auth.SessionIdleTimeout-time.Minute {
		t.Errorf("session touched to %s from now, want about %s", left, auth.SessionIdleTimeout)
	}
	if res := c.get("/account/name"); res.StatusCode != http.StatusOK {
		t.Errorf("status %d after the touch, want the page", res.StatusCode)
	}
}

// A session idle for longer than the idle timeout is refused.
func TestSessionIdleTooLongIsSignedOut(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	a.moveStoredExpiry(u, -(auth.SessionIdleTimeout + time.Second))
	res := c.get("/account/name")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Faccount%2Fname" {
		t.Errorf("idle session: %d %s, want a redirect to sign in", res.StatusCode, res.Header.Get("Location"))
	}
}

// A change to the session (a message for the next page) is saved at once.
func TestChangedSessionIsSaved(t *testing.T) {
	a := newTestApp(t)
	c, _ := a.signedIn(auth.RoleParticipant)
	res := c.post("/sign-out", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if got := c.get("/sign-in").text(".govuk-notification-banner"); got == "" {
		t.Errorf("no message after signing out: the changed session was not saved")
	}
	if res := c.get("/home"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("still signed in after signing out: %d", res.StatusCode)
	}
}

// A session saved before stored sessions named their account session still works, reading
// the user with a second query.
func TestUnlinkedSessionStillSignsIn(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RolePartnerStaff)
	if _, err := a.pool.Exec(context.Background(), `UPDATE sessions SET account_key_hash = NULL`); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/account/name"); res.StatusCode != http.StatusOK {
		t.Errorf("status %d, want the page", res.StatusCode)
	}
	if _, err := (auth.Store{DB: a.pool}).EndSessions(context.Background(), u.ID, 0, auth.EndedPasswordChanged, a.now()); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/account/name"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("ended unlinked session: status %d, want a redirect to sign in", res.StatusCode)
	}
}

// Two instances of the app on one database share sessions: signed in on one, signed in on
// the other; signed out on the other, signed out on the first.
func TestSessionsWorkAcrossTwoInstances(t *testing.T) {
	a := newTestApp(t)
	second := httptest.NewUnstartedServer(nil)
	second.Start()
	srv := New(a.srv.cfg, a.pool, slog.New(slog.NewTextHandler(io.Discard, nil)), WithClock(a.clock.Now))
	second.Config.Handler = srv
	t.Cleanup(func() { second.Close(); srv.Close() })
	c, _ := a.signedIn(auth.RolePartnerStaff)
	// The jar sends the cookie to both: they share a host and differ only in port.
	get := func(base, path string) *testResponse {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		return c.do(req)
	}
	if res := get(second.URL, "/account/name"); res.StatusCode != http.StatusOK {
		t.Fatalf("second instance: status %d, want the page", res.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, second.URL+"/sign-out", strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", second.URL)
	if res := c.do(req); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out on the second instance: %d", res.StatusCode)
	}
	if res := get(a.ts.URL, "/account/name"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("first instance after signing out on the second: status %d, want a redirect to sign in", res.StatusCode)
	}
}
