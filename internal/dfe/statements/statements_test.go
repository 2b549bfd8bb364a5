package statements

import (
	"context"
	"testing"
	"time"

	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/testdb"
)

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

func TestSyncCopiesTheCalendarAndReadsOnlyChanges(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	fake, url := dfetest.Start(t)
	clock := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	fake.SetClock(func() time.Time { return clock })
	client := dfetest.Client(t, url)
	for _, m := range []string{"2026-11", "2026-12", "2027-01"} {
		month, _ := time.Parse("2006-01", m)
		cut := month.AddDate(0, 1, -1)
		fake.AddStatement(dfefake.Statement{Cohort: "2026", Month: month.Format("January"), Year: month.Format("2006"),
			CutOff: cut, PaymentDate: cut.AddDate(0, 0, 25)})
	}
	clock = clock.AddDate(0, 0, 1)
	res, err := Sync(ctx, db, client, clock)
	if err != nil || res.Read != 3 || !res.Since.IsZero() {
		t.Fatalf("first sync %+v %v", res, err)
	}
	cal, synced, err := (Store{DB: db}).Calendar(ctx, day("2026-11-01"))
	if err != nil || len(cal) != 3 || !synced.Equal(clock) {
		t.Fatalf("calendar %+v synced %v %v", cal, synced, err)
	}
	if s := cal[0]; s.Name() != "November 2026" || !s.CutOff.Equal(day("2026-11-30")) || !s.PaymentDate.Equal(day("2026-12-25")) || s.Cohort != "2026" {
		t.Errorf("first statement %+v", s)
	}

	// A day later only what changed is read: a statement DfE added.
	clock = clock.Add(12 * time.Hour)
	fake.AddStatement(dfefake.Statement{Cohort: "2026", Month: "February", Year: "2027", CutOff: day("2027-02-28"), PaymentDate: day("2027-03-25")})
	clock = clock.Add(12 * time.Hour)
	res, err = Sync(ctx, db, client, clock)
	if err != nil || res.Read != 1 || !res.Since.Equal(clock.AddDate(0, 0, -1).Add(-2*Window)) {
		t.Fatalf("second sync %+v %v", res, err)
	}
	// A week after the first, every statement is read again.
	clock = clock.AddDate(0, 0, 7)
	if res, err = Sync(ctx, db, client, clock); err != nil || res.Read != 4 || !res.Since.IsZero() {
		t.Fatalf("weekly full sync %+v %v", res, err)
	}
	if cal, _, _ = (Store{DB: db}).Calendar(ctx, day("2026-12-01")); len(cal) != 4 {
		t.Errorf("%d statements paid from December", len(cal))
	}
	// A statement DfE has not given a payment date yet is listed by its cut-off.
	fake.AddStatement(dfefake.Statement{Cohort: "2026", Month: "March", Year: "2027", CutOff: day("2027-03-31")})
	clock = clock.Add(time.Hour)
	if _, err := Sync(ctx, db, client, clock); err != nil {
		t.Fatal(err)
	}
	cal, _, _ = (Store{DB: db}).Calendar(ctx, day("2026-12-01"))
	if last := cal[len(cal)-1]; len(cal) != 5 || last.Name() != "March 2027" || !last.PaymentDate.IsZero() {
		t.Errorf("%d statements; the last %+v", len(cal), last)
	}
}
