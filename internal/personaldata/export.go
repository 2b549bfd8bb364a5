package personaldata

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"npq/internal/database"
)

// Store reads and records personal data requests.
type Store struct {
	DB database.DB
}

// section is one JSON file of an export: the rows of one kind of record about the person,
// read by a query whose only parameter is their user id.
type section struct {
	file  string
	about string
	query string
}

// theirEnrolments, theirRequests and theirSubmissions pick out the person's own records.
const (
	theirEnrolments  = `(SELECT id FROM enrolments WHERE user_id = $1)`
	theirRequests    = `(SELECT id FROM status_requests WHERE enrolment_id IN ` + theirEnrolments + `)`
	theirSubmissions = `(SELECT id FROM submissions WHERE enrolment_id IN ` + theirEnrolments + `)`
)

// sections is everything held about a person, file by file. Marks and outcomes are included
// once released: before then they are exam marks, which need not be given out early.
var sections = []section{
	{"account.json", "Your account: name, email address, role and when it was made.",
		`SELECT u.id, u.email, u.name, u.role, p.name AS delivery_partner, u.created_at
		 FROM users u LEFT JOIN delivery_partners p ON p.id = u.delivery_partner_id WHERE u.id = $1`},
	{"invitations.json", "Invitations sent to your email address.",
		`SELECT i.created_at, i.expires_at, i.accepted_at, i.name, i.role FROM invitations i
		 JOIN users u ON u.email = i.email WHERE u.id = $1 ORDER BY i.created_at`},
	{"enrolments.json", "Your courses: cohort, delivery partner, funding and status.",
		`SELECT e.id, co.name AS course, c.name AS cohort, p.name AS delivery_partner, c.schedule_identifier, e.funding_route,
		        e.payment_received_on, e.starts_on, e.status, e.last_activity_at, e.created_at
		 FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id JOIN courses co ON co.id = c.course_id
		 JOIN delivery_partners p ON p.id = c.delivery_partner_id WHERE e.user_id = $1 ORDER BY e.id`},
	{"status_history.json", "Every change to the status of your courses.",
		`SELECT h.enrolment_id, h.status, h.effective_on, h.reason, h.recorded_at FROM enrolment_status_history h
		 WHERE h.enrolment_id IN ` + theirEnrolments + ` ORDER BY h.enrolment_id, h.recorded_at, h.id`},
	{"progress.json", "The activities you have completed, and how each was recorded.",
		`SELECT c.enrolment_id, b.position AS block, b.title AS block_title, i.title AS activity, c.source, c.completed_at
		 FROM item_completions c JOIN block_items i ON i.id = c.item_id JOIN blocks b ON b.id = i.block_id
		 WHERE c.enrolment_id IN ` + theirEnrolments + ` ORDER BY c.enrolment_id, c.completed_at, c.id`},
	{"bookings.json", "Your event bookings, waiting-list places and attendance.",
		`SELECT bk.enrolment_id, e.title AS event, e.starts_at, e.ends_at, bk.status, bk.attendance, bk.attendance_note, bk.created_at, bk.updated_at,
		        coalesce((SELECT json_agg(json_build_object('action', h.action, 'note', h.note, 'at', h.at) ORDER BY h.at, h.id)
		                  FROM booking_history h WHERE h.booking_id = bk.id), '[]') AS history
		 FROM bookings bk JOIN events e ON e.id = bk.event_id WHERE bk.enrolment_id IN ` + theirEnrolments + ` ORDER BY e.starts_at, bk.id`},
	{"catch_ups.json", "Reflections you sent to catch up on sessions you missed.",
		`SELECT s.enrolment_id, i.title AS activity, s.reflection, s.created_at FROM session_catch_ups s
		 JOIN block_items i ON i.id = s.item_id WHERE s.enrolment_id IN ` + theirEnrolments + ` ORDER BY s.created_at`},
	{"requests.json", "Your requests to defer or withdraw, and their decisions.",
		`SELECT r.id, r.enrolment_id, r.kind, r.reason, r.details, r.starts_on, r.planned_return_on, r.source, r.discussed_with_partner,
		        r.state, r.created_at, r.decided_at, r.decision_notes, r.effective_on, r.return_on, r.refund, r.refund_pence,
		        r.return_asked_at, r.return_answer, r.return_answered_at, r.returned_at
		 FROM status_requests r WHERE r.enrolment_id IN ` + theirEnrolments + ` ORDER BY r.created_at, r.id`},
	{"letters.json", "Letters sent to you about your courses (each is also in the letters folder).",
		`SELECT l.id, l.enrolment_id, l.kind, l.subject, l.body, l.created_at FROM letters l
		 WHERE l.enrolment_id IN ` + theirEnrolments + ` ORDER BY l.created_at, l.id`},
	{"submissions.json", "Your assessment submissions: their text, and the outcome and judgements once released.",
		`SELECT s.id, s.enrolment_id, s.attempt, s.stage, s.candidate_number, s.submitted_at, s.created_at, s.released_at,
		        CASE WHEN s.released_at IS NOT NULL THEN s.passed END AS passed,
		        CASE WHEN s.released_at IS NOT NULL THEN s.reasons END AS reasons,
		        coalesce((SELECT json_agg(json_build_object('task', t.task_key, 'text', t.body, 'updated_at', t.updated_at) ORDER BY t.task_key)
		                  FROM submission_texts t WHERE t.submission_id = s.id), '[]') AS texts,
		        CASE WHEN s.released_at IS NOT NULL THEN coalesce((SELECT json_agg(json_build_object('criterion', j.criterion_key,
		                  'judgement', j.judgement, 'note', j.note) ORDER BY j.criterion_key)
		                  FROM agreed_judgements j WHERE j.submission_id = s.id), '[]') END AS judgements,
		        CASE WHEN s.released_at IS NOT NULL THEN (SELECT json_agg(m.feedback ORDER BY m.role) FROM mark_sheets m
		                  WHERE m.submission_id = s.id AND m.completed_at IS NOT NULL AND m.feedback <> '') END AS feedback,
		        coalesce((SELECT json_agg(json_build_object('id', f.id, 'task', f.slot_key, 'name', f.file_name, 'type', f.content_type,
		                  'size', f.size, 'sha256', f.sha256, 'uploaded_at', f.uploaded_at, 'removed_at', f.removed_at) ORDER BY f.id)
		                  FROM submission_files f WHERE f.submission_id = s.id), '[]') AS files
		 FROM submissions s WHERE s.enrolment_id IN ` + theirEnrolments + ` ORDER BY s.enrolment_id, s.attempt`},
	{"emails.json", "Every email the service sent, or is sending, to you (links that worked as keys, such as invitation links, are hidden).",
		`SELECT o.id, o.subject, regexp_replace(o.body, '\S*/[A-Za-z0-9_-]{16,}\S*', '[private link hidden: it worked as a key]', 'g') AS body,
		        o.created_at, o.sent_at, o.attempts FROM outbox o
		 JOIN users u ON u.email = o.to_address WHERE u.id = $1 ORDER BY o.created_at, o.id`},
	{"calendar.json", "Whether you have a private calendar address (its secret is not kept).",
		`SELECT f.created_at FROM calendar_feeds f WHERE f.user_id = $1`},
	{"sign_in_failures.json", "Failed attempts to sign in with your email address in the last weeks.",
		`SELECT f.at, f.ip FROM sign_in_failures f JOIN users u ON u.email = f.email WHERE u.id = $1 ORDER BY f.at`},
	{"sessions.json", "Where you signed in: browser, internet address, when, when last active, and how each session ended.",
		`SELECT s.created_at, s.last_seen_at, s.ip, s.user_agent, s.ended_at, s.ended_reason FROM account_sessions s
		 WHERE s.user_id = $1 ORDER BY s.created_at, s.id`},
	{"password_resets.json", "Forgotten-password links sent to you, and requests for them with your email address (the links themselves are not kept).",
		`SELECT 'link' AS what, r.created_at AS at, NULL AS ip, r.expires_at, r.used_at, r.cancelled_at FROM password_resets r WHERE r.user_id = $1
		 UNION ALL
		 SELECT 'request', q.at, q.ip, NULL, NULL, NULL FROM password_reset_requests q JOIN users u ON u.email = q.email WHERE u.id = $1
		 ORDER BY at`},
	{"email_changes.json", "Changes of email address you asked for, and whether each was confirmed.",
		`SELECT c.old_email, c.new_email, c.created_at, c.expires_at, c.used_at, c.cancelled_at FROM email_changes c
		 WHERE c.user_id = $1 ORDER BY c.created_at, c.id`},
	{"data_requests.json", "Your requests about your personal data.",
		`SELECT d.kind, d.received_on, d.due_on, d.created_at, d.exported_at, d.completed_at FROM data_requests d WHERE d.user_id = $1 ORDER BY d.id`},
	{"audit.json", "Entries in the audit trail made by you or about you and your records.",
		`SELECT a.at, a.action, a.subject, a.actor_id = $1 AS by_you, a.detail FROM audit_log a
		 WHERE a.actor_id = $1 OR a.subject = 'user:' || $1
		    OR a.subject IN (SELECT 'enrolment:' || id FROM ` + theirEnrolments + ` x)
		    OR a.subject IN (SELECT 'request:' || id FROM ` + theirRequests + ` x)
		    OR a.subject IN (SELECT 'submission:' || id FROM ` + theirSubmissions + ` x)
		 ORDER BY a.at, a.id`},
}

// Export writes everything held about a person as a ZIP to w: a README saying what each file
// holds, one JSON file per kind of record, their letters as text and the documents they
// uploaded. database.ErrNotFound if there is no such person.
func (s Store) Export(ctx context.Context, userID int64, w io.Writer, now time.Time) error {
	return s.export(ctx, &pgx.Batch{}, userID, w, now)
}

// ExportFor records that an admin downloaded a request's export (as Exported does) and
// writes the export to w (as Export does), in one round trip.
func (s Store) ExportFor(ctx context.Context, q Request, actorID int64, w io.Writer, now time.Time) error {
	b := &pgx.Batch{}
	if err := queueExported(ctx, b, q, actorID, now); err != nil {
		return err
	}
	return s.export(ctx, b, q.UserID, w, now)
}

// export queues the reads of an export on b after what is queued there already, sends it,
// and writes the ZIP as the answers arrive.
func (s Store) export(ctx context.Context, b *pgx.Batch, userID int64, w io.Writer, now time.Time) error {
	z := zip.NewWriter(w)
	found := false
	b.Queue(`SELECT name FROM users WHERE id = $1`, userID).QueryRow(func(row pgx.Row) error {
		var name string
		err := row.Scan(&name)
		if database.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return writeReadme(z, name, now)
	})
	// Each part is written only once the person is known to exist.
	for _, sec := range sections {
		b.Queue(`SELECT coalesce(json_agg(t), '[]') FROM (`+sec.query+`) t`, userID).QueryRow(func(row pgx.Row) error {
			var raw json.RawMessage
			if err := row.Scan(&raw); err != nil || !found {
				return err
			}
			return writeSection(z, sec, raw, now)
		})
	}
	b.Queue(`SELECT l.id, l.subject, l.body, l.created_at FROM letters l
		WHERE l.enrolment_id IN `+theirEnrolments+` ORDER BY l.id`, userID).Query(func(rows pgx.Rows) error {
		if !found {
			return nil
		}
		return writeLetters(z, rows, now)
	})
	b.Queue(`SELECT f.submission_id, f.id, f.file_name, f.data FROM submission_files f
		WHERE f.submission_id IN `+theirSubmissions+` ORDER BY f.submission_id, f.id`, userID).Query(func(rows pgx.Rows) error {
		if !found {
			return nil
		}
		return writeFiles(z, rows, now)
	})
	if err := s.DB.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("personal data: %d: %w", userID, err)
	}
	if !found {
		return database.ErrNotFound
	}
	return z.Close()
}

func create(z *zip.Writer, name string, now time.Time) (io.Writer, error) {
	return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
}

func writeReadme(z *zip.Writer, name string, now time.Time) error {
	f, err := create(z, "README.txt", now)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Personal data held about %s, as at %s.\r\n\r\n", name, now.UTC().Format(time.RFC3339))
	for _, sec := range sections {
		fmt.Fprintf(&b, "%s: %s\r\n", sec.file, sec.about)
	}
	b.WriteString("letters/: each letter as text.\r\nfiles/: the documents uploaded with each assessment submission, by submission.\r\n")
	b.WriteString("\r\nDates and times are in UTC (ISO 8601). Marks and outcomes are included once they have been released.\r\n")
	_, err = io.WriteString(f, b.String())
	return err
}

func writeSection(z *zip.Writer, sec section, raw json.RawMessage, now time.Time) error {
	var pretty any
	if err := json.Unmarshal(raw, &pretty); err != nil {
		return fmt.Errorf("personal data: %s: %w", sec.file, err)
	}
	f, err := create(z, sec.file, now)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(pretty)
}

func writeLetters(z *zip.Writer, rows pgx.Rows, now time.Time) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var subject, body string
		var at time.Time
		if err := rows.Scan(&id, &subject, &body, &at); err != nil {
			return err
		}
		f, err := create(z, fmt.Sprintf("letters/%d-%s.txt", id, safeName(subject)), now)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(f, "%s\r\n%s\r\n\r\n%s\r\n", subject, at.UTC().Format(time.RFC3339), body); err != nil {
			return err
		}
	}
	return rows.Err()
}

func writeFiles(z *zip.Writer, rows pgx.Rows, now time.Time) error {
	defer rows.Close()
	for rows.Next() {
		var sub, id int64
		var name string
		var data []byte
		if err := rows.Scan(&sub, &id, &name, &data); err != nil {
			return err
		}
		f, err := create(z, path.Join("files", strconv.FormatInt(sub, 10), strconv.FormatInt(id, 10)+"-"+safeName(name)), now)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return rows.Err()
}

// safeName makes a file name safe inside a ZIP: letters, digits, dots, dashes and
// underscores only, at most 80 characters, never empty or a path.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_'):
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteRune('-')
		}
		if b.Len() >= 80 {
			break
		}
	}
	out := strings.Trim(b.String(), ".-")
	if out == "" {
		return "file"
	}
	return out
}
