package scope_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"npq/internal/assessment"
	"npq/internal/database"
	"npq/internal/demo"
	"npq/internal/events"
	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/internal/records"
	"npq/internal/scope"
	"npq/internal/testdb"
)

// seen is one record a scoped read returned: the delivery partner it belongs to, and the
// participant it is about (0 for records that are not one participant's).
type seen struct {
	partner int64
	user    int64
}

// Every scoped store read, run with each kind of scope on the demo data: the zero scope sees
// nothing, a partner's staff see only their partner's records, a participant only their own,
// an assessor none of these, and an admin all of them.
func TestScopedStoreReads(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	ids := func(sql string, args ...any) []int64 {
		t.Helper()
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	one := func(sql string, args ...any) int64 {
		t.Helper()
		list := ids(sql, args...)
		if len(list) != 1 {
			t.Fatalf("%s: %d rows", sql, len(list))
		}
		return list[0]
	}
	partnerA := one(`SELECT delivery_partner_id FROM users WHERE email = 'partner@demo.test'`)
	partnerB := one(`SELECT delivery_partner_id FROM users WHERE email = 'partner2@demo.test'`)
	assessor := one(`SELECT id FROM users WHERE email = 'assessor@demo.test'`)
	admin := one(`SELECT id FROM users WHERE email = 'admin@demo.test'`)
	ev := events.Store{DB: pool, BaseURL: "http://npq.test"}
	pr := programme.Store{DB: pool}
	lc := lifecycle.Store{DB: pool, BaseURL: "http://npq.test"}
	rs := records.Store{DB: pool}
	now := time.Now()

	// Partner B gets a full event with a booking, a past event, and a refused request with its letter, so that
	// every list has records of two partners.
	cohortB := one(`SELECT id FROM cohorts WHERE delivery_partner_id = $1 ORDER BY id LIMIT 1`, partnerB)
	enrolmentB := one(`SELECT id FROM enrolments WHERE cohort_id = $1 AND status = 'active' ORDER BY id LIMIT 1`, cohortB)
	itemB := one(`SELECT i.id FROM cohorts h JOIN blocks b ON b.course_id = h.course_id JOIN block_items i ON i.block_id = b.id
		WHERE h.id = $1 AND i.kind = 'webinar' AND i.required ORDER BY i.id LIMIT 1`, cohortB)
	start := now.AddDate(0, 0, 10)
	places := 1 // a full event, so the engagement page lists who has not booked
	eventB, err := ev.Create(ctx, events.NewEvent{ItemID: itemB, Title: "Partner B webinar", StartsAt: start, EndsAt: start.Add(time.Hour),
		JoiningLink: "https://meet.example.org/b", Capacity: &places, BookingOpensAt: now.Add(-time.Hour), BookingClosesAt: start.Add(-time.Hour),
		CancellationCutoff: start.Add(-time.Hour), CohortIDs: []int64{cohortB}}, scope.Partner(partnerB), partnerB, 0)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := ev.Book(ctx, enrolmentB, eventB, 0, now); err != nil || out != events.OutcomeBooked {
		t.Fatalf("booking at partner B: %s %v", out, err)
	}
	past := now.AddDate(0, 0, -10)
	if _, err := ev.Create(ctx, events.NewEvent{ItemID: itemB, Title: "Partner B's last webinar", StartsAt: past, EndsAt: past.Add(time.Hour),
		JoiningLink: "https://meet.example.org/b", BookingOpensAt: past.AddDate(0, 0, -10), BookingClosesAt: past.Add(-time.Hour),
		CancellationCutoff: past.Add(-time.Hour), CohortIDs: []int64{cohortB}}, scope.Partner(partnerB), partnerB, 0); err != nil {
		t.Fatal(err)
	}
	requestB, err := lc.Create(ctx, lifecycle.NewRequest{EnrolmentID: enrolmentB, Kind: lifecycle.KindWithdrawal, Reason: "personal-reason-other",
		StartsOn: programme.Today(now), Source: "email", DiscussedWithPartner: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lc.Decide(ctx, lifecycle.Decision{RequestID: requestB, Notes: "Talk to your tutor first", ActorID: admin, Now: now}); err != nil {
		t.Fatal(err)
	}
	// The participant whose own records are checked has a request and a letter.
	participant := one(`SELECT e.user_id FROM letters l JOIN enrolments e ON e.id = l.enrolment_id ORDER BY l.id LIMIT 1`)

	eventIDs := ids(`SELECT id FROM events ORDER BY id`)
	eventPartner := map[int64]int64{}
	for _, id := range eventIDs {
		eventPartner[id] = one(`SELECT delivery_partner_id FROM events WHERE id = $1`, id)
	}
	type cohort struct{ id, partner int64 }
	var cohorts []cohort
	for _, id := range ids(`SELECT id FROM cohorts ORDER BY id`) {
		cohorts = append(cohorts, cohort{id, one(`SELECT delivery_partner_id FROM cohorts WHERE id = $1`, id)})
	}
	letterUser := func(enrolmentID int64) int64 {
		return one(`SELECT user_id FROM enrolments WHERE id = $1`, enrolmentID)
	}
	letterPartner := func(enrolmentID int64) int64 {
		return one(`SELECT h.delivery_partner_id FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.id = $1`, enrolmentID)
	}
	// byID runs a read of one record for every id, keeping the records it finds; any error but
	// not found fails the test.
	byID := func(t *testing.T, list []int64, read func(id int64) (seen, error)) []seen {
		var out []seen
		for _, id := range list {
			s, err := read(id)
			if errors.Is(err, database.ErrNotFound) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	// byIDs is byID for reads that find several records for one id.
	byIDs := func(t *testing.T, list []int64, read func(id int64) ([]seen, error)) []seen {
		var out []seen
		for _, id := range list {
			s, err := read(id)
			if errors.Is(err, database.ErrNotFound) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s...)
		}
		return out
	}
	reads := []struct {
		name string
		see  func(t *testing.T, sc scope.Scope) []seen
	}{
		{"events.Events upcoming", func(t *testing.T, sc scope.Scope) []seen {
			list, err := ev.Events(ctx, sc, events.Upcoming, now, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var out []seen
			for _, e := range list {
				out = append(out, seen{partner: e.PartnerID})
			}
			return out
		}},
		{"events.Events past", func(t *testing.T, sc scope.Scope) []seen {
			list, err := ev.Events(ctx, sc, events.Past, now, 1000)
			if err != nil {
				t.Fatal(err)
			}
			var out []seen
			for _, e := range list {
				out = append(out, seen{partner: e.PartnerID})
			}
			return out
		}},
		{"events.EventByID", func(t *testing.T, sc scope.Scope) []seen {
			return byID(t, eventIDs, func(id int64) (seen, error) {
				e, err := ev.EventByID(ctx, id, sc)
				return seen{partner: e.PartnerID}, err
			})
		}},
		{"events.Bookings", func(t *testing.T, sc scope.Scope) []seen {
			var out []seen
			for _, id := range eventIDs {
				list, err := ev.Bookings(ctx, id, sc)
				if err != nil {
					t.Fatal(err)
				}
				for range list {
					out = append(out, seen{partner: eventPartner[id]})
				}
			}
			return out
		}},
		{"events.EventHistory", func(t *testing.T, sc scope.Scope) []seen {
			var out []seen
			for _, id := range eventIDs {
				list, err := ev.EventHistory(ctx, id, sc, 1000)
				if err != nil {
					t.Fatal(err)
				}
				for range list {
					out = append(out, seen{partner: eventPartner[id]})
				}
			}
			return out
		}},
		{"programme.Cohorts", func(t *testing.T, sc scope.Scope) []seen {
			list, err := pr.Cohorts(ctx, sc)
			if err != nil {
				t.Fatal(err)
			}
			var out []seen
			for _, c := range list {
				out = append(out, seen{partner: c.PartnerID})
			}
			return out
		}},
		{"programme.CohortByID", func(t *testing.T, sc scope.Scope) []seen {
			return byID(t, ids(`SELECT id FROM cohorts ORDER BY id`), func(id int64) (seen, error) {
				c, err := pr.CohortByID(ctx, id, sc)
				return seen{partner: c.PartnerID}, err
			})
		}},
		{"programme.CohortBlocks", func(t *testing.T, sc scope.Scope) []seen {
			var out []seen
			for _, c := range cohorts {
				list, err := pr.CohortBlocks(ctx, c.id, sc)
				if err != nil {
					t.Fatal(err)
				}
				for range list {
					out = append(out, seen{partner: c.partner})
				}
			}
			return out
		}},
		{"programme.Roster", func(t *testing.T, sc scope.Scope) []seen {
			var out []seen
			for _, c := range cohorts {
				blocks, err := pr.CohortBlocks(ctx, c.id, scope.Admin())
				if err != nil {
					t.Fatal(err)
				}
				list, err := pr.Roster(ctx, c.id, sc, blocks, now)
				if err != nil {
					t.Fatal(err)
				}
				for range list {
					out = append(out, seen{partner: c.partner}) // a cohort's list, not one participant's record
				}
			}
			return out
		}},
		{"events.EngagementFor", func(t *testing.T, sc scope.Scope) []seen {
			var out []seen
			for _, c := range cohorts {
				en, err := ev.EngagementFor(ctx, c.id, sc, now)
				if err != nil {
					t.Fatal(err)
				}
				facts := en.Marked + len(en.NoShows) + len(en.Unbooked) + len(en.Enrolled)
				for _, u := range en.Unbooked {
					facts += len(u.People)
				}
				for range facts {
					out = append(out, seen{partner: c.partner})
				}
			}
			return out
		}},
		{"records.RecordFor", func(t *testing.T, sc scope.Scope) []seen {
			// Each enrolment shown, with everything listed under it, counts as its partner's.
			return byIDs(t, ids(`SELECT id FROM users WHERE role = 'participant' ORDER BY id`), func(id int64) ([]seen, error) {
				rec, err := rs.RecordFor(ctx, id, sc)
				var out []seen
				for _, e := range rec.Enrolments {
					for range 1 + len(e.History) + len(e.Blocks) + len(e.Bookings) + len(e.Requests) + len(e.Letters) + len(e.Submissions) {
						out = append(out, seen{partner: e.PartnerID})
					}
				}
				return out, err
			})
		}},
		{"lifecycle.RequestsFor", func(t *testing.T, sc scope.Scope) []seen {
			list, err := lc.RequestsFor(ctx, sc, 10000)
			if err != nil {
				t.Fatal(err)
			}
			var out []seen
			for _, r := range list {
				out = append(out, seen{partner: r.PartnerID, user: r.UserID})
			}
			return out
		}},
		{"lifecycle.RequestByID", func(t *testing.T, sc scope.Scope) []seen {
			return byID(t, ids(`SELECT id FROM status_requests ORDER BY id`), func(id int64) (seen, error) {
				r, err := lc.RequestByID(ctx, id, sc)
				return seen{partner: r.PartnerID, user: r.UserID}, err
			})
		}},
		{"lifecycle.LettersFor", func(t *testing.T, sc scope.Scope) []seen {
			list, err := lc.LettersFor(ctx, sc, 10000)
			if err != nil {
				t.Fatal(err)
			}
			var out []seen
			for _, l := range list {
				out = append(out, seen{partner: letterPartner(l.EnrolmentID), user: letterUser(l.EnrolmentID)})
			}
			return out
		}},
		{"lifecycle.LetterByID", func(t *testing.T, sc scope.Scope) []seen {
			return byID(t, ids(`SELECT id FROM letters ORDER BY id`), func(id int64) (seen, error) {
				l, err := lc.LetterByID(ctx, id, sc)
				if err != nil {
					return seen{}, err
				}
				return seen{partner: letterPartner(l.EnrolmentID), user: letterUser(l.EnrolmentID)}, nil
			})
		}},
	}
	count := func(list []seen, keep func(seen) bool) int {
		n := 0
		for _, s := range list {
			if keep(s) {
				n++
			}
		}
		return n
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			if got := r.see(t, scope.Scope{}); len(got) != 0 {
				t.Errorf("the zero scope sees %d records", len(got))
			}
			all := r.see(t, scope.Admin())
			ofA := count(all, func(s seen) bool { return s.partner == partnerA })
			ofB := count(all, func(s seen) bool { return s.partner == partnerB })
			if ofA == 0 || ofB == 0 {
				t.Fatalf("an admin sees %d records of partner A and %d of partner B: nothing to tell apart", ofA, ofB)
			}
			for _, p := range []int64{partnerA, partnerB} {
				got := r.see(t, scope.Partner(p))
				want := count(all, func(s seen) bool { return s.partner == p })
				if mine := count(got, func(s seen) bool { return s.partner == p }); mine != len(got) || len(got) != want {
					t.Errorf("partner %d sees %d records (%d its own), want its %d", p, len(got), mine, want)
				}
			}
			got := r.see(t, scope.Participant(participant))
			want := count(all, func(s seen) bool { return s.user == participant })
			if strings.HasPrefix(r.name, "lifecycle.") && want == 0 {
				t.Fatal("the participant has no requests or letters to see")
			}
			if own := count(got, func(s seen) bool { return s.user == participant }); own != len(got) || len(got) != want {
				t.Errorf("the participant sees %d records (%d their own), want their %d", len(got), own, want)
			}
			if got := r.see(t, scope.Assessor(assessor)); len(got) != 0 {
				t.Errorf("an assessor sees %d records", len(got))
			}
		})
	}

	t.Run("events.SessionItems", func(t *testing.T) {
		items := func(sc scope.Scope) map[int64]bool {
			list, err := ev.SessionItems(ctx, sc)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			for _, it := range list {
				out[it.ID] = true
			}
			return out
		}
		if got := items(scope.Scope{}); len(got) != 0 {
			t.Errorf("the zero scope sees %d items", len(got))
		}
		all := ids(`SELECT i.id FROM block_items i WHERE i.kind IN ('face_to_face', 'webinar', 'tutor_session', 'coaching')`)
		if got := items(scope.Admin()); len(got) != len(all) {
			t.Errorf("an admin sees %d of %d session items", len(got), len(all))
		}
		for _, p := range []int64{partnerA, partnerB} {
			// A partner's staff see the session items of the courses they run cohorts of.
			want := ids(`SELECT i.id FROM block_items i JOIN blocks b ON b.id = i.block_id
				WHERE i.kind IN ('face_to_face', 'webinar', 'tutor_session', 'coaching')
				  AND EXISTS (SELECT 1 FROM cohorts h WHERE h.course_id = b.course_id AND h.delivery_partner_id = $1)`, p)
			got := items(scope.Partner(p))
			if len(got) != len(want) || len(want) == len(all) {
				t.Errorf("partner %d sees %d session items, want %d of %d", p, len(got), len(want), len(all))
			}
			for _, id := range want {
				if !got[id] {
					t.Errorf("partner %d does not see item %d", p, id)
				}
			}
		}
		for _, sc := range []scope.Scope{scope.Participant(participant), scope.Assessor(assessor)} {
			if got := items(sc); len(got) != 0 {
				t.Errorf("%+v sees %d session items", sc, len(got))
			}
		}
	})

	t.Run("assessment.FileData", func(t *testing.T) {
		as := assessment.Store{DB: pool}
		files := ids(`SELECT id FROM submission_files WHERE removed_at IS NULL ORDER BY id`)
		if len(files) == 0 {
			t.Fatal("the demo data has no supporting documents")
		}
		visible := func(sc scope.Scope) map[int64]bool {
			out := map[int64]bool{}
			for _, id := range files {
				_, _, err := as.FileData(ctx, id, sc)
				switch {
				case err == nil:
					out[id] = true
				case !errors.Is(err, database.ErrNotFound):
					t.Fatal(err)
				}
			}
			return out
		}
		if got := visible(scope.Scope{}); len(got) != 0 {
			t.Errorf("the zero scope sees %d files", len(got))
		}
		if got := visible(scope.Admin()); len(got) != len(files) {
			t.Errorf("an admin sees %d of %d files", len(got), len(files))
		}
		if got := visible(scope.Partner(partnerA)); len(got) != 0 {
			t.Errorf("partner staff see %d files", len(got))
		}
		author := one(`SELECT e.user_id FROM submission_files f JOIN submissions s ON s.id = f.submission_id
			JOIN enrolments e ON e.id = s.enrolment_id WHERE f.removed_at IS NULL ORDER BY f.id LIMIT 1`)
		owner := ids(`SELECT e.user_id FROM submission_files f JOIN submissions s ON s.id = f.submission_id
			JOIN enrolments e ON e.id = s.enrolment_id WHERE f.removed_at IS NULL ORDER BY f.id`)
		marker := ids(`SELECT DISTINCT f.id FROM submission_files f JOIN allocations a ON a.submission_id = f.submission_id
			WHERE f.removed_at IS NULL AND a.marker_id = $1`, assessor)
		ownFiles := map[int64]bool{}
		for i, id := range files {
			if owner[i] == author {
				ownFiles[id] = true
			}
		}
		if len(ownFiles) == len(files) || len(marker) == 0 || len(marker) == len(files) {
			t.Fatalf("of %d files, the participant has %d and the assessor %d to mark: nothing to tell apart", len(files), len(ownFiles), len(marker))
		}
		if got := visible(scope.Participant(author)); len(got) != len(ownFiles) {
			t.Errorf("the participant sees %d files, want their own %d", len(got), len(ownFiles))
		} else {
			for id := range got {
				if !ownFiles[id] {
					t.Errorf("the participant sees file %d, not theirs", id)
				}
			}
		}
		if got := visible(scope.Assessor(assessor)); len(got) != len(marker) {
			t.Errorf("the assessor sees %d files, want the %d of submissions allocated to them", len(got), len(marker))
		}
	})
}

// Scoped writes outside the scope change nothing: the zero scope and another partner's staff
// can neither schedule, change, cancel nor take the register of a partner's event, and only
// the participant can cancel their own request.
func TestScopedStoreWrites(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	var partnerA, partnerB, eventA, cohortA, itemA int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT delivery_partner_id FROM users WHERE email = 'partner@demo.test'),
		(SELECT delivery_partner_id FROM users WHERE email = 'partner2@demo.test')`).Scan(&partnerA, &partnerB); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT e.id, ec.cohort_id, e.item_id FROM events e JOIN event_cohorts ec ON ec.event_id = e.id
		WHERE e.delivery_partner_id = $1 AND e.cancelled_at IS NULL AND e.starts_at > now() ORDER BY e.id LIMIT 1`, partnerA).
		Scan(&eventA, &cohortA, &itemA); err != nil {
		t.Fatal(err)
	}
	ev := events.Store{DB: pool, BaseURL: "http://npq.test"}
	now := time.Now()
	e, err := ev.EventByID(ctx, eventA, scope.Partner(partnerA))
	if err != nil {
		t.Fatal(err)
	}
	changed := events.NewEvent{Title: "Moved", StartsAt: e.StartsAt, EndsAt: e.EndsAt, Venue: e.Venue, JoiningLink: e.JoiningLink,
		Capacity: e.Capacity, BookingOpensAt: e.BookingOpensAt, BookingClosesAt: e.BookingClosesAt,
		CancellationCutoff: e.CancellationCutoff, CohortIDs: []int64{cohortA}}
	for _, sc := range []scope.Scope{{}, scope.Partner(partnerB), scope.Participant(1), scope.Assessor(1)} {
		if _, err := ev.Create(ctx, events.NewEvent{ItemID: itemA, Title: "Not theirs", StartsAt: e.StartsAt, EndsAt: e.EndsAt,
			JoiningLink: "https://meet.example.org/x", BookingOpensAt: now, BookingClosesAt: e.StartsAt, CancellationCutoff: e.StartsAt,
			CohortIDs: []int64{cohortA}}, sc, partnerA, 0); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("%+v scheduled an event for partner A: %v", sc, err)
		}
		if err := ev.Update(ctx, eventA, changed, sc, 0, now); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("%+v changed partner A's event: %v", sc, err)
		}
		if err := ev.Cancel(ctx, eventA, "Not theirs", sc, 0); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("%+v cancelled partner A's event: %v", sc, err)
		}
		if _, err := ev.MarkRegister(ctx, eventA, nil, sc, 0, e.StartsAt); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("%+v took partner A's register: %v", sc, err)
		}
	}
	var title string
	var cancelled bool
	if err := pool.QueryRow(ctx, `SELECT title, cancelled_at IS NOT NULL FROM events WHERE id = $1`, eventA).Scan(&title, &cancelled); err != nil {
		t.Fatal(err)
	}
	if title != e.Title || cancelled {
		t.Errorf("partner A's event is now %q (cancelled %v)", title, cancelled)
	}
	if err := ev.Update(ctx, eventA, changed, scope.Partner(partnerA), 0, now); err != nil {
		t.Errorf("partner A's staff cannot change their own event: %v", err)
	}

	lc := lifecycle.Store{DB: pool, BaseURL: "http://npq.test"}
	var request, owner, other int64
	if err := pool.QueryRow(ctx, `SELECT r.id, e.user_id FROM status_requests r JOIN enrolments e ON e.id = r.enrolment_id
		WHERE r.state = 'open' ORDER BY r.id LIMIT 1`).Scan(&request, &owner); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE role = 'participant' AND id <> $1 ORDER BY id LIMIT 1`, owner).Scan(&other); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []scope.Scope{{}, scope.Participant(other), scope.Assessor(owner)} {
		if err := lc.Cancel(ctx, request, sc, 0); err == nil {
			t.Errorf("%+v cancelled someone else's request", sc)
		}
	}
	if err := lc.Cancel(ctx, request, scope.Participant(owner), owner); err != nil {
		t.Errorf("the participant cannot cancel their own request: %v", err)
	}
}
