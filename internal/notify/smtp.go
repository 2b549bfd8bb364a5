package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	gomail "github.com/wneessen/go-mail"

	"npq/internal/database"
)

// SMTPSettings say how to reach the mail server.
type SMTPSettings struct {
	Host, Username, Password, From string
	Port                           int
}

// Sender delivers outbox messages by SMTP. Several app instances can run one each: a message
// is claimed with a row lock, so it is sent once.
type Sender struct {
	DB   database.DB
	SMTP SMTPSettings
	Log  *slog.Logger
	// MessageIDHost is the host name in Message-IDs (the host of BASE_URL); the domain of
	// the sender's address when empty.
	MessageIDHost string
	Batch         int // messages per round; 20 when zero
}

// MaxAttempts is how often a message is tried before it is left for an admin to see.
const MaxAttempts = 8

func (s Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.SMTP.Port), gomail.WithTimeout(20 * time.Second)}
	if s.SMTP.Port == 465 {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.SMTP.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.SMTP.Username), gomail.WithPassword(s.SMTP.Password))
	}
	return gomail.NewClient(s.SMTP.Host, opts...)
}

// DeliverPending sends due messages, up to one batch, and returns how many were sent. Each
// message is claimed (with a row lock, so several instances never send the same one), sent
// and marked in a transaction of its own, so a sender stopped part-way (its context
// cancelled, or its instance killed) has marked every message it delivered and leaves the
// rest untouched for the next round. A message that fails is tried again later (after 1, 2,
// 4 ... minutes) up to MaxAttempts times; when the mail server cannot be reached the round
// stops there.
func (s Sender) DeliverPending(ctx context.Context) (int, error) {
	batch := s.Batch
	if batch == 0 {
		batch = 20
	}
	from, err := mail.ParseAddress(s.SMTP.From)
	if err != nil {
		return 0, fmt.Errorf("notify: MAIL_FROM %q: %w", s.SMTP.From, err)
	}
	var conn *gomail.Client // dialled for the first message, then reused
	defer func() {
		if conn != nil {
			conn.Close() //nolint:errcheck // the messages are already marked
		}
	}()
	sent := 0
	for range batch {
		if ctx.Err() != nil {
			return sent, nil // stopping: the rest wait for the next round
		}
		found, ok, err := s.deliverOne(ctx, from, &conn)
		if ok {
			sent++
		}
		switch {
		case errors.Is(err, errServerUnreachable):
			return sent, nil
		case err != nil:
			if ctx.Err() != nil {
				return sent, nil
			}
			return sent, fmt.Errorf("notify: deliver: %w", err)
		case !found:
			return sent, nil
		}
	}
	return sent, nil
}

// errServerUnreachable ends a round: the mail server could not be reached.
var errServerUnreachable = errors.New("mail server unreachable")

// markTimeout bounds the database work around one message.
const markTimeout = 30 * time.Second

// deliverOne claims, sends and marks the next due message. found says there was one; sent
// says the mail server accepted it.
func (s Sender) deliverOne(ctx context.Context, from *mail.Address, conn **gomail.Client) (found, sent bool, err error) {
	// The database work runs on even when ctx ends during the send: a message the mail server
	// has accepted must be marked sent.
	dbctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	unreachable := false
	err = database.InTx(dbctx, s.DB, func(tx pgx.Tx) error {
		var id int64
		var key string
		var attempts int
		var msg Message
		err := tx.QueryRow(dbctx, `
			SELECT id, message_key, attempts, to_address, to_name, subject, body, attachment_name, attachment_type, attachment
			FROM outbox
			WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $1
			ORDER BY next_attempt_at, id LIMIT 1
			FOR UPDATE SKIP LOCKED`, MaxAttempts).
			Scan(&id, &key, &attempts, &msg.ToAddress, &msg.ToName, &msg.Subject, &msg.Body, &msg.AttachmentName, &msg.AttachmentType, &msg.Attachment)
		if database.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		m, err := s.compose(from, id, key, msg)
		if errors.Is(err, errInvalidRecipient) {
			// An address the mail library refuses will never send: stop trying.
			_, err = tx.Exec(dbctx, `UPDATE outbox SET attempts = $2, last_error = $3 WHERE id = $1`, id, MaxAttempts, err.Error())
			return err
		}
		if err != nil {
			return err
		}
		var failure error
		unreachable, failure = s.send(ctx, conn, m)
		if failure != nil && ctx.Err() != nil {
			return ctx.Err() // stopping, not a failed delivery: leave the message as it was
		}
		if failure != nil {
			wait := time.Duration(1<<min(attempts, 16)) * time.Minute
			_, err := tx.Exec(dbctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
				next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`, id, failure.Error(), wait.Seconds())
			return err
		}
		if _, err := tx.Exec(dbctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = '' WHERE id = $1`, id); err != nil {
			return err
		}
		sent = true
		return nil
	})
	if err == nil && unreachable {
		err = errServerUnreachable // recorded on this message; the others wait for the next round
	}
	return found, sent && err == nil, err
}

// errInvalidRecipient is a recipient address the mail library refuses.
var errInvalidRecipient = errors.New("invalid recipient")

// compose builds the email for outbox message id. Its Message-ID is derived from the row, so
// every attempt to send it carries the same one.
func (s Sender) compose(from *mail.Address, id int64, key string, msg Message) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	m.FromMailAddress(from)
	if err := m.AddToFormat(msg.ToName, msg.ToAddress); err != nil {
		return nil, fmt.Errorf("%w: %w", errInvalidRecipient, err)
	}
	m.Subject(msg.Subject)
	m.SetMessageIDWithValue(fmt.Sprintf("outbox-%d.%s@%s", id, key, s.messageIDHost(from)))
	m.SetDate()
	m.SetBodyString(gomail.TypeTextPlain, msg.Body)
	if msg.AttachmentName != "" {
		if err := m.AttachReader(msg.AttachmentName, strings.NewReader(msg.Attachment),
			gomail.WithFileContentType(gomail.ContentType(msg.AttachmentType))); err != nil {
			return nil, fmt.Errorf("notify: attach %s: %w", msg.AttachmentName, err)
		}
	}
	return m, nil
}

// messageIDHost is the right-hand side of Message-IDs: MessageIDHost (the host of
// BASE_URL), else the sender address's domain.
func (s Sender) messageIDHost(from *mail.Address) string {
	if s.MessageIDHost != "" {
		return s.MessageIDHost
	}
	if _, domain, ok := strings.Cut(from.Address, "@"); ok && domain != "" {
		return domain
	}
	return "localhost"
}

// send delivers one message on *conn, dialling first when there is no connection; unreachable
// says the dial failed. After a failure the connection is dropped, so the next message starts
// afresh.
func (s Sender) send(ctx context.Context, conn **gomail.Client, m *gomail.Msg) (unreachable bool, err error) {
	if *conn == nil {
		c, err := s.client()
		if err != nil {
			return true, err
		}
		if err := c.DialWithContext(ctx); err != nil {
			return true, err
		}
		*conn = c
	}
	if err := (*conn).Send(m); err != nil {
		(*conn).Close() //nolint:errcheck // dropping it anyway
		*conn = nil
		return false, err
	}
	return false, nil
}
