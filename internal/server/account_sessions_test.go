package server

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"npq/internal/auth"
)

func TestEndedSessionIsSignedOutAtItsNextRequest(t *testing.T) {
	a := newTestApp(t)
	u := a.userFor(auth.RolePartnerStaff)
	laptop, phone := a.client(), a.client()
	laptop.signIn(u.Email, testPassword)
	phone.signIn(u.Email, testPassword)
	if n := a.count(`SELECT count(*) FROM account_sessions WHERE user_id = $1 AND ended_at IS NULL`, u.ID); n != 2 {
		t.Fatalf("%d live sessions, want 2", n)
	}
	var keep int64
	if err := a.pool.QueryRow(context.Background(), `SELECT min(id) FROM account_sessions WHERE user_id = $1`, u.ID).Scan(&keep); err != nil {
		t.Fatal(err)
	}
	if n, err := (auth.Store{DB: a.pool}).EndSessions(context.Background(), u.ID, keep, auth.EndedPasswordChanged, a.now()); err != nil || n != 1 {
		t.Fatalf("ended %d, %v", n, err)
	}
	if res := laptop.get("/partner"); res.StatusCode != http.StatusOK {
		t.Errorf("kept session: %d", res.StatusCode)
	}
	res := phone.get("/partner")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?next=%2Fpartner" {
		t.Errorf("ended session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// It stays signed out: the ended key is dropped from its browser's session.
	if res := phone.get("/partner"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("ended session, second request: %d", res.StatusCode)
	}
}

func TestSessionWithoutARegistryEntryIsSignedOut(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleAssessor)
	if _, err := a.pool.Exec(context.Background(), `DELETE FROM account_sessions WHERE user_id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/marking"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("status %d, want a redirect to sign in", res.StatusCode)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	c.post("/sign-out", url.Values{})
	if n := a.count(`SELECT count(*) FROM account_sessions WHERE user_id = $1 AND ended_reason = 'signed_out'`, u.ID); n != 1 {
		t.Errorf("%d sessions ended by signing out, want 1", n)
	}
}

func TestSessionLastSeenIsWrittenAtMostOnceAMinute(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleAssessor)
	start := a.now()
	lastSeen := func() time.Time {
		var at time.Time
		if err := a.pool.QueryRow(context.Background(), `SELECT last_seen_at FROM account_sessions WHERE user_id = $1`, u.ID).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	a.clock.Set(start.Add(30 * time.Second))
	c.get("/marking")
	if !lastSeen().Equal(start.Truncate(time.Microsecond)) {
		t.Errorf("last seen moved within a minute: %s", lastSeen())
	}
	a.clock.Set(start.Add(2 * time.Minute))
	c.get("/marking")
	if got := lastSeen(); !got.Equal(start.Add(2 * time.Minute).Truncate(time.Microsecond)) {
		t.Errorf("last seen %s, want %s", got, start.Add(2*time.Minute))
	}
}
