package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/database"
	"npq/internal/programme"
)

// Scale is how much national-size data LoadNational adds on top of the demo.
type Scale struct {
	// Partners is how many of the handbook's delivery partners run national cohorts (at most 15).
	Partners int
	// CohortsPerPartner is how many cohorts each of them runs, from two years ago to a year ahead.
	CohortsPerPartner int
	// ParticipantsPerCohort is the average cohort size (each cohort has 70–130 % of it).
	ParticipantsPerCohort int
	// Assessors is how many extra assessors share the marking with the demo's three.
	Assessors int
}

// National is the size of a large lead provider: 15 partners, 1,200 cohorts, about 60,000
// participants.
var National = Scale{Partners: 15, CohortsPerPartner: 80, ParticipantsPerCohort: 50, Assessors: 12}

// NationalDomain is the email domain of every national-size participant and assessor.
const NationalDomain = "national.demo.test"

// ErrNationalLoaded is returned when the national-size data is already in the database.
var ErrNationalLoaded = errors.New("demo: the national-size data is already loaded")

// NationalSummary counts what LoadNational made.
type NationalSummary struct {
	Cohorts, Participants, Events, Bookings, Completions, Requests, Submissions, Judgements int64
	// Duration is how long loading took, including the final VACUUM ANALYZE.
	Duration time.Duration
}

// String is the summary as one line for the command's output.
func (s NationalSummary) String() string {
	return fmt.Sprintf("%d cohorts, %d participants, %d events, %d bookings, %d completion records, %d deferral and withdrawal requests, %d submissions, %d agreed judgements in %s",
		s.Cohorts, s.Participants, s.Events, s.Bookings, s.Completions, s.Requests, s.Submissions, s.Judgements, s.Duration.Round(time.Second))
}

// step is one set-based statement of the national load.
type step struct {
	name string
	sql  string
}

// LoadNational adds national-size data to a database that already holds the demo (demo.Load
// first): cohorts for the handbook's partners over three years of intakes, their participants,
// the sessions' date options, bookings and registers, progress, deferrals and withdrawals, and
// assessment submissions with their marks. Everything is made by set-based SQL in one
// transaction, so a failure leaves nothing behind; the demo's own accounts are untouched. It
// returns ErrNationalLoaded when the data is already there. log (or nil) hears each step.
func LoadNational(ctx context.Context, pool *pgxpool.Pool, s Scale, log *slog.Logger) (NationalSummary, error) {
	start := time.Now()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if s.Partners < 1 || s.Partners > len(HandbookPartners) || s.CohortsPerPartner < 1 || s.ParticipantsPerCohort < 2 || s.Assessors < 0 {
		return NationalSummary{}, fmt.Errorf("demo: national scale %+v is out of range", s)
	}
	// One hash for every national account: hashing 60,000 passwords would take hours.
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return NationalSummary{}, err
	}
	criteria, tasks, err := nationalCriteria(ctx, pool)
	if err != nil {
		return NationalSummary{}, err
	}
	var partnerNames, courseNames []string
	for _, p := range HandbookPartners {
		partnerNames = append(partnerNames, p.Name)
	}
	for _, c := range demoCourses {
		courseNames = append(courseNames, c.name)
	}
	now := time.Now()
	var sum NationalSummary
	err = database.InTx(ctx, pool, func(tx pgx.Tx) error {
		// Two loads at once would both find nothing loaded; the lock makes the second wait and see.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('npq national demo'))`); err != nil {
			return err
		}
		var loaded, demoLoaded bool
		if err := tx.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM users WHERE email = 'assessor@demo.test') AND EXISTS (SELECT 1 FROM courses WHERE name = $2),
			EXISTS (SELECT 1 FROM users WHERE email LIKE '%@' || $1)`, NationalDomain, courseNames[0]).Scan(&demoLoaded, &loaded); err != nil {
			return err
		}
		if loaded {
			return ErrNationalLoaded
		}
		if !demoLoaded {
			return errors.New("demo: load the demo before the national-size data")
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE nat ON COMMIT DROP AS
			SELECT $1::date AS today, $2::timestamptz AS now, $3::text AS hash, $4::int AS partners, $5::int AS per_partner, $6::int AS per_cohort,
			       $7::text[] AS partner_names, $8::text[] AS course_names, $9::text[] AS first_names, $10::text[] AS last_names, $11::text[] AS schools,
			       (SELECT id FROM users WHERE email = 'admin@demo.test') AS admin, $12::int AS assessors, $13::text AS domain,
			       $14::text AS two_step_secret`,
			programme.Today(now), now, hash, s.Partners, s.CohortsPerPartner, s.ParticipantsPerCohort,
			partnerNames, courseNames, firstNames, lastNames, schoolNames, s.Assessors, NationalDomain, AdminTwoStepSecret); err != nil {
			return fmt.Errorf("demo: national parameters: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE nat_criteria ON COMMIT DROP AS
			SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) AS c(q, key, ord)`, criteria.q, criteria.key, criteria.ord); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE nat_tasks ON COMMIT DROP AS
			SELECT * FROM unnest($1::text[], $2::text[]) AS t(q, key)`, tasks.q, tasks.key); err != nil {
			return err
		}
		for _, st := range nationalSteps {
			t := time.Now()
			tag, err := tx.Exec(ctx, st.sql)
			if err != nil {
				return fmt.Errorf("demo: national %s: %w", st.name, err)
			}
			log.Info("national data", "step", st.name, "rows", tag.RowsAffected(), "duration", time.Since(t).Round(time.Millisecond))
		}
		return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM nat_cohorts), (SELECT count(*) FROM nat_people), (SELECT count(*) FROM nat_events),
			(SELECT count(*) FROM bookings WHERE event_id IN (SELECT id FROM nat_events)),
			(SELECT count(*) FROM item_completions WHERE enrolment_id >= (SELECT min(enrolment_id) FROM nat_people)),
			(SELECT count(*) FROM status_requests WHERE enrolment_id >= (SELECT min(enrolment_id) FROM nat_people)),
			(SELECT count(*) FROM nat_subs),
			(SELECT count(*) FROM agreed_judgements WHERE submission_id IN (SELECT id FROM nat_subs))`).
			Scan(&sum.Cohorts, &sum.Participants, &sum.Events, &sum.Bookings, &sum.Completions, &sum.Requests, &sum.Submissions, &sum.Judgements)
	})
	if err != nil {
		return NationalSummary{}, err
	}
	// The triggers rewrote every event row once per booking and every enrolment row two or
	// three times: compact those two tables (events would otherwise take ten times the pages
	// a live system has, and every scan of it would pay for them), then give the planner fresh
	// statistics and visibility maps for the rest.
	t := time.Now()
	if _, err := pool.Exec(ctx, `VACUUM (FULL, ANALYZE) events, enrolments`); err != nil {
		return NationalSummary{}, fmt.Errorf("demo: compacting after the national load: %w", err)
	}
	if _, err := pool.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return NationalSummary{}, fmt.Errorf("demo: vacuum after the national load: %w", err)
	}
	log.Info("national data", "step", "vacuum analyze", "duration", time.Since(t).Round(time.Millisecond))
	sum.Duration = time.Since(start)
	return sum, nil
}

// criteriaRows are the assessment criteria (or tasks) of the demo courses, as columns.
type criteriaRows struct {
	q, key []string
	ord    []int32
}

// nationalCriteria reads each demo course's assessment criteria and tasks, which marks and
// submission texts are keyed by.
func nationalCriteria(ctx context.Context, db database.DB) (criteriaRows, criteriaRows, error) {
	var crit, tasks criteriaRows
	provider, err := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	if err != nil {
		return crit, tasks, err
	}
	st := assessment.Store{DB: db, Provider: provider}
	for _, c := range demoCourses {
		spec, err := st.Spec(ctx, c.qualification)
		if err != nil {
			return crit, tasks, fmt.Errorf("demo: assessment of %s: %w", c.qualification, err)
		}
		for i, cr := range spec.Criteria {
			crit.q, crit.key, crit.ord = append(crit.q, c.qualification), append(crit.key, cr.Key()), append(crit.ord, int32(i+1))
		}
		for _, t := range spec.Tasks {
			tasks.q, tasks.key = append(tasks.q, c.qualification), append(tasks.key, t.Key)
		}
	}
	return crit, tasks, nil
}

// nationalSteps build the national data from the parameters in the temporary table nat.
// pg_temp.r(key, salt) is a repeatable number in [0, 1) that stands in for chance, so the
// data is the same every time it is made. Ids are taken in blocks above the current highest,
// so the steps can refer to each other's rows without looking them up.
var nationalSteps = []step{
	{"chance function", `CREATE FUNCTION pg_temp.r(k bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
		$$ SELECT ((hashint8(k * 1000 + salt) & 2147483647) % 1000003) / 1000003.0 $$`},

	// Intakes from two years ago to a year ahead, a few days apart between partners; the
	// courses take turns. Most cohorts have started: next year's are set up only a few at a
	// time, so 15 % of them lie ahead.
	{"cohorts plan", `CREATE TEMP TABLE nat_cohorts ON COMMIT DROP AS
		WITH p AS (
			SELECT dp.id, dp.name, row_number() OVER (ORDER BY dp.id) - 1 AS pn
			FROM delivery_partners dp, nat WHERE dp.name = ANY(nat.partner_names) ORDER BY dp.id LIMIT (SELECT partners FROM nat)
		), c AS (
			SELECT c.id, c.qualification_code AS q, c.study_months, row_number() OVER (ORDER BY c.id) - 1 AS cn, count(*) OVER () AS nc
			FROM courses c, nat WHERE c.name = ANY(nat.course_names)
		), k AS (
			SELECT p.id AS partner_id, p.name AS partner_name, p.pn, g.k,
			       (nat.today + CASE WHEN g.k < nat.per_partner * 0.85 THEN -730 + (g.k * 730 / (nat.per_partner * 0.85))::int
			                         ELSE ((g.k - nat.per_partner * 0.85) * 365 / (nat.per_partner * 0.15))::int END
			                     + ((p.pn * 5) % 28)::int)::date AS starts_on
			FROM p, nat, generate_series(0, nat.per_partner - 1) AS g(k)
		), planned AS (
			SELECT k.*, c.id AS course_id, c.q, c.study_months,
			       (k.starts_on + make_interval(months => c.study_months))::date AS study_ends_on,
			       CASE WHEN extract(month FROM k.starts_on) <= 6 THEN 'spring' ELSE 'autumn' END AS season
			FROM k JOIN c ON c.cn = (k.k + k.pn) % c.nc
		)
		SELECT (SELECT coalesce(max(id), 0) FROM cohorts) + row_number() OVER (ORDER BY starts_on, pn, k) AS id,
		       course_id, q, study_months, partner_id, starts_on, study_ends_on,
		       (study_ends_on + interval '3 months')::date AS assessment_closes_on,
		       q || ' ' || initcap(season) || ' ' || extract(year FROM starts_on) || ' – ' || partner_name || ', group ' || (k + 1) AS name,
		       CASE WHEN q = 'NPQLT' THEN 'npq-specialist-' ELSE 'npq-leadership-' END || season AS schedule
		FROM planned`},
	{"cohorts", `INSERT INTO cohorts (id, course_id, delivery_partner_id, name, schedule_identifier, starts_on, study_ends_on, assessment_opens_on,
			assessment_closes_on, created_at) OVERRIDING SYSTEM VALUE
		SELECT id, course_id, partner_id, name, schedule, starts_on, study_ends_on, study_ends_on, assessment_closes_on, starts_on - interval '90 days'
		FROM nat_cohorts ORDER BY id`},
	{"cohort ids", `SELECT setval(pg_get_serial_sequence('cohorts', 'id'), (SELECT max(id) FROM cohorts))`},
	{"block dates", `INSERT INTO cohort_blocks (cohort_id, block_id, opens_on)
		SELECT n.id, b.id, n.starts_on + (((b.position - 1) * n.study_months * 30) / nb.n)::int
		FROM nat_cohorts n JOIN blocks b ON b.course_id = n.course_id AND b.archived_at IS NULL
		JOIN (SELECT course_id, count(*) AS n FROM blocks WHERE archived_at IS NULL GROUP BY course_id) nb ON nb.course_id = n.course_id`},

	// Participants: cohorts of 70–130 % of the average size. About 4.5 % of those whose course
	// has been going six weeks defer and 4 % withdraw, part-way through; a little over half the
	// deferrers due back have returned; those whose results came out at least a month ago
	// mostly completed.
	{"participants plan", `CREATE TEMP TABLE nat_people ON COMMIT DROP AS
		WITH sized AS (
			SELECT n.*, greatest(2, round(nat.per_cohort * (0.7 + 0.6 * pg_temp.r(n.id, 1))))::int AS size FROM nat_cohorts n, nat
		), seats AS (
			SELECT s.id AS cohort_id, s.course_id, s.q, s.partner_id, s.starts_on, s.study_ends_on, s.assessment_closes_on, g.seat,
			       row_number() OVER (ORDER BY s.id, g.seat) AS rn
			FROM sized s CROSS JOIN LATERAL generate_series(1, s.size) AS g(seat)
		), drawn AS (
			SELECT seats.*, (SELECT coalesce(max(id), 0) FROM users) + rn AS user_id, (SELECT coalesce(max(id), 0) FROM enrolments) + rn AS enrolment_id
			FROM seats
		), fate AS (
			SELECT d.*, 1 - power(pg_temp.r(d.enrolment_id, 2), 3) AS engagement, pg_temp.r(d.enrolment_id, 3) AS f,
			       (30 + floor(pg_temp.r(d.enrolment_id, 4) * greatest(1, least(nat.today, d.study_ends_on) - d.starts_on - 30)))::int AS change_on
			FROM drawn d, nat
		)
		SELECT f.*,
		       nat.first_names[1 + (hashint8(f.user_id) & 65535) % cardinality(nat.first_names)] AS first_name,
		       nat.last_names[1 + (hashint8(f.user_id + 7) & 65535) % cardinality(nat.last_names)] AS last_name,
		       CASE WHEN f.starts_on > nat.today - 45 THEN NULL WHEN f.f < 0.045 THEN 'deferred' WHEN f.f < 0.085 THEN 'withdrawn' END AS left_as,
		       CASE WHEN f.starts_on <= nat.today - 45 AND f.f < 0.085 THEN (f.starts_on + least(f.change_on, nat.today - f.starts_on - 1))::date END AS left_on
		FROM fate f, nat`},
	{"participants fate", `ALTER TABLE nat_people ADD COLUMN planned_return_on date, ADD COLUMN returned boolean NOT NULL DEFAULT false, ADD COLUMN status text`},
	{"participants returns", `UPDATE nat_people p SET planned_return_on = p.left_on + 150 + (pg_temp.r(p.enrolment_id, 5) * 210)::int,
			returned = p.left_on + 150 + (pg_temp.r(p.enrolment_id, 5) * 210)::int < nat.today AND pg_temp.r(p.enrolment_id, 6) < 0.6
		FROM nat WHERE p.left_as = 'deferred'`},
	{"participants status", `UPDATE nat_people p SET status = CASE
			WHEN p.left_as = 'withdrawn' THEN 'withdrawn'
			WHEN p.left_as = 'deferred' AND NOT p.returned THEN 'deferred'
			WHEN p.assessment_closes_on < nat.today - 30 AND p.engagement > 0.3 AND pg_temp.r(p.enrolment_id, 7) < 0.9 THEN 'completed'
			ELSE 'active' END
		FROM nat`},
	{"users", `INSERT INTO users (id, email, name, password_hash, role, created_at, last_sign_in_at) OVERRIDING SYSTEM VALUE
		SELECT p.user_id, lower(p.first_name || '.' || p.last_name || '.' || p.user_id) || '@' || nat.domain, p.first_name || ' ' || p.last_name,
		       nat.hash, 'participant', p.starts_on - interval '60 days',
		       CASE WHEN p.starts_on <= nat.today AND p.engagement > 0.1 THEN nat.now - make_interval(hours => (pg_temp.r(p.user_id, 8) * 24 * 40 * (1 - p.engagement))::int) END
		FROM nat_people p, nat ORDER BY p.user_id`},
	{"user ids", `SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`},
	{"enrolments", `INSERT INTO enrolments (id, user_id, cohort_id, funding_route, payment_received_on, starts_on, school, created_at) OVERRIDING SYSTEM VALUE
		SELECT p.enrolment_id, p.user_id, p.cohort_id,
		       CASE WHEN pg_temp.r(p.enrolment_id, 9) < 0.45 THEN 'scholarship' WHEN pg_temp.r(p.enrolment_id, 9) < 0.85 THEN 'school_funded' ELSE 'self_funded' END,
		       CASE WHEN pg_temp.r(p.enrolment_id, 9) >= 0.45 AND pg_temp.r(p.enrolment_id, 10) < 0.85 THEN p.starts_on - 14 END,
		       p.starts_on, nat.schools[1 + (hashint8(p.enrolment_id) & 65535) % cardinality(nat.schools)], p.starts_on - interval '60 days'
		FROM nat_people p, nat ORDER BY p.enrolment_id`},
	{"enrolment ids", `SELECT setval(pg_get_serial_sequence('enrolments', 'id'), (SELECT max(id) FROM enrolments))`},
	// Status history through INSERT, in order, so its trigger sets each enrolment's status.
	{"enrolled", `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason, recorded_at)
		SELECT enrolment_id, 'active', starts_on, 'Enrolled', starts_on - interval '20 days' FROM nat_people ORDER BY enrolment_id`},
	{"deferred and withdrawn", `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason, changed_by, recorded_at)
		SELECT p.enrolment_id, p.left_as, p.left_on, CASE p.left_as WHEN 'deferred' THEN 'Deferral approved' ELSE 'Withdrawal approved' END, nat.admin,
		       least(nat.now, p.left_on + interval '3 days')
		FROM nat_people p, nat WHERE p.left_as IS NOT NULL ORDER BY p.enrolment_id`},
	{"returned", `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason, changed_by, recorded_at)
		SELECT p.enrolment_id, 'active', p.planned_return_on, 'Returned from deferral', nat.admin, p.planned_return_on
		FROM nat_people p, nat WHERE p.returned ORDER BY p.enrolment_id`},
	{"completed", `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason, changed_by, recorded_at)
		SELECT p.enrolment_id, 'completed', p.assessment_closes_on + 21, 'Passed the assessment', nat.admin, p.assessment_closes_on + interval '21 days'
		FROM nat_people p, nat WHERE p.status = 'completed' ORDER BY p.enrolment_id`},

	// Sessions: two or three date options for every face-to-face day and webinar, weekends
	// moved to the Monday; booking opens 60 days ahead.
	{"events plan", `CREATE TEMP TABLE nat_events ON COMMIT DROP AS
		WITH sessions AS (
			SELECT n.id AS cohort_id, n.partner_id, dp.region, i.id AS item_id, i.kind, i.title, cb.opens_on,
			       2 + (pg_temp.r(n.id * 100000 + i.id, 11) < 0.5)::int AS options
			FROM nat_cohorts n JOIN delivery_partners dp ON dp.id = n.partner_id JOIN cohort_blocks cb ON cb.cohort_id = n.id
			JOIN block_items i ON i.block_id = cb.block_id AND i.archived_at IS NULL
			WHERE i.kind IN ('face_to_face', 'webinar')
		), dated AS (
			SELECT s.*, g.n, s.opens_on + CASE s.kind WHEN 'face_to_face' THEN 14 ELSE 10 END + 7 * g.n AS day
			FROM sessions s CROSS JOIN LATERAL generate_series(0, s.options - 1) AS g(n)
		), timed AS (
			SELECT d.*, ((d.day + CASE extract(isodow FROM d.day) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END)
			        + CASE d.kind WHEN 'face_to_face' THEN time '09:30' ELSE time '16:00' END) AT TIME ZONE 'Europe/London' AS starts_at
			FROM dated d
		)
		SELECT (SELECT coalesce(max(id), 0) FROM events) + row_number() OVER (ORDER BY t.starts_at, t.cohort_id, t.item_id, t.n) AS id, t.*,
		       t.starts_at + CASE t.kind WHEN 'face_to_face' THEN interval '6 hours' ELSE interval '90 minutes' END AS ends_at
		FROM timed t`},
	{"events", `INSERT INTO events (id, item_id, delivery_partner_id, kind, title, description, facilitator, starts_at, ends_at, venue, joining_link,
			capacity, booking_opens_at, booking_closes_at, cancellation_cutoff, created_at) OVERRIDING SYSTEM VALUE
		SELECT e.id, e.item_id, e.partner_id, e.kind, e.title || CASE e.kind WHEN 'face_to_face' THEN ' (' || e.region || ', date ' || (e.n + 1) || ')' ELSE ' (date ' || (e.n + 1) || ')' END,
		       'Bring your notes from the self-study units.', 'Facilitator ' || (1 + e.partner_id % 7),
		       e.starts_at, e.ends_at, CASE e.kind WHEN 'face_to_face' THEN 'Training centre ' || (1 + e.cohort_id % 5) || ', ' || e.region ELSE '' END,
		       CASE e.kind WHEN 'webinar' THEN 'https://meet.example.org/npq-' || e.id ELSE '' END,
		       CASE e.kind WHEN 'face_to_face' THEN 40 END,
		       e.starts_at - interval '60 days', e.starts_at - interval '1 day', e.starts_at - interval '2 days', e.starts_at - interval '75 days'
		FROM nat_events e ORDER BY e.id`},
	{"event ids", `SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))`},
	{"event cohorts", `INSERT INTO event_cohorts (event_id, cohort_id) SELECT id, cohort_id FROM nat_events`},

	// Bookings: most participants book one date of each session once booking opens (fewer for
	// sessions still months away), spread evenly over the options so no date overfills; the
	// register is taken for every session that has happened. Those who left booked only what
	// came before.
	{"bookings", `INSERT INTO bookings (event_id, enrolment_id, item_id, status, attendance, created_at, updated_at)
		SELECT b.id, b.enrolment_id, b.item_id, 'booked', b.attendance, b.booked_at, CASE WHEN b.attendance IS NULL THEN b.booked_at ELSE b.ends_at END
		FROM (
			SELECT e.id, p.enrolment_id, e.item_id, e.ends_at,
			       least(nat.now, e.starts_at - interval '2 days', e.starts_at - interval '60 days' + make_interval(hours => (pg_temp.r(p.enrolment_id * 10000 + e.item_id, 12) * 24 * 40)::int)) AS booked_at,
			       CASE WHEN e.ends_at < nat.now THEN CASE
			           WHEN pg_temp.r(p.enrolment_id * 10000 + e.item_id, 13) < 0.55 + 0.4 * p.engagement THEN 'attended'
			           WHEN pg_temp.r(p.enrolment_id * 10000 + e.item_id, 13) < 0.58 + 0.4 * p.engagement THEN 'partial'
			           WHEN pg_temp.r(p.enrolment_id * 10000 + e.item_id, 13) < 0.62 + 0.4 * p.engagement THEN 'excused'
			           ELSE 'absent' END END AS attendance
			FROM nat_people p JOIN nat_events e ON e.cohort_id = p.cohort_id AND e.n = (p.seat + e.item_id) % e.options, nat
			WHERE e.starts_at - interval '60 days' <= nat.now
			  AND (p.left_on IS NULL OR e.starts_at < p.left_on OR p.returned)
			  AND pg_temp.r(p.enrolment_id * 10000 + e.item_id, 14) < CASE WHEN e.starts_at > nat.now + interval '30 days' THEN 0.5 ELSE 0.75 + 0.25 * p.engagement END
		) b ORDER BY b.id, b.enrolment_id`},
	// About one booking in nine replaced an earlier booking of another date of the session.
	{"date changes", `INSERT INTO bookings (event_id, enrolment_id, item_id, status, created_at, updated_at)
		SELECT o.id, b.enrolment_id, b.item_id, 'cancelled', greatest(o.starts_at - interval '60 days', b.created_at - interval '5 days'), b.created_at
		FROM bookings b JOIN nat_events e ON e.id = b.event_id
		JOIN nat_events o ON o.cohort_id = e.cohort_id AND o.item_id = e.item_id AND o.n = (e.n + 1) % e.options
		WHERE pg_temp.r(b.id, 27) < 0.11 AND o.starts_at - interval '60 days' < b.created_at
		ORDER BY b.id`},
	{"booking history", `INSERT INTO booking_history (booking_id, action, at)
		SELECT b.id, 'booked', b.created_at FROM bookings b WHERE b.event_id IN (SELECT id FROM nat_events)
		UNION ALL
		SELECT b.id, 'cancelled_for_change', b.updated_at FROM bookings b WHERE b.event_id IN (SELECT id FROM nat_events) AND b.status = 'cancelled'
		UNION ALL
		SELECT b.id, b.attendance, b.updated_at FROM bookings b WHERE b.event_id IN (SELECT id FROM nat_events) AND b.attendance IS NOT NULL
		ORDER BY 3, 1`},

	// Progress: blocks that have fully passed are done as far as each person's engagement
	// goes; the current block is done in order as far as its time has run; those who left
	// stopped then. Face-to-face days and webinars are complete when attended.
	{"completions", `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at)
		SELECT c.enrolment_id, c.item_id, c.source, c.at FROM (
			SELECT p.enrolment_id, i.id AS item_id,
			       CASE WHEN i.kind IN ('tutor_session', 'coaching') THEN 'attendance' ELSE 'participant' END AS source,
			       least(nat.now - interval '1 hour', cb.opens_on + make_interval(days => i.position * 3, hours => (pg_temp.r(p.enrolment_id * 10000 + i.id, 15) * 12)::int)) AS at
			FROM nat_people p JOIN cohort_blocks cb ON cb.cohort_id = p.cohort_id
			JOIN nat_cohorts n ON n.id = p.cohort_id
			JOIN block_items i ON i.block_id = cb.block_id AND i.archived_at IS NULL AND i.kind NOT IN ('face_to_face', 'webinar')
			CROSS JOIN nat
			CROSS JOIN LATERAL (SELECT least(1.0, (least(nat.today, coalesce(p.left_on, nat.today)) - cb.opens_on) / (n.study_months * 30 / 4.0)) AS ran) t
			WHERE cb.opens_on <= least(nat.today, coalesce(p.left_on, nat.today))
			  AND (p.status = 'completed' AND i.required
			       OR i.position <= ceil(t.ran * 9)
			          AND pg_temp.r(p.enrolment_id * 10000 + i.id, 16) < least(1.0, p.engagement * 1.3) * CASE WHEN i.required THEN 1 ELSE 0.4 END)
			UNION ALL
			SELECT b.enrolment_id, b.item_id, 'attendance', b.updated_at
			FROM bookings b WHERE b.event_id IN (SELECT id FROM nat_events) AND b.attendance = 'attended'
		) c ORDER BY c.at`},
	{"where each left off", `UPDATE enrolments e SET last_item_id = x.item_id, last_activity_at = x.completed_at
		FROM (SELECT DISTINCT ON (c.enrolment_id) c.enrolment_id, c.item_id, c.completed_at FROM item_completions c
		      WHERE c.enrolment_id >= (SELECT min(enrolment_id) FROM nat_people) ORDER BY c.enrolment_id, c.completed_at DESC, c.id DESC) x
		WHERE e.id = x.enrolment_id`},

	// Deferral and withdrawal requests: the approved ones behind every deferral and
	// withdrawal above, with their letters, and a few open and refused ones in running courses.
	{"decided requests", `INSERT INTO status_requests (enrolment_id, kind, reason, details, starts_on, planned_return_on, source, discussed_with_partner,
			state, requested_by, created_at, decided_by, decided_at, decision_notes, effective_on, return_cohort_id, return_block_id, return_on, refund, refund_pence,
			return_asked_at, return_answer, return_answered_at, returned_at)
		SELECT p.enrolment_id, CASE p.left_as WHEN 'deferred' THEN 'deferral' ELSE 'withdrawal' END,
		       CASE p.left_as WHEN 'deferred' THEN (ARRAY['bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other'])[1 + (hashint8(p.enrolment_id) & 65535) % 5]
		            ELSE (ARRAY['insufficient-capacity', 'personal-reason-moving-school', 'change-in-career', 'change-in-school-circumstances', 'personal-reason-other'])[1 + (hashint8(p.enrolment_id) & 65535) % 5] END,
		       '', p.left_on, p.planned_return_on, CASE WHEN pg_temp.r(p.enrolment_id, 17) < 0.7 THEN 'participant' ELSE 'email' END, true,
		       'approved', CASE WHEN pg_temp.r(p.enrolment_id, 17) < 0.7 THEN p.user_id END, p.left_on - interval '10 days', nat.admin,
		       least(nat.now, p.left_on + interval '3 days'), '', p.left_on,
		       CASE p.left_as WHEN 'deferred' THEN p.cohort_id END,
		       CASE p.left_as WHEN 'deferred' THEN (SELECT cb.block_id FROM cohort_blocks cb WHERE cb.cohort_id = p.cohort_id AND cb.opens_on <= p.left_on ORDER BY cb.opens_on DESC LIMIT 1) END,
		       p.planned_return_on, CASE p.left_as WHEN 'withdrawn' THEN 'none' END, NULL::int,
		       CASE WHEN p.planned_return_on - 90 < nat.today THEN p.planned_return_on - interval '90 days' END,
		       CASE WHEN p.returned THEN 'yes' END, CASE WHEN p.returned THEN p.planned_return_on - interval '80 days' END,
		       CASE WHEN p.returned THEN p.planned_return_on::timestamptz END
		FROM nat_people p, nat WHERE p.left_as IS NOT NULL ORDER BY p.left_on`},
	{"open and refused requests", `INSERT INTO status_requests (enrolment_id, kind, reason, details, starts_on, planned_return_on, source, discussed_with_partner,
			state, requested_by, created_at, decided_by, decided_at, decision_notes)
		SELECT p.enrolment_id, q.kind,
		       CASE q.kind WHEN 'deferral' THEN (ARRAY['parental-leave', 'long-term-sickness', 'career-break', 'other'])[1 + (hashint8(p.enrolment_id) & 65535) % 4]
		            ELSE (ARRAY['insufficient-capacity', 'change-in-school-circumstances', 'change-in-career', 'personal-reason-other'])[1 + (hashint8(p.enrolment_id) & 65535) % 4] END,
		       'Asked by the participant.', nat.today + 14, CASE q.kind WHEN 'deferral' THEN nat.today + 270 END, 'participant', pg_temp.r(p.enrolment_id, 19) < 0.8,
		       q.state, p.user_id, nat.now - make_interval(hours => (pg_temp.r(p.enrolment_id, 20) * 24 * 25)::int),
		       CASE q.state WHEN 'refused' THEN nat.admin END, CASE q.state WHEN 'refused' THEN nat.now - interval '1 day' END,
		       CASE q.state WHEN 'refused' THEN 'Talk to your delivery partner about support first.' ELSE '' END
		FROM nat_people p, nat
		CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.r(p.enrolment_id, 18) < 0.6 THEN 'deferral' ELSE 'withdrawal' END AS kind,
		                           CASE WHEN pg_temp.r(p.enrolment_id, 21) < 0.015 THEN 'open' ELSE 'refused' END AS state) q
		WHERE p.status = 'active' AND p.left_as IS NULL AND p.starts_on <= nat.today - 45 AND p.study_ends_on > nat.today
		  AND pg_temp.r(p.enrolment_id, 21) < 0.02`},
	{"letters", `INSERT INTO letters (enrolment_id, request_id, kind, subject, body, created_at)
		SELECT r.enrolment_id, r.id, r.kind, CASE r.kind WHEN 'deferral' THEN 'Your deferral is confirmed' ELSE 'Your withdrawal is confirmed' END,
		       'We confirm the change to your place on the programme from ' || to_char(r.effective_on, 'FMDD FMMonth YYYY') || '.', r.decided_at
		FROM status_requests r WHERE r.state = 'approved' AND r.enrolment_id >= (SELECT min(enrolment_id) FROM nat_people)`},

	// Assessment: more assessors share the marking; each is affiliated to one partner.
	{"assessors", `INSERT INTO users (email, name, password_hash, role, created_at)
		SELECT 'assessor' || g.n || '@' || nat.domain, nat.first_names[1 + g.n % cardinality(nat.first_names)] || ' Marker-' || g.n, nat.hash, 'assessor', nat.now - interval '3 years'
		FROM nat, generate_series(1, nat.assessors) AS g(n)`},
	// Assessors must use two-step sign-in: they share the demo's published key.
	{"assessors' two-step keys", `INSERT INTO two_step (user_id, secret, enabled_at)
		SELECT u.id, nat.two_step_secret, nat.now FROM users u, nat WHERE u.role = 'assessor' AND u.email LIKE '%@' || nat.domain`},
	{"assessor partners", `INSERT INTO marker_affiliations (user_id, delivery_partner_id)
		SELECT u.id, (SELECT partner_id FROM nat_cohorts ORDER BY partner_id OFFSET (u.id % (SELECT count(*) FROM nat_cohorts)) LIMIT 1)
		FROM users u, nat WHERE u.role = 'assessor' AND u.email LIKE '%@' || nat.domain`},
	// Those still in when assessment opens mostly submit. Closed windows were marked and
	// released; open ones are spread over the workflow. A fifth is sampled for second marking.
	{"submissions plan", `CREATE TEMP TABLE nat_subs ON COMMIT DROP AS
		WITH who AS (
			SELECT p.*, pg_temp.r(p.enrolment_id, 22) AS w, nat.today, nat.now
			FROM nat_people p, nat
			WHERE p.study_ends_on <= nat.today AND p.left_as IS NULL AND (p.status = 'completed' OR pg_temp.r(p.enrolment_id, 23) < 0.85)
		), staged AS (
			SELECT who.*, CASE
			           WHEN who.assessment_closes_on < who.today - 30 THEN 'released'
			           WHEN who.assessment_closes_on < who.today THEN 'ready'
			           WHEN who.w < 0.25 THEN 'draft' WHEN who.w < 0.45 THEN 'submitted' WHEN who.w < 0.65 THEN 'in_marking'
			           WHEN who.w < 0.75 THEN 'moderation' ELSE 'ready' END AS stage,
			       pg_temp.r(who.enrolment_id, 24) < 0.2 AS sampled
			FROM who
		), markers AS (
			SELECT array_agg(u.id ORDER BY u.id) AS ids FROM users u, nat
			WHERE u.role = 'assessor' AND (u.email LIKE '%@' || nat.domain OR u.email IN ('assessor@demo.test', 'assessor2@demo.test'))
		)
		SELECT (SELECT coalesce(max(id), 0) FROM submissions) + row_number() OVER (ORDER BY s.enrolment_id) AS id, s.enrolment_id, s.q, s.stage,
		       s.sampled OR s.stage = 'moderation' AS sampled,
		       CASE s.stage WHEN 'released' THEN s.status = 'completed' ELSE pg_temp.r(s.enrolment_id, 25) < 0.88 END AS passes,
		       CASE WHEN s.stage <> 'draft' THEN least(s.now - interval '2 days', s.study_ends_on + make_interval(days => (pg_temp.r(s.enrolment_id, 26) * 80)::int)) END AS submitted_at,
		       CASE WHEN s.stage = 'released' THEN least(s.now - interval '1 day', s.assessment_closes_on + interval '21 days') END AS released_at,
		       m.ids[1 + (hashint8(s.enrolment_id) & 65535) % cardinality(m.ids)] AS first_marker,
		       m.ids[1 + (hashint8(s.enrolment_id + 1) & 65535) % cardinality(m.ids)] AS second_marker,
		       s.study_ends_on
		FROM staged s, markers m`},
	{"submissions second markers", `UPDATE nat_subs SET second_marker = (SELECT id FROM users WHERE email = 'moderator@demo.test') WHERE second_marker = first_marker`},
	{"submissions", `INSERT INTO submissions (id, enrolment_id, attempt, stage, candidate_number, submitted_at, passed, sampled, released_at, released_by, created_at)
		OVERRIDING SYSTEM VALUE
		SELECT s.id, s.enrolment_id, 1, s.stage, 'N' || lpad(s.id::text, 8, '0'), s.submitted_at,
		       CASE WHEN s.stage IN ('ready', 'released') THEN s.passes END, s.sampled, s.released_at, CASE WHEN s.stage = 'released' THEN nat.admin END,
		       s.study_ends_on - interval '20 days'
		FROM nat_subs s, nat ORDER BY s.id`},
	{"submission ids", `SELECT setval(pg_get_serial_sequence('submissions', 'id'), (SELECT max(id) FROM submissions))`},
	{"submission texts", `INSERT INTO submission_texts (submission_id, task_key, body, updated_at)
		SELECT s.id, t.key, 'Our analysis of the last three years of results showed that disadvantaged pupils made less progress than their peers. '
		       || 'I led a working group of middle leaders to agree what the data told us and planned how we would know whether each change was working.',
		       coalesce(s.submitted_at, s.study_ends_on + interval '10 days')
		FROM nat_subs s JOIN nat_tasks t ON t.q = s.q`},
	{"allocations", `INSERT INTO allocations (submission_id, role, marker_id, allocated_by, allocated_at)
		SELECT s.id, 'first', s.first_marker, nat.admin, s.submitted_at + interval '2 days'
		FROM nat_subs s, nat WHERE s.stage IN ('in_marking', 'moderation', 'ready', 'released')
		UNION ALL
		SELECT s.id, 'second', s.second_marker, nat.admin, s.submitted_at + interval '12 days'
		FROM nat_subs s, nat WHERE s.sampled AND s.stage IN ('moderation', 'ready', 'released')`},
	{"mark sheets", `INSERT INTO mark_sheets (submission_id, role, marker_id, feedback, version, completed_at, updated_at)
		SELECT a.submission_id, a.role, a.marker_id, CASE WHEN done THEN 'A clear account of a real improvement project; link your analysis to your actions throughout.' ELSE '' END,
		       CASE WHEN done THEN 2 ELSE 1 END, CASE WHEN done THEN least(nat.now - interval '1 hour', a.allocated_at + interval '7 days') END,
		       least(nat.now - interval '1 hour', a.allocated_at + interval '7 days')
		FROM allocations a JOIN nat_subs s ON s.id = a.submission_id CROSS JOIN nat
		CROSS JOIN LATERAL (SELECT NOT (s.stage = 'in_marking' OR (s.stage = 'moderation' AND a.role = 'second')) AS done) d`},
	{"marks", `INSERT INTO marks (submission_id, role, criterion_key, judgement, comment)
		SELECT m.submission_id, m.role, c.key,
		       CASE WHEN NOT s.passes AND s.stage IN ('ready', 'released') AND c.ord = 1 + (hashint8(s.id) & 65535) % 5 THEN 'not_met' ELSE 'met' END,
		       'Clear evidence, tagged and explained.'
		FROM mark_sheets m JOIN nat_subs s ON s.id = m.submission_id JOIN nat_criteria c ON c.q = s.q
		WHERE m.completed_at IS NOT NULL`},
	{"agreed judgements", `INSERT INTO agreed_judgements (submission_id, criterion_key, judgement, source)
		SELECT k.submission_id, k.criterion_key, k.judgement, CASE WHEN s.sampled THEN 'agreed' ELSE 'first' END
		FROM marks k JOIN nat_subs s ON s.id = k.submission_id
		WHERE k.role = 'first' AND s.stage IN ('ready', 'released')`},

	// News for some cohorts, and the outbox of a busy provider: a confirmation of every
	// booking made in the last two months, and every decision letter.
	{"news", `INSERT INTO news_posts (title, body, cohort_id, published_at)
		SELECT 'Dates for your next block', 'The dates for your next face-to-face day and webinar are on **Events**. Book early: places are limited.',
		       n.id, least(nat.now, n.starts_on + interval '30 days')
		FROM nat_cohorts n, nat WHERE n.starts_on <= nat.today AND n.id % 10 = 0`},
	{"outbox", `INSERT INTO outbox (to_address, to_name, subject, body, created_at, delivery_partner_id)
		SELECT u.email, u.name, 'Booking confirmed: ' || e.title,
		       'You have a place on ' || e.title || ' on ' || to_char(e.starts_at AT TIME ZONE 'Europe/London', 'FMDay FMDD FMMonth YYYY "at" HH24:MI') || '.',
		       b.created_at, e.delivery_partner_id
		FROM bookings b JOIN events e ON e.id = b.event_id JOIN enrolments en ON en.id = b.enrolment_id JOIN users u ON u.id = en.user_id, nat
		WHERE b.event_id IN (SELECT id FROM nat_events) AND b.created_at > nat.now - interval '60 days'
		UNION ALL
		SELECT u.email, u.name, l.subject, l.body, l.created_at, NULL
		FROM letters l JOIN enrolments en ON en.id = l.enrolment_id JOIN users u ON u.id = en.user_id
		WHERE l.enrolment_id >= (SELECT min(enrolment_id) FROM nat_people)
		ORDER BY 5`},
	{"drop chance function", `DROP FUNCTION pg_temp.r(bigint, int)`},
}
