package server

import (
	"context"
	"reflect"
	"time"

	"github.com/alexedwards/scs/v2"

	"npq/internal/auth"
)

// sessionTouchEvery is how stale a stored session's expiry may grow before an unchanged
// session is saved again: a signed-in request writes the session at most once a minute, and an
// idle session lapses at most this much before its idle timeout.
const sessionTouchEvery = time.Minute

type sessionLoadKey struct{}

// sessionLoad is what the session store read for one request: the stored session with its
// user, so loadUser need not read the user again, and what was stored, so an unchanged
// session is not written back on every request.
type sessionLoad struct {
	ip  string
	now time.Time
	// found is set once a stored session was read (or saved) under token.
	found   bool
	token   string
	session auth.BrowserSession
}

// sessionStore keeps browser sessions in PostgreSQL for scs. It reads a session together with
// its account session and user in one query, and skips saving a session whose data has not
// changed while its stored expiry is less than sessionTouchEvery old. Lapsed sessions are
// deleted by the account-records job (auth.PruneAccountRecords).
type sessionStore struct {
	users auth.Store
	codec scs.Codec
}

// newSessionStore returns a store for the session manager whose codec is codec.
func newSessionStore(users auth.Store, codec scs.Codec) *sessionStore {
	return &sessionStore{users: users, codec: codec}
}

// FindCtx reads a stored session, keeping it and its user for the rest of the request.
func (st *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	load, _ := ctx.Value(sessionLoadKey{}).(*sessionLoad)
	ip, now := "", time.Now()
	if load != nil {
		ip, now = load.ip, load.now
	}
	b, found, err := st.users.BrowserSession(ctx, token, ip, now)
	if err != nil || !found {
		return nil, false, err
	}
	if load != nil {
		load.found, load.token, load.session = true, token, b
	}
	return b.Data, true, nil
}

// CommitCtx saves a session, unless it is the one read for this request, unchanged, and its
// stored expiry is fresh enough.
func (st *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	load, _ := ctx.Value(sessionLoadKey{}).(*sessionLoad)
	if load != nil && load.found && load.token == token && !sessionSaveNeeded(st.codec, load.session.Data, load.session.Expiry, b, expiry) {
		return nil
	}
	_, values, err := st.codec.Decode(b)
	if err != nil {
		return err
	}
	key, _ := values["session_key"].(string)
	if err := st.users.SaveBrowserSession(ctx, token, b, expiry, key); err != nil {
		return err
	}
	if load != nil {
		load.found, load.token, load.session.Data, load.session.Expiry = true, token, b, expiry
	}
	return nil
}

// DeleteCtx deletes a stored session.
func (st *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return st.users.DeleteBrowserSession(ctx, token)
}

// AllCtx returns every stored session that has not lapsed.
func (st *sessionStore) AllCtx(ctx context.Context) (map[string][]byte, error) {
	return st.users.BrowserSessions(ctx)
}

// Find is FindCtx without a context.
func (st *sessionStore) Find(token string) ([]byte, bool, error) {
	return st.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a context.
func (st *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return st.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a context.
func (st *sessionStore) Delete(token string) error { return st.DeleteCtx(context.Background(), token) }

// All is AllCtx without a context.
func (st *sessionStore) All() (map[string][]byte, error) { return st.AllCtx(context.Background()) }

// sessionSaveNeeded reports whether a session about to be saved with data until expiry must be
// written over the stored copy: when its values or deadline changed, or when the stored expiry
// is sessionTouchEvery or more behind, so that idle expiry stays within a minute of honest.
// Encodings are compared decoded, as the same values may encode in a different order.
func sessionSaveNeeded(codec scs.Codec, stored []byte, storedExpiry time.Time, data []byte, expiry time.Time) bool {
	if expiry.Sub(storedExpiry) >= sessionTouchEvery {
		return true
	}
	if string(stored) == string(data) {
		return false
	}
	d1, v1, err1 := codec.Decode(stored)
	d2, v2, err2 := codec.Decode(data)
	return err1 != nil || err2 != nil || !d1.Equal(d2) || !reflect.DeepEqual(v1, v2)
}
