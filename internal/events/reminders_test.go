package events_test

import (
	"context"
	"testing"
	"time"
)

// A booking made weeks ago on an event that now starts within a day (the reminder job was not
// running, or the event moved closer) gets the "Tomorrow" reminder only: "In a week" is stale.
func TestOnlyTheReminderStillDueIsSent(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	ev := f.event(t, f.item, 10, 9, new(5))
	if _, err := f.s.Book(ctx, f.enrolments[0], ev, 0, f.now); err != nil {
		t.Fatal(err)
	}
	start := f.now.Add(12 * time.Hour)
	if _, err := f.pool.Exec(ctx, `UPDATE events SET starts_at = $2, ends_at = $2::timestamptz + interval '2 hours', booking_opens_at = $2::timestamptz - interval '30 days',
		booking_closes_at = $2::timestamptz - interval '1 hour', cancellation_cutoff = $2::timestamptz - interval '1 day' WHERE id = $1`, ev, start); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE bookings SET created_at = $1::timestamptz - interval '20 days'`, f.now); err != nil {
		t.Fatal(err)
	}
	sent, err := f.s.SendDueReminders(ctx, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if sent != 1 {
		t.Errorf("%d reminders sent", sent)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'In a week:%'`); n != 0 {
		t.Errorf("%d stale 7-day reminders", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE subject LIKE 'Tomorrow:%'`); n != 1 {
		t.Errorf("%d 1-day reminders", n)
	}
	// Running again sends nothing more.
	if sent, _ := f.s.SendDueReminders(ctx, f.now.Add(time.Hour)); sent != 0 {
		t.Errorf("%d more reminders on the next run", sent)
	}
}
