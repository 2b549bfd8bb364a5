package events

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// SubscribeLinks are the ways to add a calendar address to a calendar app in one click.
type SubscribeLinks struct {
	Webcal string // opens the device's calendar app (Apple Calendar, Outlook)
	Google string // adds it to Google Calendar, which does not open webcal links itself
}

// Subscribe makes one-click subscribe links for a feed's https (or http) address. webcal is
// the same address under the scheme calendar apps register for.
func Subscribe(feedURL string) SubscribeLinks {
	rest, ok := strings.CutPrefix(feedURL, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(feedURL, "http://"); !ok {
			return SubscribeLinks{}
		}
	}
	webcal := "webcal://" + rest
	return SubscribeLinks{Webcal: webcal, Google: "https://calendar.google.com/calendar/r?cid=" + url.QueryEscape(webcal)}
}

// FeedMadeAt says when the participant's calendar address was made, or nil if they have none.
// Only a hash of the address's token is kept, so it cannot be shown again.
func (s Store) FeedMadeAt(ctx context.Context, userID int64) (*time.Time, error) {
	var made time.Time
	err := s.DB.QueryRow(ctx, `SELECT created_at FROM calendar_feeds WHERE user_id = $1`, userID).Scan(&made)
	if database.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("events: feed of %d: %w", userID, err)
	}
	return &made, nil
}

// NewFeedToken makes a participant a new calendar feed token, replacing any earlier one (whose
// address stops working). It returns the token to show once; only its hash is stored.
func (s Store) NewFeedToken(ctx context.Context, userID int64) (string, error) {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	token := base64.RawURLEncoding.EncodeToString(b)
	if _, err := s.DB.Exec(ctx, `INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`, userID, feedTokenHash(token)); err != nil {
		return "", fmt.Errorf("events: new feed token %d: %w", userID, err)
	}
	return token, nil
}

func feedTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Feed builds the calendar for a feed token: the participant's bookings and waiting-list
// places, and cancellations from the last 60 days so calendar apps remove them.
// It returns database.ErrNotFound for an unknown token or a deactivated account.
func (s Store) Feed(ctx context.Context, token string, now time.Time) (string, error) {
	var userID int64
	var name string
	err := s.DB.QueryRow(ctx, `SELECT f.user_id, u.name FROM calendar_feeds f JOIN users u ON u.id = f.user_id
		WHERE f.token_hash = $1 AND u.deactivated_at IS NULL`, feedTokenHash(token)).Scan(&userID, &name)
	if database.IsNoRows(err) {
		return "", database.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("events: feed: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+eventColumns+`, mine.id, mine.status, mine.sequence, mine.updated_at `+eventFrom+`
		JOIN bookings mine ON mine.event_id = e.id JOIN enrolments n ON n.id = mine.enrolment_id
		WHERE n.user_id = $1 AND (mine.status IN ('booked', 'waiting') OR mine.updated_at > $2::timestamptz - interval '60 days')
		ORDER BY e.starts_at, mine.id`, userID, now)
	if err != nil {
		return "", fmt.Errorf("events: feed %d: %w", userID, err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CalendarEntry, error) {
		var en CalendarEntry
		var err error
		en.Event, err = scanEvent(r, &en.BookingID, &en.Status, &en.Sequence, &en.UpdatedAt)
		en.ShowJoinLink = true
		en.EventsPageURL = s.eventURL(en.Event)
		return en, err
	})
	if err != nil {
		return "", err
	}
	return Calendar("NPQ events – "+name, entries, ics.MethodPublish, now), nil
}
