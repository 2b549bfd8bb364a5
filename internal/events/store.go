package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/audit"
	"npq/internal/database"
	"npq/internal/plural"
	"npq/internal/problem"
	"npq/internal/programme"
	"npq/internal/scope"
	"npq/internal/timefmt"
)

// Store reads and writes events and bookings. Staff reads and writes take a scope.Scope and
// see only its delivery partner's events (database.ErrNotFound for others'); admins' scope
// sees every partner's, and the zero scope none.
type Store struct {
	DB      database.DB
	BaseURL string
}

const eventColumns = `e.id, e.item_id, e.delivery_partner_id, p.name, e.kind, e.title, e.description, e.facilitator,
	e.starts_at, e.ends_at, e.venue, e.joining_link, e.capacity, e.booked_count,
	(SELECT count(*) FROM bookings w WHERE w.event_id = e.id AND w.status = 'waiting'),
	e.booking_opens_at, e.booking_closes_at, e.cancellation_cutoff, e.cancelled_at, e.cancelled_reason, e.sequence,
	b.id, b.course_id, b.position, b.title, i.title, i.required,
	coalesce((SELECT array_agg(c.id ORDER BY c.name) FROM event_cohorts ec JOIN cohorts c ON c.id = ec.cohort_id WHERE ec.event_id = e.id), '{}'),
	coalesce((SELECT array_agg(c.name ORDER BY c.name) FROM event_cohorts ec JOIN cohorts c ON c.id = ec.cohort_id WHERE ec.event_id = e.id), '{}')`

const eventFrom = `FROM events e JOIN delivery_partners p ON p.id = e.delivery_partner_id
	JOIN block_items i ON i.id = e.item_id JOIN blocks b ON b.id = i.block_id`

func scanEvent(r pgx.Row, extra ...any) (Event, error) {
	var e Event
	var ids []int64
	var names []string
	dest := append([]any{&e.ID, &e.ItemID, &e.PartnerID, &e.PartnerName, &e.Kind, &e.Title, &e.Description, &e.Facilitator,
		&e.StartsAt, &e.EndsAt, &e.Venue, &e.JoiningLink, &e.Capacity, &e.Booked, &e.Waiting,
		&e.BookingOpensAt, &e.BookingClosesAt, &e.CancellationCutoff, &e.CancelledAt, &e.CancelledReason, &e.Sequence,
		&e.BlockID, &e.CourseID, &e.BlockPosition, &e.BlockTitle, &e.ItemTitle, &e.ItemRequired, &ids, &names}, extra...)
	err := r.Scan(dest...)
	for i := range ids {
		e.Cohorts = append(e.Cohorts, CohortRef{ID: ids[i], Name: names[i]})
	}
	return e, err
}

// EventByID returns an event within sc.
func (s Store) EventByID(ctx context.Context, id int64, sc scope.Scope) (Event, error) {
	e, err := scanEvent(s.DB.QueryRow(ctx, `SELECT `+eventColumns+` `+eventFrom+`
		WHERE e.id = $1 AND ($2 OR e.delivery_partner_id = $3)`, id, sc.All(), sc.PartnerID()))
	if database.IsNoRows(err) {
		return e, database.ErrNotFound
	}
	return e, err
}

// Period picks the events a list shows.
type Period int

// Periods of an events list.
const (
	Upcoming Period = iota // not yet ended, soonest first
	Past                   // ended, latest first
)

// Events lists the events within sc, upcoming or past.
func (s Store) Events(ctx context.Context, sc scope.Scope, period Period, now time.Time, limit int) ([]Event, error) {
	order := "e.starts_at DESC"
	cond := "e.ends_at < $2"
	if period == Upcoming {
		order, cond = "e.starts_at", "e.ends_at >= $2"
	}
	rows, err := s.DB.Query(ctx, `SELECT `+eventColumns+` `+eventFrom+`
		WHERE ($1 OR e.delivery_partner_id = $4) AND `+cond+` ORDER BY `+order+`, e.id LIMIT $3`, sc.All(), now, limit, sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("events: list: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) { return scanEvent(r) })
}

// SessionItem is a block item an event can be an option for.
type SessionItem struct {
	ID                    int64
	Kind                  Kind
	CourseID              int64
	CourseName            string
	BlockPosition         int
	BlockTitle, ItemTitle string
}

// SessionItems lists the session items (face-to-face, webinar, tutor, coaching) of the
// courses the partner of sc runs cohorts for (every course for admins).
func (s Store) SessionItems(ctx context.Context, sc scope.Scope) ([]SessionItem, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT i.id, i.kind, c.id, c.name, b.position, b.title, i.title
		FROM block_items i JOIN blocks b ON b.id = i.block_id JOIN courses c ON c.id = b.course_id
		WHERE i.kind IN ('face_to_face', 'webinar', 'tutor_session', 'coaching') AND i.archived_at IS NULL AND b.archived_at IS NULL
		  AND ($1 OR EXISTS (SELECT 1 FROM cohorts h WHERE h.course_id = c.id AND h.delivery_partner_id = $2))
		ORDER BY c.name, b.position, i.position`, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("events: session items: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SessionItem, error) {
		var it SessionItem
		return it, r.Scan(&it.ID, &it.Kind, &it.CourseID, &it.CourseName, &it.BlockPosition, &it.BlockTitle, &it.ItemTitle)
	})
}

// NewEvent is what staff fill in to schedule or edit an event.
type NewEvent struct {
	ItemID             int64
	Title, Description string
	Facilitator        string
	StartsAt, EndsAt   time.Time
	Venue, JoiningLink string
	Capacity           *int
	BookingOpensAt     time.Time
	BookingClosesAt    time.Time
	CancellationCutoff time.Time
	CohortIDs          []int64
}

// Problems with a new or edited event found against the database.
var (
	ErrItemNotSession    = errors.New("the activity is not a session that can be scheduled")
	ErrCohortsNotAllowed = errors.New("the event can only be offered to the partner's cohorts of the activity's course")
)

// CapacityBelowBookedError means an edit would leave fewer places than people booked.
type CapacityBelowBookedError int

func (e CapacityBelowBookedError) Error() string {
	return plural.Count(int(e), "person is", "people are") + " booked, so the capacity cannot be lower"
}

// checkCohorts makes sure every cohort runs the item's course and, for partner staff, is theirs.
func checkCohorts(ctx context.Context, tx pgx.Tx, n NewEvent, partnerID int64) (Kind, error) {
	var kind Kind
	var courseID int64
	err := tx.QueryRow(ctx, `SELECT i.kind, b.course_id FROM block_items i JOIN blocks b ON b.id = i.block_id WHERE i.id = $1`, n.ItemID).Scan(&kind, &courseID)
	if database.IsNoRows(err) {
		return "", ErrItemNotSession
	}
	if err != nil {
		return "", err
	}
	if programme.ItemKind(kind).SelfCompleted() {
		return "", ErrItemNotSession
	}
	var ok int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM cohorts WHERE id = ANY($1) AND course_id = $2 AND delivery_partner_id = $3`,
		n.CohortIDs, courseID, partnerID).Scan(&ok); err != nil {
		return "", err
	}
	if ok != len(n.CohortIDs) || ok == 0 {
		return "", ErrCohortsNotAllowed
	}
	return kind, nil
}

// Create schedules an event for a delivery partner within sc.
func (s Store) Create(ctx context.Context, n NewEvent, sc scope.Scope, partnerID, actorID int64) (int64, error) {
	if !sc.SeesPartner(partnerID) {
		return 0, database.ErrNotFound
	}
	var id int64
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		kind, err := checkCohorts(ctx, tx, n, partnerID)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO events (item_id, delivery_partner_id, kind, title, description, facilitator, starts_at, ends_at,
				venue, joining_link, capacity, booking_opens_at, booking_closes_at, cancellation_cutoff, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			n.ItemID, partnerID, kind, n.Title, n.Description, n.Facilitator, n.StartsAt, n.EndsAt, n.Venue, n.JoiningLink, n.Capacity,
			n.BookingOpensAt, n.BookingClosesAt, n.CancellationCutoff, database.NullID(actorID)).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO event_cohorts (event_id, cohort_id) SELECT $1, unnest($2::bigint[])`, id, n.CohortIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "event.created", fmt.Sprintf("event:%d", id), map[string]any{"item_id": n.ItemID})
	})
	return id, wrap("create", err)
}

// lockScopedEvent locks an event row within sc for the rest of the transaction.
func lockScopedEvent(ctx context.Context, tx pgx.Tx, id int64, sc scope.Scope) (Event, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id = $1 AND ($2 OR delivery_partner_id = $3) FOR UPDATE`, id, sc.All(), sc.PartnerID()); err != nil {
		return Event{}, err
	}
	e, err := scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` `+eventFrom+` WHERE e.id = $1 AND ($2 OR e.delivery_partner_id = $3)`, id, sc.All(), sc.PartnerID()))
	if database.IsNoRows(err) {
		return e, database.ErrNotFound
	}
	return e, err
}

// lockEvent locks an event row for the rest of the transaction, for the booking steps: who
// may take them is settled by the participant's enrolment and the event's cohorts, not by a
// staff scope.
func lockEvent(ctx context.Context, tx pgx.Tx, id int64) (Event, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, id); err != nil {
		return Event{}, err
	}
	e, err := scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` `+eventFrom+` WHERE e.id = $1`, id))
	if database.IsNoRows(err) {
		return e, database.ErrNotFound
	}
	return e, err
}

// Update changes an event's details, tells everyone booked or waiting, and books people from
// the waiting list into any new places.
func (s Store) Update(ctx context.Context, id int64, n NewEvent, sc scope.Scope, actorID int64, now time.Time) error {
	err := database.InTxRetry(ctx, s.DB, func(tx pgx.Tx) error {
		e, err := lockScopedEvent(ctx, tx, id, sc)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return problem.New("This event has been cancelled and cannot be changed")
		}
		n.ItemID = e.ItemID // the activity an event is an option for does not change once scheduled
		if _, err := checkCohorts(ctx, tx, n, e.PartnerID); err != nil {
			return err
		}
		if n.Capacity != nil && *n.Capacity < e.Booked {
			return CapacityBelowBookedError(e.Booked)
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET title = $2, description = $3, facilitator = $4, starts_at = $5, ends_at = $6,
				venue = $7, joining_link = $8, capacity = $9, booking_opens_at = $10, booking_closes_at = $11,
				cancellation_cutoff = $12, sequence = sequence + 1 WHERE id = $1`,
			id, n.Title, n.Description, n.Facilitator, n.StartsAt, n.EndsAt, n.Venue, n.JoiningLink, n.Capacity,
			n.BookingOpensAt, n.BookingClosesAt, n.CancellationCutoff); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM event_cohorts WHERE event_id = $1 AND NOT (cohort_id = ANY($2))`, id, n.CohortIDs); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO event_cohorts (event_id, cohort_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, id, n.CohortIDs); err != nil {
			return err
		}
		updated, err := lockScopedEvent(ctx, tx, id, sc)
		if err != nil {
			return err
		}
		if changedForAttendees(e, updated) {
			if err := s.notifyEveryone(ctx, tx, updated, "changed", ""); err != nil {
				return err
			}
		}
		if err := s.promote(ctx, tx, id, actorID, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actorID, "event.updated", fmt.Sprintf("event:%d", id), nil)
	})
	return wrap("update", err)
}

// changedForAttendees reports whether an edit changes something people booked need to know.
func changedForAttendees(a, b Event) bool {
	return !a.StartsAt.Equal(b.StartsAt) || !a.EndsAt.Equal(b.EndsAt) || a.Venue != b.Venue || a.JoiningLink != b.JoiningLink ||
		a.Title != b.Title || !a.CancellationCutoff.Equal(b.CancellationCutoff)
}

// Cancel cancels an event with a reason: every booking and waiting-list place is cancelled
// and everyone is told.
func (s Store) Cancel(ctx context.Context, id int64, reason string, sc scope.Scope, actorID int64) error {
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		e, err := lockScopedEvent(ctx, tx, id, sc)
		if err != nil {
			return err
		}
		if e.Cancelled() {
			return problem.New("This event is already cancelled")
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET cancelled_at = now(), cancelled_reason = $2, sequence = sequence + 1 WHERE id = $1`, id, reason); err != nil {
			return err
		}
		e, err = lockScopedEvent(ctx, tx, id, sc)
		if err != nil {
			return err
		}
		if err := s.notifyEveryone(ctx, tx, e, "cancelled", reason); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE bookings SET status = 'cancelled', waiting_since = NULL, sequence = sequence + 1, updated_at = now()
			WHERE event_id = $1 AND status IN ('booked', 'waiting') RETURNING id`, id)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		for _, b := range ids {
			if err := history(ctx, tx, b, "cancelled_event_cancelled", reason, actorID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actorID, "event.cancelled", fmt.Sprintf("event:%d", id), map[string]any{"reason": reason, "bookings": len(ids)})
	})
	return wrap("cancel", err)
}

func history(ctx context.Context, tx pgx.Tx, bookingID int64, action, note string, actorID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO booking_history (booking_id, action, note, actor_id) VALUES ($1, $2, $3, $4)`, bookingID, action, note, database.NullID(actorID))
	return err
}

// wrap adds context to an error, keeping it (a problem.Problem, database.ErrNotFound, the
// errors above) for errors.As and errors.Is.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("events: %s: %w", what, err)
}

// BookingStatus is where a participant's booking of an event stands.
type BookingStatus string

// Booking statuses.
const (
	StatusBooked    BookingStatus = "booked"
	StatusWaiting   BookingStatus = "waiting" // on the waiting list
	StatusCancelled BookingStatus = "cancelled"
)

// Booking is a participant's place (or waiting-list entry) on an event.
type Booking struct {
	ID, EventID, EnrolmentID, UserID int64
	Name, Email                      string
	Status                           BookingStatus
	WaitingSince                     *time.Time
	Attendance                       string
	AttendanceNote                   string
	CreatedAt                        time.Time
}

// Outcome says what a booking request did.
type Outcome string

// Booking outcomes.
const (
	OutcomeBooked         Outcome = "booked"
	OutcomeChanged        Outcome = "changed"
	OutcomeAlreadyBooked  Outcome = "already-booked"
	OutcomeFull           Outcome = "full"
	OutcomeWaiting        Outcome = "waiting"
	OutcomeAlreadyWaiting Outcome = "already-waiting"
	OutcomeCancelled      Outcome = "cancelled"
	OutcomeLeftWaiting    Outcome = "left-waiting-list"
	OutcomeNothing        Outcome = "nothing"
)

type participantEnrolment struct {
	id, userID, cohortID int64
	status               programme.Status
}

func lockEnrolment(ctx context.Context, tx pgx.Tx, enrolmentID int64) (participantEnrolment, error) {
	var p participantEnrolment
	err := tx.QueryRow(ctx, `SELECT id, user_id, cohort_id, status FROM enrolments WHERE id = $1 FOR UPDATE`, enrolmentID).
		Scan(&p.id, &p.userID, &p.cohortID, &p.status)
	if database.IsNoRows(err) {
		return p, database.ErrNotFound
	}
	return p, err
}

// offered reports whether the event is offered to the cohort.
func offered(ctx context.Context, tx pgx.Tx, eventID, cohortID int64) (bool, error) {
	var ok bool
	// An archived activity (or block) takes no new bookings or waiting-list places.
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM event_cohorts ec JOIN events e ON e.id = ec.event_id
		JOIN block_items i ON i.id = e.item_id JOIN blocks b ON b.id = i.block_id
		WHERE ec.event_id = $1 AND ec.cohort_id = $2 AND i.archived_at IS NULL AND b.archived_at IS NULL)`, eventID, cohortID).Scan(&ok)
	return ok, err
}

// bookedSlots lists the times a participant (across their enrolments) is booked for, apart
// from the event they are leaving (0 for none).
func bookedSlots(ctx context.Context, tx pgx.Tx, userID, leaving int64) ([]Slot, error) {
	rows, err := tx.Query(ctx, `SELECT e.id, e.title, e.starts_at, e.ends_at FROM bookings b
		JOIN events e ON e.id = b.event_id JOIN enrolments n ON n.id = b.enrolment_id
		WHERE n.user_id = $1 AND b.status = 'booked' AND e.cancelled_at IS NULL AND e.id <> $2`, userID, leaving)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Slot, error) {
		var sl Slot
		return sl, r.Scan(&sl.EventID, &sl.Title, &sl.StartsAt, &sl.EndsAt)
	})
}

// currentBooking returns an enrolment's booking row for an event, if any.
func currentBooking(ctx context.Context, tx pgx.Tx, eventID, enrolmentID int64) (id int64, status BookingStatus, err error) {
	err = tx.QueryRow(ctx, `SELECT id, status FROM bookings WHERE event_id = $1 AND enrolment_id = $2`, eventID, enrolmentID).Scan(&id, &status)
	if database.IsNoRows(err) {
		return 0, "", nil
	}
	return id, status, err
}

// otherOption returns the enrolment's place on another option of the same item, if any.
func otherOption(ctx context.Context, tx pgx.Tx, enrolmentID, itemID, eventID int64, status BookingStatus) (int64, int64, error) {
	var bookingID, otherEvent int64
	err := tx.QueryRow(ctx, `SELECT id, event_id FROM bookings WHERE enrolment_id = $1 AND item_id = $2 AND event_id <> $3 AND status = $4`,
		enrolmentID, itemID, eventID, status).Scan(&bookingID, &otherEvent)
	if database.IsNoRows(err) {
		return 0, 0, nil
	}
	return bookingID, otherEvent, err
}

// setBooking moves the enrolment's booking row for an event to a status, creating it if
// needed, and appends the history. A waiting-list place is timestamped with the clock when it
// is granted (the event row is locked by then), not when the transaction began, so someone
// whose request waited for the lock queues behind those who got in first.
func setBooking(ctx context.Context, tx pgx.Tx, eventID, enrolmentID, itemID int64, status BookingStatus, action string, actorID int64) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO bookings (event_id, enrolment_id, item_id, status, waiting_since)
		VALUES ($1, $2, $3, $4, CASE WHEN $4 = 'waiting' THEN clock_timestamp() END)
		ON CONFLICT (event_id, enrolment_id) DO UPDATE SET status = EXCLUDED.status, waiting_since = EXCLUDED.waiting_since,
			attendance = NULL, attendance_note = '', sequence = bookings.sequence + 1, updated_at = now()
		RETURNING id`, eventID, enrolmentID, itemID, status).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, history(ctx, tx, id, action, "", actorID)
}

// lockEvents locks event rows lowest id first (ids of 0 are skipped). Every transaction that
// locks more than one event takes them in this order, so two of them never wait for each other
// in a circle.
func lockEvents(ctx context.Context, tx pgx.Tx, ids ...int64) error {
	_, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
	return err
}

// readEvent reads an event without locking it.
func readEvent(ctx context.Context, tx pgx.Tx, id int64) (Event, error) {
	e, err := scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` `+eventFrom+` WHERE e.id = $1`, id))
	if database.IsNoRows(err) {
		return e, database.ErrNotFound
	}
	return e, err
}

// lockChange locks the event a participant wants and, when they are booked on another date of
// the same activity, that date too (a change frees its place), both in id order. It returns
// the event, and the booking and event being changed from (zero when there is none).
//
// With peek, an event that is already full is not locked (locked is false): the booking can
// then only be refused, and that is decided without queueing behind the people taking its
// last places. The caller must take the locks (peek false) before changing anything.
func lockChange(ctx context.Context, tx pgx.Tx, enrolmentID, eventID int64, peek bool) (e Event, oldBooking int64, old Event, locked bool, err error) {
	if e, err = readEvent(ctx, tx, eventID); err != nil {
		return e, 0, old, false, err
	}
	itemID := e.ItemID
	_, oldEvent, err := otherOption(ctx, tx, enrolmentID, itemID, eventID, StatusBooked)
	if err != nil {
		return e, 0, old, false, err
	}
	if peek && e.Full() {
		// Only the date being changed from is needed (a clash with it does not count).
		return e, 0, Event{ID: oldEvent}, false, nil
	}
	if err := lockEvents(ctx, tx, eventID, oldEvent); err != nil {
		return e, 0, old, false, err
	}
	// Someone else's cancellation may have moved this participant off a waiting list before the
	// locks were taken; read the booking again now that nothing can move it.
	oldBooking, oldEvent, err = otherOption(ctx, tx, enrolmentID, itemID, eventID, StatusBooked)
	if err != nil {
		return e, 0, old, false, err
	}
	if e, err = readEvent(ctx, tx, eventID); err != nil || oldBooking == 0 {
		return e, 0, old, true, err
	}
	old, err = readEvent(ctx, tx, oldEvent)
	return e, oldBooking, old, true, err
}

// errPlaceFreed is a peeked booking's answer when a place came free after the event looked
// full: the booking is made again, with the locks.
var errPlaceFreed = errors.New("events: a place came free")

// Book gives a participant a place on an event, or says why not. Booking another option of
// an item they are booked on changes their booking (subject to the old option's cut-off).
// A full event returns OutcomeFull: the participant can then join its waiting list.
func (s Store) Book(ctx context.Context, enrolmentID, eventID, actorID int64, now time.Time) (Outcome, error) {
	out, err := s.book(ctx, enrolmentID, eventID, actorID, now, true)
	if errors.Is(err, errPlaceFreed) {
		out, err = s.book(ctx, enrolmentID, eventID, actorID, now, false)
	}
	return out, wrap("book", err)
}

// book is Book, peeking first at whether the event is full when peek is set (lockChange).
func (s Store) book(ctx context.Context, enrolmentID, eventID, actorID int64, now time.Time, peek bool) (Outcome, error) {
	var out Outcome
	err := database.InTxRetry(ctx, s.DB, func(tx pgx.Tx) error {
		out = ""
		p, err := lockEnrolment(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if p.status != programme.StatusActive {
			return problem.New("Only participants with an active place on the course can book")
		}
		e, oldBooking, old, locked, err := lockChange(ctx, tx, enrolmentID, eventID, peek)
		if err != nil {
			return err
		}
		oldEvent := old.ID
		if ok, err := offered(ctx, tx, eventID, p.cohortID); err != nil || !ok {
			if err == nil {
				err = database.ErrNotFound
			}
			return err
		}
		_, status, err := currentBooking(ctx, tx, eventID, enrolmentID)
		if err != nil {
			return err
		}
		if status == StatusBooked {
			out = OutcomeAlreadyBooked
			return nil
		}
		if p := BookingProblem(e, now); p != "" {
			return problem.New(p)
		}
		if oldBooking != 0 {
			if p := CancellationProblem(old, now); p != "" {
				return problem.New("You cannot change from " + old.Timing() + ": the cut-off for changing it was " + timefmt.DateTime(old.CancellationCutoff))
			}
		}
		others, err := bookedSlots(ctx, tx, p.userID, oldEvent)
		if err != nil {
			return err
		}
		if c := Clash(e, others); c != nil {
			return ClashProblem(*c)
		}
		if e.Full() {
			out = OutcomeFull
			return nil
		}
		if !locked {
			return errPlaceFreed
		}
		if oldBooking != 0 {
			if _, err := setBooking(ctx, tx, oldEvent, enrolmentID, e.ItemID, StatusCancelled, "cancelled_for_change", actorID); err != nil {
				return err
			}
		}
		bookingID, err := setBooking(ctx, tx, eventID, enrolmentID, e.ItemID, StatusBooked, "booked", actorID)
		if err != nil {
			return err
		}
		// A waiting-list place on another option of this item is no longer needed.
		if w, _, err := otherOption(ctx, tx, enrolmentID, e.ItemID, eventID, StatusWaiting); err != nil {
			return err
		} else if w != 0 {
			if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'cancelled', waiting_since = NULL, updated_at = now() WHERE id = $1`, w); err != nil {
				return err
			}
			if err := history(ctx, tx, w, "left_waiting_list", "booked another option", actorID); err != nil {
				return err
			}
		}
		e.Booked++
		if err := s.notifyBooking(ctx, tx, bookingID, e, "booked"); err != nil {
			return err
		}
		out = OutcomeBooked
		if oldBooking != 0 {
			out = OutcomeChanged
			if err := s.notifyBooking(ctx, tx, oldBooking, old, "changed-away"); err != nil {
				return err
			}
			return s.promote(ctx, tx, oldEvent, actorID, now)
		}
		return nil
	})
	return out, err
}

// JoinWaitingList puts a participant on a full event's waiting list (first come, first
// served). If a place is free they are booked instead.
func (s Store) JoinWaitingList(ctx context.Context, enrolmentID, eventID, actorID int64, now time.Time) (Outcome, error) {
	var out Outcome
	err := database.InTxRetry(ctx, s.DB, func(tx pgx.Tx) error {
		p, err := lockEnrolment(ctx, tx, enrolmentID)
		if err != nil {
			return err
		}
		if p.status != programme.StatusActive {
			return problem.New("Only participants with an active place on the course can join a waiting list")
		}
		e, err := lockEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if ok, err := offered(ctx, tx, eventID, p.cohortID); err != nil || !ok {
			if err == nil {
				err = database.ErrNotFound
			}
			return err
		}
		if p := BookingProblem(e, now); p != "" {
			return problem.New(p)
		}
		_, status, err := currentBooking(ctx, tx, eventID, enrolmentID)
		switch {
		case err != nil:
			return err
		case status == StatusBooked:
			out = OutcomeAlreadyBooked
			return nil
		case status == StatusWaiting:
			out = OutcomeAlreadyWaiting
			return nil
		case !e.Full():
			out = OutcomeBooked // a place is free: book it instead
			return errBookInstead
		}
		if w, _, err := otherOption(ctx, tx, enrolmentID, e.ItemID, eventID, StatusWaiting); err != nil {
			return err
		} else if w != 0 {
			return problem.New("You are already on the waiting list for another date of this session. Leave that list first.")
		}
		bookingID, err := setBooking(ctx, tx, eventID, enrolmentID, e.ItemID, StatusWaiting, "waiting", actorID)
		if err != nil {
			return err
		}
		out = OutcomeWaiting
		return s.notifyBooking(ctx, tx, bookingID, e, "waiting")
	})
	if errors.Is(err, errBookInstead) {
		return s.Book(ctx, enrolmentID, eventID, actorID, now)
	}
	return out, wrap("join waiting list", err)
}

var errBookInstead = errors.New("book instead")

// CancelBooking cancels a participant's place (before the cut-off) or takes them off the
// waiting list; a freed place goes to the first person waiting.
func (s Store) CancelBooking(ctx context.Context, enrolmentID, eventID, actorID int64, now time.Time) (Outcome, error) {
	var out Outcome
	err := database.InTxRetry(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := lockEnrolment(ctx, tx, enrolmentID); err != nil {
			return err
		}
		e, err := lockEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		bookingID, status, err := currentBooking(ctx, tx, eventID, enrolmentID)
		if err != nil {
			return err
		}
		switch status {
		case StatusWaiting:
			if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'cancelled', waiting_since = NULL, updated_at = now() WHERE id = $1`, bookingID); err != nil {
				return err
			}
			out = OutcomeLeftWaiting
			return history(ctx, tx, bookingID, "left_waiting_list", "", actorID)
		case StatusBooked:
			if p := CancellationProblem(e, now); p != "" {
				return problem.New(p)
			}
			if _, err := setBooking(ctx, tx, eventID, enrolmentID, e.ItemID, StatusCancelled, "cancelled_by_participant", actorID); err != nil {
				return err
			}
			out = OutcomeCancelled
			if err := s.notifyBooking(ctx, tx, bookingID, e, "cancelled"); err != nil {
				return err
			}
			return s.promote(ctx, tx, eventID, actorID, now)
		}
		out = OutcomeNothing
		return nil
	})
	return out, wrap("cancel booking", err)
}

// promote fills free places on an event from its waiting list, first come first served,
// skipping anyone who would then have a clash or no longer has an active place. Someone
// booked on another option of the same item moves here, which frees that option's place in
// turn. It runs in the caller's transaction with the event row locked.
func (s Store) promote(ctx context.Context, tx pgx.Tx, eventID, actorID int64, now time.Time) error {
	queue := []int64{eventID}
	seen := map[int64]bool{}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		e, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Cancelled() || !now.Before(e.StartsAt) {
			continue
		}
		rows, err := tx.Query(ctx, `SELECT b.id, b.enrolment_id, n.user_id FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id
			WHERE b.event_id = $1 AND b.status = 'waiting' AND n.status = 'active' ORDER BY b.waiting_since, b.id`, id)
		if err != nil {
			return err
		}
		type waiter struct{ booking, enrolment, user int64 }
		waiting, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (waiter, error) {
			var w waiter
			return w, r.Scan(&w.booking, &w.enrolment, &w.user)
		})
		if err != nil {
			return err
		}
		for _, w := range waiting {
			if e.Full() {
				break
			}
			oldBooking, oldEvent, err := otherOption(ctx, tx, w.enrolment, e.ItemID, id, StatusBooked)
			if err != nil {
				return err
			}
			others, err := bookedSlots(ctx, tx, w.user, oldEvent)
			if err != nil {
				return err
			}
			if Clash(e, others) != nil {
				continue // they stay on the list; a later place may suit them
			}
			if oldBooking != 0 {
				if _, err := lockEvent(ctx, tx, oldEvent); err != nil {
					return err
				}
				if _, err := setBooking(ctx, tx, oldEvent, w.enrolment, e.ItemID, StatusCancelled, "cancelled_for_change", actorID); err != nil {
					return err
				}
				queue = append(queue, oldEvent)
				delete(seen, oldEvent)
			}
			if _, err := setBooking(ctx, tx, id, w.enrolment, e.ItemID, StatusBooked, "promoted", actorID); err != nil {
				return err
			}
			e.Booked++
			if err := s.notifyBooking(ctx, tx, w.booking, e, "promoted"); err != nil {
				return err
			}
		}
	}
	return nil
}

// Bookings lists the current bookings and waiting list (not cancellations) of an event within
// sc, in booking order, with the waiting list first come first served.
func (s Store) Bookings(ctx context.Context, eventID int64, sc scope.Scope) ([]Booking, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT b.id, b.event_id, b.enrolment_id, n.user_id, u.name, u.email, b.status, b.waiting_since,
		       coalesce(b.attendance, ''), b.attendance_note, b.created_at
		FROM bookings b JOIN enrolments n ON n.id = b.enrolment_id JOIN users u ON u.id = n.user_id JOIN events e ON e.id = b.event_id
		WHERE b.event_id = $1 AND b.status IN ('booked', 'waiting') AND ($2 OR e.delivery_partner_id = $3)
		ORDER BY b.status, b.waiting_since NULLS FIRST, u.name, b.id`, eventID, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("events: bookings %d: %w", eventID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Booking, error) {
		var b Booking
		return b, r.Scan(&b.ID, &b.EventID, &b.EnrolmentID, &b.UserID, &b.Name, &b.Email, &b.Status, &b.WaitingSince,
			&b.Attendance, &b.AttendanceNote, &b.CreatedAt)
	})
}

// Mark is one row of a register as staff submit it.
type Mark struct {
	BookingID  int64
	Attendance string // "" leaves it unmarked
	Note       string
}

// ErrRegisterNotOpen means the register cannot be taken before the event's day.
var ErrRegisterNotOpen = problem.New("The register opens on the day of the event")

// MarkRegister records attendance for booked participants. Each change is kept in the
// history; marking someone attended completes the activity for them, and correcting that
// mark later undoes the completion (both as new entries, never rewriting old ones).
func (s Store) MarkRegister(ctx context.Context, eventID int64, marks []Mark, sc scope.Scope, actorID int64, now time.Time) (int, error) {
	changed := 0
	err := database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		e, err := lockScopedEvent(ctx, tx, eventID, sc)
		if err != nil {
			return err
		}
		if programme.Today(now).Before(programme.Today(e.StartsAt)) {
			return ErrRegisterNotOpen
		}
		if e.Cancelled() {
			return problem.New("This event was cancelled, so it has no register")
		}
		for _, m := range marks {
			var enrolmentID int64
			var current, note string
			err := tx.QueryRow(ctx, `SELECT enrolment_id, coalesce(attendance, ''), attendance_note FROM bookings
				WHERE id = $1 AND event_id = $2 AND status = 'booked' FOR UPDATE`, m.BookingID, eventID).Scan(&enrolmentID, &current, &note)
			if database.IsNoRows(err) {
				return problem.New("Someone on the register is no longer booked: reload the page and try again")
			}
			if err != nil {
				return err
			}
			if current == m.Attendance && note == m.Note {
				continue
			}
			var mark *string
			if m.Attendance != "" {
				mark = &m.Attendance
			}
			if _, err := tx.Exec(ctx, `UPDATE bookings SET attendance = $2, attendance_note = $3, updated_at = now() WHERE id = $1`, m.BookingID, mark, m.Note); err != nil {
				return err
			}
			if m.Attendance != "" {
				if err := history(ctx, tx, m.BookingID, m.Attendance, m.Note, actorID); err != nil {
					return err
				}
			}
			switch {
			case m.Attendance == "attended" && current != "attended":
				if _, err := programme.CompleteItem(ctx, tx, enrolmentID, e.ItemID, programme.SourceAttendance, actorID); err != nil {
					return err
				}
			case current == "attended" && m.Attendance != "attended":
				if _, err := programme.UncompleteItem(ctx, tx, enrolmentID, e.ItemID, programme.SourceAttendance, actorID); err != nil {
					return err
				}
			}
			changed++
		}
		return nil
	})
	return changed, wrap("mark register", err)
}

// HistoryEntry is one line of a booking's history.
type HistoryEntry struct {
	Name, Action, Note, Actor string
	At                        time.Time
}

// EventHistory lists every booking change on an event within sc, newest first.
func (s Store) EventHistory(ctx context.Context, eventID int64, sc scope.Scope, limit int) ([]HistoryEntry, error) {
	rows, err := s.DB.Query(ctx, `
		SELECT u.name, h.action, h.note, coalesce(a.name, 'System'), h.at
		FROM booking_history h JOIN bookings b ON b.id = h.booking_id JOIN enrolments n ON n.id = b.enrolment_id
		JOIN users u ON u.id = n.user_id LEFT JOIN users a ON a.id = h.actor_id JOIN events e ON e.id = b.event_id
		WHERE b.event_id = $1 AND ($3 OR e.delivery_partner_id = $4) ORDER BY h.id DESC LIMIT $2`, eventID, limit, sc.All(), sc.PartnerID())
	if err != nil {
		return nil, fmt.Errorf("events: history %d: %w", eventID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (HistoryEntry, error) {
		var h HistoryEntry
		return h, r.Scan(&h.Name, &h.Action, &h.Note, &h.Actor, &h.At)
	})
}

// ActionLabel is a history action as people say it.
func ActionLabel(a string) string {
	labels := map[string]string{"booked": "Booked", "waiting": "Joined the waiting list", "promoted": "Booked from the waiting list",
		"cancelled_by_participant": "Cancelled", "cancelled_for_change": "Changed to another date", "cancelled_event_cancelled": "Cancelled: event cancelled",
		"cancelled_enrolment_ended": "Cancelled: deferred or withdrawn", "left_waiting_list": "Left the waiting list"}
	if l, ok := labels[a]; ok {
		return l
	}
	return "Marked " + strings.ToLower(AttendanceLabel(a))
}
