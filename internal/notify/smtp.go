package notify

import (
	"context"
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
	DB       database.DB
	SMTP     SMTPSettings
	Log      *slog.Logger
	Batch    int           // messages per round; 20 when zero
	Interval time.Duration // time between rounds; 10s when zero
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

// Run delivers messages until ctx ends.
func (s Sender) Run(ctx context.Context) {
	interval := s.Interval
	if interval == 0 {
		interval = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.DeliverPending(ctx); err != nil {
			s.Log.Error("mail delivery failed", "err", err)
		} else if n > 0 {
			s.Log.Info("mail delivered", "messages", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverPending sends one batch of due messages and returns how many were sent. A message
// that fails is tried again later (after 1, 2, 4 ... minutes) up to MaxAttempts times.
func (s Sender) DeliverPending(ctx context.Context) (int, error) {
	batch := s.Batch
	if batch == 0 {
		batch = 20
	}
	from, err := mail.ParseAddress(s.SMTP.From)
	if err != nil {
		return 0, fmt.Errorf("notify: MAIL_FROM %q: %w", s.SMTP.From, err)
	}
	sent := 0
	err = database.InTx(ctx, s.DB, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT id, to_address, to_name, subject, body, attempts, attachment_name, attachment_type, attachment FROM outbox
			WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $1
			ORDER BY next_attempt_at, id LIMIT $2
			FOR UPDATE SKIP LOCKED`, MaxAttempts, batch)
		if err != nil {
			return err
		}
		type pending struct {
			id       int64
			msg      Message
			attempts int
		}
		due, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pending, error) {
			var p pending
			return p, r.Scan(&p.id, &p.msg.ToAddress, &p.msg.ToName, &p.msg.Subject, &p.msg.Body, &p.attempts,
				&p.msg.AttachmentName, &p.msg.AttachmentType, &p.msg.Attachment)
		})
		if err != nil || len(due) == 0 {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		var msgs []*gomail.Msg
		var ids []int64
		var attempts []int
		for _, p := range due {
			m := gomail.NewMsg()
			m.FromMailAddress(from)
			if err := m.AddToFormat(p.msg.ToName, p.msg.ToAddress); err != nil {
				// An address the mail library refuses will never send: stop trying.
				if _, err := tx.Exec(ctx, `UPDATE outbox SET attempts = $2, last_error = $3 WHERE id = $1`,
					p.id, MaxAttempts, "invalid recipient: "+err.Error()); err != nil {
					return err
				}
				continue
			}
			m.Subject(p.msg.Subject)
			m.SetMessageID()
			m.SetDate()
			m.SetBodyString(gomail.TypeTextPlain, p.msg.Body)
			if p.msg.AttachmentName != "" {
				if err := m.AttachReader(p.msg.AttachmentName, strings.NewReader(p.msg.Attachment),
					gomail.WithFileContentType(gomail.ContentType(p.msg.AttachmentType))); err != nil {
					return err
				}
			}
			msgs, ids, attempts = append(msgs, m), append(ids, p.id), append(attempts, p.attempts)
		}
		if len(msgs) == 0 {
			return nil
		}
		dialErr := c.DialAndSendWithContext(ctx, msgs...)
		for i, m := range msgs {
			var failure error
			switch {
			case m.HasSendError():
				failure = m.SendError()
			case dialErr != nil && !m.IsDelivered():
				failure = dialErr
			}
			if failure != nil {
				wait := time.Duration(1<<attempts[i]) * time.Minute
				if _, err := tx.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
					next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`, ids[i], failure.Error(), wait.Seconds()); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = '' WHERE id = $1`, ids[i]); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	return sent, err
}
